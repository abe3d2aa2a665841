// Named polling intervals. Live counters move every second during a peak; history and lists
// change more slowly, and polling them fast would only load the server.
export const pollIntervalMs = {
  /** Room cards and the room header: active, waiting, rates. */
  liveStats: 2_000,
  /** Chart series (the server samples every few seconds). */
  series: 10_000,
  /** Token tables. */
  tokens: 5_000,
  audit: 15_000,
  users: 30_000,
} as const;
