"use client";

import type { InputHTMLAttributes, ReactElement, ReactNode } from "react";
import styles from "./admin.module.css";

type FieldProps = {
  id: string;
  label: ReactNode;
  hint?: string;
  error?: string;
  /** Renders the control with the ids and ARIA that tie it to its label, hint and error. */
  children: (control: { id: string; "aria-describedby"?: string; "aria-invalid"?: boolean }) => ReactElement;
};

// A label, the control, a hint and the field's error, tied together for screen readers.
export function Field({ id, label, hint, error, children }: FieldProps) {
  const describedBy = [hint ? `${id}-hint` : null, error ? `${id}-error` : null].filter(Boolean).join(" ");
  return (
    <div className={styles.field}>
      <label className={styles.label} htmlFor={id}>
        {label}
      </label>
      {children({ id, "aria-describedby": describedBy || undefined, "aria-invalid": error ? true : undefined })}
      {hint ? (
        <span id={`${id}-hint`} className={styles.hint}>
          {hint}
        </span>
      ) : null}
      {error ? (
        <span id={`${id}-error`} className={styles.fieldError}>
          {error}
        </span>
      ) : null}
    </div>
  );
}

type TextFieldProps = Omit<InputHTMLAttributes<HTMLInputElement>, "id" | "value" | "onChange"> & {
  id: string;
  label: ReactNode;
  hint?: string;
  error?: string;
  value: string;
  onValueChange: (value: string) => void;
};

/** A Field holding one <input>; other input attributes pass through (and may override the ARIA). */
export function TextField({
  id,
  label,
  hint,
  error,
  className = styles.input,
  onValueChange,
  ...input
}: TextFieldProps) {
  return (
    <Field id={id} label={label} hint={hint} error={error}>
      {(control) => (
        <input {...control} {...input} className={className} onChange={(event) => onValueChange(event.target.value)} />
      )}
    </Field>
  );
}

type ChoiceGroupProps<T extends string> = {
  legend: string;
  name: string;
  choices: readonly { value: T; label: string; description: string }[];
  value: T;
  onChange: (value: T) => void;
  disabled?: boolean;
};

/** Radio cards: a title and a line of explanation per choice (room modes, roles). */
export function ChoiceGroup<T extends string>({
  legend,
  name,
  choices,
  value,
  onChange,
  disabled,
}: ChoiceGroupProps<T>) {
  return (
    <fieldset className={styles.choiceGroup} disabled={disabled}>
      <legend>{legend}</legend>
      {choices.map((choice) => (
        <label key={choice.value} className={styles.choice}>
          <input
            type="radio"
            name={name}
            value={choice.value}
            checked={value === choice.value}
            onChange={() => onChange(choice.value)}
          />
          <span className={styles.choiceTitle}>{choice.label}</span>
          <span className={styles.choiceText}>{choice.description}</span>
        </label>
      ))}
    </fieldset>
  );
}

type CheckFieldProps = {
  id: string;
  label: ReactNode;
  /** A line under the label saying what ticking it does. */
  description?: string;
  checked: boolean;
  onChange: (checked: boolean) => void;
  disabled?: boolean;
};

/** A checkbox with its label beside it, and what it does below (not part of its name). */
export function CheckField({ id, label, description, checked, onChange, disabled }: CheckFieldProps) {
  return (
    <div className={styles.check}>
      <input
        id={id}
        type="checkbox"
        checked={checked}
        disabled={disabled}
        aria-describedby={description ? `${id}-text` : undefined}
        onChange={(event) => onChange(event.target.checked)}
      />
      <label className={styles.label} htmlFor={id}>
        {label}
      </label>
      {description ? (
        <span id={`${id}-text`} className={styles.checkText}>
          {description}
        </span>
      ) : null}
    </div>
  );
}

/** An editor's buttons: save (busy while the request is out) and cancel. */
export function SaveCancel({ label, pending, onCancel }: { label: string; pending: boolean; onCancel: () => void }) {
  return (
    <div className={styles.formActions}>
      <button type="submit" className="button" disabled={pending}>
        {pending ? "Saving…" : label}
      </button>
      <button type="button" className="button button-secondary" onClick={onCancel}>
        Cancel
      </button>
    </div>
  );
}

/** A form's outcome below its fields: the server's refusal (announced at once) or what was done. */
export function FormMessages({ error, success }: { error?: ReactNode; success?: ReactNode }) {
  return (
    <>
      {error ? (
        <p className={styles.alert} role="alert">
          {error}
        </p>
      ) : null}
      {success ? (
        <p className={styles.success} role="status">
          {success}
        </p>
      ) : null}
    </>
  );
}
