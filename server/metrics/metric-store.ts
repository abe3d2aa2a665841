import "server-only";
import { type PrismaClient, providerOf } from "@/server/db/client";
import { type SqlDialect, sqlDialect } from "@/server/db/sql";

// The metric time series in SQLite (table MetricSample): raw points at the sampling interval
// (resolutionS 10) and one-minute rollups (resolutionS 60). The only module that touches the
// table. Design and approximations: server/metrics/README.md.

/** The values of one point, raw or aggregated. Wait times in ms; counts are whole numbers. */
export type MetricValues = {
  active: number;
  waiting: number;
  capacity: number;
  arrivalsPerMinute: number;
  admissionsPerMinute: number;
  expiredPerMinute: number;
  /** null when nobody was admitted in the interval. */
  medianWaitMs: number | null;
  p95WaitMs: number | null;
  /** How many admitted visitors the wait figures describe. */
  waitSamples: number;
};

export type StoredMetricPoint = MetricValues & {
  roomId: string;
  /** 10: raw points (one per sample, whatever the sampling interval); 60: one-minute rollups. */
  resolutionS: 10 | 60;
  atMs: number;
};

export const rawResolutionS: StoredMetricPoint["resolutionS"] = 10;
export const rollupResolutionS: StoredMetricPoint["resolutionS"] = 60;
const minuteMs = 60_000;

// 12 bound parameters a row: well under SQLite's limit of 32,766 per statement (PostgreSQL's: 65,535).
const insertChunkRows = 500;

const columns = [
  "roomId",
  "resolutionS",
  "at",
  "active",
  "waiting",
  "capacity",
  "arrivalsPerMinute",
  "admissionsPerMinute",
  "expiredPerMinute",
  "medianWaitMs",
  "p95WaitMs",
  "waitSamples",
] as const;
const valueColumns = columns.slice(3);

export class MetricStore {
  private readonly dialect: SqlDialect;

  constructor(private readonly db: PrismaClient) {
    this.dialect = sqlDialect(providerOf(db));
  }

  /** Writes points; a point whose (room, resolution, time) exists replaces it. */
  async insert(points: StoredMetricPoint[]): Promise<void> {
    if (!points.length) return;
    // Every write runs in its own transaction: the adapter shares one SQLite connection with
    // the queue store, and only a transaction takes its lock. A bare statement issued while the
    // store's transaction is open would join it (and be rolled back with it).
    await this.db.$transaction(async (tx) => {
      for (let start = 0; start < points.length; start += insertChunkRows) {
        const chunk = points.slice(start, start + insertChunkRows);
        const row = `(${columns.map(() => "?").join(", ")})`;
        // One multi-row upsert: createMany has no upsert, and per-row upserts plan a query each.
        await tx.$executeRawUnsafe(
          this.dialect.sql(
            `INSERT INTO "MetricSample" (${columns.map((c) => `"${c}"`).join(", ")}) VALUES ${chunk.map(() => row).join(", ")}
           ON CONFLICT ("roomId", "resolutionS", "at") DO UPDATE SET ${valueColumns.map((c) => `"${c}" = excluded."${c}"`).join(", ")}`,
          ),
          ...chunk.flatMap((p) => [
            p.roomId,
            p.resolutionS,
            new Date(p.atMs),
            Math.round(p.active),
            Math.round(p.waiting),
            Math.round(p.capacity),
            p.arrivalsPerMinute,
            p.admissionsPerMinute,
            p.expiredPerMinute,
            p.medianWaitMs === null ? null : Math.round(p.medianWaitMs),
            p.p95WaitMs === null ? null : Math.round(p.p95WaitMs),
            p.waitSamples,
          ]),
        );
      }
    });
  }

  /** Points of one room and resolution with fromMs <= time <= toMs, oldest first. */
  async query(roomId: string, resolutionS: 10 | 60, fromMs: number, toMs: number): Promise<StoredMetricPoint[]> {
    const rows = await this.db.metricSample.findMany({
      where: { roomId, resolutionS, at: { gte: new Date(fromMs), lte: new Date(toMs) } },
      orderBy: { at: "asc" },
    });
    return rows.map((r) => ({
      roomId: r.roomId,
      resolutionS: r.resolutionS === rollupResolutionS ? rollupResolutionS : rawResolutionS,
      atMs: r.at.getTime(),
      active: r.active,
      waiting: r.waiting,
      capacity: r.capacity,
      arrivalsPerMinute: r.arrivalsPerMinute,
      admissionsPerMinute: r.admissionsPerMinute,
      expiredPerMinute: r.expiredPerMinute,
      medianWaitMs: r.medianWaitMs,
      p95WaitMs: r.p95WaitMs,
      waitSamples: r.waitSamples,
    }));
  }

  /** Time of a room's newest rollup, or null when it has none. */
  async lastRollupMs(roomId: string): Promise<number | null> {
    const row = await this.db.metricSample.findFirst({
      where: { roomId, resolutionS: rollupResolutionS },
      orderBy: { at: "desc" },
      select: { at: true },
    });
    return row ? row.at.getTime() : null;
  }

