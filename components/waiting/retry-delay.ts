// Backoff for failed queue calls: quick first retries so a blip goes unnoticed, then slower
// ones, but never slower than what keeps the place. The server drops a place after one
// heartbeat timeout of silence (and after a restart gives restored places a grace that
// counts on this bound), so retries are capped at a quarter of the timeout it announced:
// once the server is back, every page checks in within that. Full jitter (a uniform draw
// over the whole window) spreads a crowd that lost the connection at the same moment, so a
// restarted server is not hit by every page at once.

const FIRST_RETRY_MS = 1_000;
/** No retry sooner than this: a draw near 0 must not turn into a hot loop. */
const MIN_RETRY_MS = 100;
/** The bound is this share of the heartbeat timeout: three more tries fit in before the place lapses. */
const CAP_SHARE_OF_TIMEOUT = 0.25;
const MIN_CAP_MS = 500;
const MAX_CAP_MS = 30_000;
/**
 * Before any reply has said what the timeout is (an admitted page resuming): the bound for a
 * timeout of 8 s, well under the 20 s default and under what operators usually set.
 */
export const DEFAULT_RETRY_CAP_MS = 2_000;
/** A Retry-After is honoured up to this share of the cap, so those told the same one still spread. */
const RETRY_AFTER_SHARE_OF_CAP = 2 / 3;

/** Longest wait between two retries for a room whose heartbeat timeout is `heartbeatTimeoutMs`. */
export function retryCapMs(heartbeatTimeoutMs: number | null | undefined): number {
  if (typeof heartbeatTimeoutMs !== "number" || !Number.isFinite(heartbeatTimeoutMs) || heartbeatTimeoutMs <= 0) {
    return DEFAULT_RETRY_CAP_MS;
  }
  return Math.min(MAX_CAP_MS, Math.max(MIN_CAP_MS, Math.round(heartbeatTimeoutMs * CAP_SHARE_OF_TIMEOUT)));
}

/**
 * Delay before retry number `failures` (1 for the first failure), never above `capMs`.
 * Without Retry-After: full jitter, uniform in (0, min(cap, 1 s × 2^(failures-1))]. With it:
 * no sooner than Retry-After (itself capped), spread up to half as long again (at most the cap).
 */
export function retryDelayMs(
  failures: number,
  retryAfterMs: number | null,
  capMs: number,
  random: () => number = Math.random,
): number {
  const exponent = Math.max(0, Math.min(failures - 1, 20));
  const ceiling = Math.min(capMs, FIRST_RETRY_MS * 2 ** exponent);
  if (retryAfterMs === null) return Math.round(Math.max(MIN_RETRY_MS, random() * ceiling));
  const floor = Math.min(Math.max(retryAfterMs, MIN_RETRY_MS), capMs * RETRY_AFTER_SHARE_OF_CAP);
  const top = Math.min(capMs, Math.max(ceiling, floor * 1.5));
  return Math.round(floor + random() * (top - floor));
}

/** Heartbeat interval from a reply, kept in a sane range so a bad value cannot hot-loop or stall. */
export function clampHeartbeatMs(intervalMs: number): number {
  if (!Number.isFinite(intervalMs)) return 5_000;
  return Math.min(60_000, Math.max(1_000, Math.round(intervalMs)));
}
