import "server-only";
import type { SeriesPoint, SeriesRange } from "@/server/admin/admin-types";
import type { Logger } from "@/server/log";
import {
  aggregateByBucket,
  type MetricStore,
  type MetricValues,
  rawResolutionS,
  rollupResolutionS,
  type StoredMetricPoint,
} from "@/server/metrics/metric-store";
import type { RoomStats } from "@/server/queue/types";

// Samples every room's counters on a timer into the metric store, keeps the rollups and
// retention up to date, and answers the console's charts and wait figures. Off the hot path:
// a sample reads counters the engine already keeps, and the database sees one insert per tick.
// Design: server/metrics/README.md.

/** What the sampler reads; the queue engine satisfies it. */
export type SampleSource = {
  roomIds(): string[];
  roomStats(roomId: string): RoomStats;
  /** Waits (ms) of the visitors admitted since the previous call; the source forgets them. */
  takeWaitSamples(roomId: string): number[];
  /** How long the middle visitor of the line has waited so far (ms); null when nobody waits. */
  medianTimeInLineMs?(roomId: string): number | null;
};

/**
 * One room's figures at a sample, as alert thresholds read them. Wait is what visitors live
 * through: the median wait of those admitted in the last 5 minutes, or, when nobody was admitted
 * in that time, how long the middle of the line has waited so far (a stalled line alarms).
 */
export type RoomSample = {
  roomId: string;
  atMs: number;
  active: number;
  waiting: number;
  capacity: number;
  arrivalsPerMinute: number;
  admissionsPerMinute: number;
  expiredPerMinute: number;
  medianWaitSeconds: number | null;
};

export type MetricSamplerOptions = {
  source: SampleSource;
  store: MetricStore;
  logger: Logger;
  sampleIntervalMs: number;
  rawRetentionMs: number;
  rollupRetentionMs: number;
  clock?: () => number;
  /** Most points a series answer holds; longer ranges are averaged into wider buckets. */
  maxSeriesPoints?: number;
  /** Called with every sample's figures (alert evaluation); its failure never stops sampling. */
  onSample?: (samples: RoomSample[]) => Promise<void> | void;
};

export type RecentWaits = { medianSeconds: number | null; p95Seconds: number | null };

export const seriesRangeMs: Record<SeriesRange, number> = {
  "15m": 15 * 60_000,
  "1h": 3_600_000,
  "6h": 6 * 3_600_000,
  "24h": 24 * 3_600_000,
};

const minuteMs = 60_000;
const maintainEveryMs = minuteMs;
const defaultMaxSeriesPoints = 720;
/**
 * The window of a sample's wait figures: the median (and p95) wait of the visitors admitted in
 * the 15 minutes up to the sample. One figure, stored with each point, so the chart's line and
 * the room card (which shows the latest point) say the same thing. A per-interval figure
 * (the admissions of the last 10 s) was mostly gaps and noise, and differed from the card's.
 */
export const waitWindowMs = 15 * 60_000;
/** Recent waits kept per room for recentWaits(): this long, and at most this many. */
const recentWaitsRetentionMs = 3_600_000;
const maxRecentWaitsPerRoom = 10_000;
/** The admitted visitors whose waits make a sample's wait figure for alerts. */
const sampleWaitWindowMs = 5 * 60_000;

export class MetricSampler {
  private readonly source: SampleSource;
  private readonly store: MetricStore;
  private readonly logger: Logger;
  private readonly now: () => number;
  private readonly maxSeriesPoints: number;
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private lastMaintainMs = Number.NEGATIVE_INFINITY;
  /** Each room's expiredTotal at its recent samples (the last minute and one before), for expired/min. */
  private readonly lastExpired = new Map<string, { total: number; atMs: number }[]>();
  private readonly recent = new Map<string, WaitBatch[]>();
  private readonly latest = new Map<string, SeriesPoint>();

  constructor(private readonly options: MetricSamplerOptions) {
    this.source = options.source;
    this.store = options.store;
    this.logger = options.logger;
    this.now = options.clock ?? Date.now;
    this.maxSeriesPoints = options.maxSeriesPoints ?? defaultMaxSeriesPoints;
  }

  /** Samples every sampleIntervalMs and maintains the table about once a minute, until stop(). */
  start(): void {
    if (this.timer) return;
    // A baseline, so the first sample already has an expired/min delta.
    const nowMs = this.now();
    for (const roomId of this.source.roomIds()) {
      this.lastExpired.set(roomId, [{ total: this.source.roomStats(roomId).expiredTotal, atMs: nowMs }]);
    }
    this.timer = setInterval(() => this.tick(), this.options.sampleIntervalMs);
    this.timer.unref();
  }

