// Turns the engine's ETA (seconds, or null when unknown) into a rounded, language-neutral
// shape. Rounding is always up and coarser as the wait grows, so the page never promises
// more precision than a queue estimate has; messages.ts turns the shape into words.

export type EtaDisplay =
  | { kind: "unknown" }
  | { kind: "under-minute" }
  | { kind: "minutes"; minutes: number }
  | { kind: "hours"; hours: number; minutes: number };

const MINUTE_S = 60;
const TEN_MINUTES_S = 10 * MINUTE_S;
const HOUR_S = 60 * MINUTE_S;

export function formatEta(etaSeconds: number | null): EtaDisplay {
  if (etaSeconds === null || Number.isNaN(etaSeconds)) return { kind: "unknown" };
  if (etaSeconds === Number.POSITIVE_INFINITY) return { kind: "unknown" };
  if (etaSeconds < MINUTE_S) return { kind: "under-minute" };
  if (etaSeconds < TEN_MINUTES_S) return { kind: "minutes", minutes: Math.ceil(etaSeconds / MINUTE_S) };
  if (etaSeconds < HOUR_S) {
    const minutes = Math.ceil(etaSeconds / (5 * MINUTE_S)) * 5;
    // 55:01 rounds up to 60 minutes, which reads better as "about 1 hour".
    return minutes >= 60 ? { kind: "hours", hours: 1, minutes: 0 } : { kind: "minutes", minutes };
  }
  const totalMinutes = Math.ceil(etaSeconds / (15 * MINUTE_S)) * 15;
  return { kind: "hours", hours: Math.floor(totalMinutes / 60), minutes: totalMinutes % 60 };
}
