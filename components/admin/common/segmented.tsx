"use client";

import styles from "./admin.module.css";

type SegmentedProps<T extends string> = {
  /** Names the group: a hidden legend, unless a visible label elsewhere does (labelledBy). */
  legend: string;
  labelledBy?: string;
  options: readonly { value: T; label: string }[];
  value: T;
  onChange: (value: T) => void;
};

/** Pressed-button choices in one pill (ranges, windows, state filters). */
export function Segmented<T extends string>({ legend, labelledBy, options, value, onChange }: SegmentedProps<T>) {
  return (
    <fieldset className={styles.segmented} aria-labelledby={labelledBy}>
      {labelledBy ? null : <legend className="visually-hidden">{legend}</legend>}
      {options.map((option) => (
        <button
          key={option.value}
          type="button"
          aria-pressed={option.value === value}
          onClick={() => onChange(option.value)}
        >
          {option.label}
        </button>
      ))}
    </fieldset>
  );
}
