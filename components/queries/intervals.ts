// Named polling intervals: the pace while requests succeed (the QueryClient, console-query-client.ts,
// stretches them while they fail). Live counters move every second during a peak; history and lists
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
  /** What raises a room's capacity now; the scheduler acts within a second of an event's time. */
  capacityPlan: 5_000,
  /** Scale event lists and timelines: as often as the capacity plan, so a phase and its capacity agree. */
  events: 5_000,
  /** Threshold states: the sampler evaluates them every 10 s by default. */
  thresholds: 10_000,
  /**
   * Rooms in ALARM (nav and card badges, on every page): the sampler judges thresholds every
   * 10 s by default, so a badge shows within about 15 s of the sample that fires it.
   */
  alarms: 5_000,
  /** Alert history and the delivery log (retries move statuses every few seconds). */
  alerts: 10_000,
  apiKeys: 30_000,
  /** Queue store and cluster health: an outage shows in the banner within seconds. */
  system: 3_000,
  /** Surge policy, notification channel: settings, changed by people. */
  settings: 60_000,
} as const;