  /** Stops the timer and waits for a run in progress. */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running;
  }

  /** Reads every room once and writes one raw point each. */
  async sampleOnce(): Promise<void> {
    const nowMs = this.now();
    const points: StoredMetricPoint[] = [];
    const roomIds = this.source.roomIds();
    for (const roomId of roomIds) {
      const stats = this.source.roomStats(roomId);
      this.remember(roomId, nowMs, Float64Array.from(this.source.takeWaitSamples(roomId)).sort());
      const waits = this.waitsSince(roomId, nowMs - waitWindowMs);
      points.push({
        roomId,
        resolutionS: rawResolutionS,
        atMs: nowMs,
        active: stats.active,
        waiting: stats.waiting,
        capacity: stats.capacity,
        arrivalsPerMinute: stats.arrivalsPerMinute,
        admissionsPerMinute: stats.admissionsPerMinute,
        expiredPerMinute: this.expiredPerMinute(roomId, stats.expiredTotal, nowMs),
        medianWaitMs: quantile(waits, 0.5),
        p95WaitMs: quantile(waits, 0.95),
        waitSamples: waits.length,
      });
    }
    // Rooms that were deleted take their memory with them.
    const live = new Set(roomIds);
    for (const map of [this.lastExpired, this.recent, this.latest]) {
      for (const roomId of map.keys()) if (!live.has(roomId)) map.delete(roomId);
    }
    for (const p of points) this.latest.set(p.roomId, toSeriesPoint(p));
    await this.store.insert(points);
    if (this.options.onSample) await this.announce(points, this.options.onSample);
  }

  private async announce(points: StoredMetricPoint[], onSample: (samples: RoomSample[]) => Promise<void> | void) {
    const samples = points.map((p): RoomSample => {
      const admitted = this.recentWaits(p.roomId, sampleWaitWindowMs).medianSeconds;
      const inLineMs = admitted === null ? (this.source.medianTimeInLineMs?.(p.roomId) ?? null) : null;
      return {
        roomId: p.roomId,
        atMs: p.atMs,
        active: p.active,
        waiting: p.waiting,
        capacity: p.capacity,
        arrivalsPerMinute: p.arrivalsPerMinute,
        admissionsPerMinute: p.admissionsPerMinute,
        expiredPerMinute: p.expiredPerMinute,
        medianWaitSeconds: admitted ?? (inLineMs === null ? null : inLineMs / 1000),
      };
    });
    try {
      await onSample(samples);
    } catch (error) {
      this.logger.error({ err: error }, "sample listener failed");
    }
  }

  /** Rolls completed minutes up and drops points past their retention. */
  async maintain(): Promise<void> {
    const nowMs = this.now();
    this.lastMaintainMs = nowMs;
    await this.store.rollup(nowMs);
    await this.store.prune(nowMs, this.options.rawRetentionMs, this.options.rollupRetentionMs);
  }

  /**
   * A room's chart data for a range ending now: raw points for 15m and 1h, minute rollups for
   * 6h and 24h (plus the minutes not rolled up yet, aggregated from raw points, so the chart
   * reaches now). At most maxSeriesPoints: when the range holds more, points are averaged into
   * wider buckets and resolutionSeconds says how wide. Missing samples stay missing.
   */
  async series(roomId: string, range: SeriesRange): Promise<{ resolutionSeconds: number; points: SeriesPoint[] }> {
    const nowMs = this.now();
    const rangeMs = seriesRangeMs[range];
    const fromRaw = range === "15m" || range === "1h";
    const nativeMs = fromRaw ? this.options.sampleIntervalMs : Math.max(minuteMs, this.options.sampleIntervalMs);
    const factor = Math.ceil(rangeMs / nativeMs / this.maxSeriesPoints);
    const bucketMs = nativeMs * factor;
    // Downsampled: whole buckets, the newest one partial; otherwise the points in (now - range, now].
    const fromMs =
      factor > 1 ? (Math.floor(nowMs / bucketMs) - Math.floor(rangeMs / bucketMs) + 1) * bucketMs : nowMs - rangeMs + 1;

    let points: StoredMetricPoint[];
    if (fromRaw) {
      points = await this.store.query(roomId, rawResolutionS, fromMs, nowMs);
    } else {
      const rollups = await this.store.query(roomId, rollupResolutionS, fromMs, nowMs);
      const last = rollups[rollups.length - 1];
      const tail = await this.store.query(roomId, rawResolutionS, last ? last.atMs + minuteMs : fromMs, nowMs);
      points = rollups.concat(aggregateByBucket(tail, minuteMs));
    }
    if (factor > 1) points = aggregateByBucket(points, bucketMs);
    return {
      resolutionSeconds: bucketMs / 1000,
      points: points.slice(-this.maxSeriesPoints).map(toSeriesPoint),
    };
  }

  /** Median and p95 wait of the visitors admitted in the last windowMs (at most an hour), from memory. */
  recentWaits(roomId: string, windowMs: number): RecentWaits {
    const waits = this.waitsSince(roomId, this.now() - windowMs);
    const median = quantile(waits, 0.5);
    const p95 = quantile(waits, 0.95);
    return { medianSeconds: median === null ? null : median / 1000, p95Seconds: p95 === null ? null : p95 / 1000 };
  }

  /** The remembered waits (ms) of visitors admitted after sinceMs, sorted. */
  private waitsSince(roomId: string, sinceMs: number): Float64Array {
    const batches = (this.recent.get(roomId) ?? []).filter((b) => b.atMs > sinceMs);
    const waits = new Float64Array(batches.reduce((n, b) => n + b.waits.length, 0));
    let offset = 0;
    for (const b of batches) {
      waits.set(b.waits, offset);
      offset += b.waits.length;
    }
    return waits.sort();
  }

  /** A room's newest sample, from memory (null before its first): the room card's expired/min and waits. */
  latestPoint(roomId: string): SeriesPoint | null {
    return this.latest.get(roomId) ?? null;
  }

  private tick(): void {
    // Never overlapping: a tick that finds the previous run still going is skipped.
    if (this.running) return;
    this.running = this.run().finally(() => {
      this.running = null;
    });
  }

  private async run(): Promise<void> {
    try {
      await this.sampleOnce();
    } catch (error) {
      this.logger.error({ err: error }, "metric sampling failed");
    }
    if (this.now() - this.lastMaintainMs < maintainEveryMs) return;
    try {
      await this.maintain();
    } catch (error) {
      this.logger.error({ err: error }, "metric rollup or pruning failed");
    }
  }

  /**
   * Expirations per minute over the last minute (or since the first sample, when younger), as
   * arrivals and admissions are: a rate per sample interval would read one expiry in 10 s as a
   * spike of 6 a minute. A room's first sample reports 0; so does a counter that went down
   * (room recreated), which also restarts the history.
   */
  private expiredPerMinute(roomId: string, total: number, nowMs: number): number {
    const history = this.lastExpired.get(roomId) ?? [];
    const last = history.at(-1);
    if (last && total < last.total) history.length = 0;
    // Keep the samples of the last minute and the newest one older than that (the baseline).
    while (history.length > 1 && (history[1]?.atMs ?? nowMs) <= nowMs - minuteMs) history.shift();
    const baseline = history[0];
    history.push({ total, atMs: nowMs });
    this.lastExpired.set(roomId, history);
    if (!baseline || nowMs <= baseline.atMs) return 0;
    return ((total - baseline.total) * minuteMs) / (nowMs - baseline.atMs);
  }

  /** Keeps an interval's waits for recentWaits(), within the time and count bounds. */
  private remember(roomId: string, atMs: number, sortedWaits: Float64Array): void {
    const batches = (this.recent.get(roomId) ?? []).filter((b) => b.atMs > atMs - recentWaitsRetentionMs);
    if (sortedWaits.length) batches.push({ atMs, waits: thin(sortedWaits, maxRecentWaitsPerRoom) });
    let kept = batches.reduce((n, b) => n + b.waits.length, 0);
    while (kept > maxRecentWaitsPerRoom && batches.length > 1) kept -= batches.shift()?.waits.length ?? 0;
    this.recent.set(roomId, batches);
  }
}

