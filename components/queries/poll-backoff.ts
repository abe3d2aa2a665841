// How far apart the console's polls go while they fail. Every query polls at its named pace
// (intervals.ts) while it succeeds; after a failure it waits longer each time, up to a minute,
// and goes back to its pace at the first success. Without this, one tab facing a server that
// was down sent ~116 requests in 65 s (every query every 2-10 s, each with retries).

export const backoffFirstMs = 2_000;
export const backoffMaxMs = 60_000;

/**
 * The wait before the next attempt after `failures` failures in a row (0: no wait).
 * The ceiling doubles from 4 s to 60 s; the wait is drawn between half the ceiling and all of
 * it ("equal jitter"), so tabs that failed together drift apart instead of knocking in step,
 * and no wait is shorter than 2 s or longer than 60 s. `random` returns [0, 1).
 */
export function backoffDelayMs(failures: number, random: () => number = Math.random): number {
  if (!Number.isFinite(failures) || failures <= 0) return 0;
  const ceiling = Math.min(backoffMaxMs, backoffFirstMs * 2 ** Math.min(failures, 16));
  return Math.round(ceiling / 2 + random() * (ceiling / 2));
}
