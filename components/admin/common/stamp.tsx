import styles from "./admin.module.css";
import { formatDateTime, formatStamp } from "./format";

/** A log time: the clock, with the day above it unless it is today; the full date on hover. */
export function Stamp({ iso }: { iso: string }) {
  const [day, time] = formatStamp(iso);
  return (
    <time dateTime={iso} title={formatDateTime(iso)}>
      {day ? <span className={styles.stampDay}>{day}</span> : null}
      {time}
    </time>
  );
}