  /**
   * Rolls the raw points of every completed minute (before the minute containing nowMs) that
   * is newer than the room's newest rollup into one-minute points. Returns how many rollups
   * it wrote. Running it again writes nothing new; rows are upserted by primary key.
   */
  async rollup(nowMs: number): Promise<number> {
    const cutoffMs = Math.floor(nowMs / minuteMs) * minuteMs;
    const rollups: StoredMetricPoint[] = [];
    for (const roomId of await this.roomIds()) {
      const lastMs = await this.lastRollupMs(roomId);
      const fromMs = lastMs === null ? 0 : lastMs + minuteMs;
      if (fromMs >= cutoffMs) continue;
      const raw = await this.query(roomId, rawResolutionS, fromMs, cutoffMs - 1);
      rollups.push(...aggregateByBucket(raw, minuteMs).map((p) => ({ ...p, resolutionS: rollupResolutionS })));
    }
    await this.insert(rollups);
    return rollups.length;
  }

  /** Deletes raw points older than nowMs - rawRetentionMs and rollups older than nowMs - rollupRetentionMs. */
  async prune(
    nowMs: number,
    rawRetentionMs: number,
    rollupRetentionMs: number,
  ): Promise<{ raw: number; rollup: number }> {
    return this.db.$transaction(async (tx) => {
      const raw = await tx.metricSample.deleteMany({
        where: { resolutionS: rawResolutionS, at: { lt: new Date(nowMs - rawRetentionMs) } },
      });
      const rollup = await tx.metricSample.deleteMany({
        where: { resolutionS: rollupResolutionS, at: { lt: new Date(nowMs - rollupRetentionMs) } },
      });
      return { raw: raw.count, rollup: rollup.count };
    });
  }

  /** Every room with points, by a skip scan of the primary key: one index seek per room, not a table scan. */
  private async roomIds(): Promise<string[]> {
    const rows = await this.db.$queryRawUnsafe<{ id: string | null }[]>(
      `WITH RECURSIVE rooms(id) AS (
         SELECT MIN("roomId") FROM "MetricSample"
         UNION ALL
         SELECT (SELECT MIN("roomId") FROM "MetricSample" WHERE "roomId" > rooms.id) FROM rooms WHERE rooms.id IS NOT NULL
       )
       SELECT id FROM rooms WHERE id IS NOT NULL`,
    );
    return rows.flatMap((r) => (r.id === null ? [] : [r.id]));
  }
}

/**
 * Merges points into one per room and time bucket (bucket start = floor(time / bucketMs) *
 * bucketMs), oldest first; buckets without points are left out. See mergeMetricValues.
 */
export function aggregateByBucket<P extends MetricValues & { roomId: string; atMs: number }>(
  points: P[],
  bucketMs: number,
): (P & MetricValues)[] {
  const groups = new Map<string, P[]>();
  for (const p of [...points].sort((a, b) => a.atMs - b.atMs)) {
    const bucketStartMs = Math.floor(p.atMs / bucketMs) * bucketMs;
    const key = `${p.roomId}\u0000${bucketStartMs}`;
    const group = groups.get(key);
    if (group) group.push(p);
    else groups.set(key, [p]);
  }
  const merged: (P & MetricValues)[] = [];
  for (const group of groups.values()) {
    const first = group[0] as P;
    merged.push({ ...first, atMs: Math.floor(first.atMs / bucketMs) * bucketMs, ...mergeMetricValues(group) });
  }
  return merged.sort((a, b) => a.atMs - b.atMs || a.roomId.localeCompare(b.roomId));
}

/**
 * One point standing for several, given oldest first: the mean of active, waiting and the
 * rates (counts rounded), the last capacity, the summed wait samples, a median that is the
 * mean of the medians weighted by their sample counts, and the largest p95. The last two
 * are approximations: exact figures would need every wait, which the table does not keep.
 */
export function mergeMetricValues(points: MetricValues[]): MetricValues {
  const n = points.length;
  const last = points[n - 1];
  if (!last) throw new Error("mergeMetricValues needs at least one point");
  const mean = (value: (p: MetricValues) => number) => points.reduce((sum, p) => sum + value(p), 0) / n;
  let weightedMedian = 0;
  let medianWeight = 0;
  let p95WaitMs: number | null = null;
  let waitSamples = 0;
  for (const p of points) {
    waitSamples += p.waitSamples;
    if (p.medianWaitMs !== null && p.waitSamples > 0) {
      weightedMedian += p.medianWaitMs * p.waitSamples;
      medianWeight += p.waitSamples;
    }
    if (p.p95WaitMs !== null) p95WaitMs = Math.max(p95WaitMs ?? 0, p.p95WaitMs);
  }
  return {
    active: Math.round(mean((p) => p.active)),
    waiting: Math.round(mean((p) => p.waiting)),
    capacity: last.capacity,
    arrivalsPerMinute: mean((p) => p.arrivalsPerMinute),
    admissionsPerMinute: mean((p) => p.admissionsPerMinute),
    expiredPerMinute: mean((p) => p.expiredPerMinute),
    medianWaitMs: medianWeight > 0 ? Math.round(weightedMedian / medianWeight) : null,
    p95WaitMs,
    waitSamples,
  };
}
