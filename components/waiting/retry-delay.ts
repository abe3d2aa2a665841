// Backoff for failed queue calls: quick first retries so a blip goes unnoticed, then
// slower ones so a struggling server is not hammered by everybody at once (jitter spreads
// a crowd that lost the connection at the same moment).

const FIRST_RETRY_MS = 1_000;
const MAX_BACKOFF_MS = 30_000;
const MAX_RETRY_AFTER_MS = 120_000;
const JITTER = 0.2;

/** Delay before retry number `failures` (1 for the first failure). */
export function retryDelayMs(
  failures: number,
  retryAfterMs: number | null,
  random: () => number = Math.random,
): number {
  const exponent = Math.max(0, Math.min(failures - 1, 10));
  const backoff = Math.min(MAX_BACKOFF_MS, FIRST_RETRY_MS * 2 ** exponent);
  const jittered = backoff * (1 - JITTER + 2 * JITTER * random());
  // The server's Retry-After is a floor, not a suggestion; capped so a bad header cannot strand the page.
  const floor = retryAfterMs === null ? 0 : Math.min(retryAfterMs, MAX_RETRY_AFTER_MS);
  return Math.round(Math.max(jittered, floor));
}

/** Heartbeat interval from a reply, kept in a sane range so a bad value cannot hot-loop or stall. */
export function clampHeartbeatMs(intervalMs: number): number {
  if (!Number.isFinite(intervalMs)) return 5_000;
  return Math.min(60_000, Math.max(1_000, Math.round(intervalMs)));
}