type WaitBatch = { atMs: number; waits: Float64Array };

/** Quantile q of sorted values, interpolated between neighbours; null when there are none. */
export function quantile(sorted: ArrayLike<number>, q: number): number | null {
  const n = sorted.length;
  if (!n) return null;
  const h = (n - 1) * q;
  const below = Math.floor(h);
  const lower = sorted[below] as number;
  const upper = sorted[Math.min(below + 1, n - 1)] as number;
  return lower + (h - below) * (upper - lower);
}

/** At most max values, evenly spaced through sorted ones: the distribution survives, the bulk does not. */
function thin(sorted: Float64Array, max: number): Float64Array {
  if (sorted.length <= max) return sorted;
  const step = (sorted.length - 1) / (max - 1);
  return Float64Array.from({ length: max }, (_, i) => sorted[Math.round(i * step)] as number);
}

function toSeriesPoint(p: MetricValues & { atMs: number }): SeriesPoint {
  return {
    t: p.atMs,
    active: p.active,
    waiting: p.waiting,
    capacity: p.capacity,
    arrivalsPerMinute: p.arrivalsPerMinute,
    admissionsPerMinute: p.admissionsPerMinute,
    expiredPerMinute: p.expiredPerMinute,
    medianWaitSeconds: p.medianWaitMs === null ? null : p.medianWaitMs / 1000,
    p95WaitSeconds: p.p95WaitMs === null ? null : p.p95WaitMs / 1000,
  };
}
