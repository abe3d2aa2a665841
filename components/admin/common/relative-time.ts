// How far an instant is from now, in words: "in 5 min", "3 min ago", "2 h 10 min ago",
// "in 3 days". Shown beside a clock time wherever a time may already have passed, so a past
// time never reads as one still to come.

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;
const DAY_MS = 24 * HOUR_MS;

/** The distance alone: "under a minute", "5 min", "2 h 10 min", "3 days". */
export function formatSpan(ms: number): string {
  const span = Math.abs(ms);
  if (span < MINUTE_MS) return "under a minute";
  if (span < HOUR_MS) return `${Math.floor(span / MINUTE_MS)} min`;
  if (span < 2 * DAY_MS) {
    const hours = Math.floor(span / HOUR_MS);
    const minutes = Math.floor((span % HOUR_MS) / MINUTE_MS);
    return minutes === 0 ? `${hours} h` : `${hours} h ${minutes} min`;
  }
  return `${Math.floor(span / DAY_MS)} days`;
}

/** "in 5 min" or "5 min ago" (the instant itself counts as now: "just now"). */
export function formatRelative(epochMs: number, nowMs: number): string {
  const delta = epochMs - nowMs;
  if (Math.abs(delta) < MINUTE_MS) return delta > 0 ? "in under a minute" : "just now";
  return delta > 0 ? `in ${formatSpan(delta)}` : `${formatSpan(delta)} ago`;
}
