import styles from "./ui.module.css";

type ProgressBarProps = {
  /** 0..1; values outside are clamped. */
  value: number;
  label: string;
  /** Spoken instead of the bare percentage. */
  valueText?: string;
  testId?: string;
};

export function ProgressBar({ value, label, valueText, testId }: ProgressBarProps) {
  const fraction = Number.isFinite(value) ? Math.min(1, Math.max(0, value)) : 0;
  const percent = Math.round(fraction * 100);
  return (
    <div
      className={styles.progressTrack}
      role="progressbar"
      aria-label={label}
      aria-valuemin={0}
      aria-valuemax={100}
      aria-valuenow={percent}
      aria-valuetext={valueText}
      data-testid={testId}
    >
      {/* scaleX instead of width: the browser animates it without relayout. */}
      <div className={styles.progressFill} style={{ transform: `scaleX(${fraction})` }} />
    </div>
  );
}
