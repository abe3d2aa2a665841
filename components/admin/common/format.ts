// Numbers, durations and times as the console shows them. Times use the browser's own time
// zone and locale (Intl with no explicit zone): operators read their wall clock. Unknown
// values stay "unknown", never 0, so an empty estimate cannot pass for a short one.

const countFormat = new Intl.NumberFormat(undefined, { maximumFractionDigits: 0 });
const rateFormat = new Intl.NumberFormat(undefined, { maximumFractionDigits: 1 });
const clockFormat = new Intl.DateTimeFormat(undefined, { hour: "2-digit", minute: "2-digit", second: "2-digit" });
const dateTimeFormat = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "medium" });

export const UNKNOWN = "unknown";

export function formatCount(value: number): string {
  return countFormat.format(value);
}

export function formatRate(perMinute: number): string {
  return rateFormat.format(perMinute);
}

/** Seconds as "42 s", "3 min 05 s", "2 h 10 min"; null as "unknown". */
export function formatDuration(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds)) return UNKNOWN;
  const total = Math.max(0, Math.round(seconds));
  if (total < 60) return `${total} s`;
  const minutes = Math.floor(total / 60);
  if (minutes < 60) return `${minutes} min ${String(total % 60).padStart(2, "0")} s`;
  return `${Math.floor(minutes / 60)} h ${String(minutes % 60).padStart(2, "0")} min`;
}

/** Wall-clock time with seconds, e.g. "14:03:22". */
export function formatClock(time: number | string | Date): string {
  return clockFormat.format(new Date(time));
}

/** Date and time, e.g. "12 Mar 2025, 14:03:22". */
export function formatDateTime(time: number | string | Date | null): string {
  return time === null ? "—" : dateTimeFormat.format(new Date(time));
}

const dayFormat = new Intl.DateTimeFormat(undefined, { month: "short", day: "numeric" });

/** A log time as [day, time]; the day is null for today, so recent entries read at a glance. */
export function formatStamp(time: number | string | Date, now = new Date()): [string | null, string] {
  const date = new Date(time);
  const sameDay = date.toDateString() === now.toDateString();
  return [sameDay ? null : dayFormat.format(date), clockFormat.format(date)];
}

const shortClockFormat = new Intl.DateTimeFormat(undefined, { hour: "2-digit", minute: "2-digit" });
const dayClockFormat = new Intl.DateTimeFormat(undefined, {
  weekday: "short",
  month: "short",
  day: "numeric",
  hour: "2-digit",
  minute: "2-digit",
});

/** A planned time to the minute: "19:00" today, "Thu, Mar 13, 19:00" on another day. */
export function formatWhen(time: number | string | Date, now = new Date()): string {
  const date = new Date(time);
  return date.toDateString() === now.toDateString() ? shortClockFormat.format(date) : dayClockFormat.format(date);
}

/** "Thu, Mar 13, 10:00 – 12:00", or both dates when the range spans midnight. */
export function formatTimeRange(start: string, end: string, now = new Date()): string {
  const from = new Date(start);
  const to = new Date(end);
  const endText = from.toDateString() === to.toDateString() ? shortClockFormat.format(to) : formatWhen(to, now);
  return `${formatWhen(from, now)} – ${endText}`;
}

/** Minutes as "45 min", "2 h", "1 h 30 min". */
export function formatMinutes(minutes: number): string {
  if (minutes < 60) return `${formatCount(minutes)} min`;
  const hours = Math.floor(minutes / 60);
  return minutes % 60 === 0 ? `${formatCount(hours)} h` : `${formatCount(hours)} h ${minutes % 60} min`;
}

export function timeZoneName(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone;
}

/** "1 visitor" / "3 visitors": counts in confirmations read as sentences. */
export function plural(count: number, one: string, many: string): string {
  return `${formatCount(count)} ${count === 1 ? one : many}`;
}
