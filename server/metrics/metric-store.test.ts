import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createPrismaClient, type PrismaClient } from "@/server/db/client";
import { MetricStore, mergeMetricValues, type StoredMetricPoint } from "@/server/metrics/metric-store";
import { tempDatabaseUrl } from "@/server/testing/temp-db";

const t0 = 1_800_000_000_000; // a whole minute
const minuteMs = 60_000;
const hourMs = 3_600_000;
const dayMs = 24 * hourMs;
const farFutureMs = t0 + 365 * dayMs;

const point = (overrides: Partial<StoredMetricPoint> = {}): StoredMetricPoint => ({
  roomId: "a",
  resolutionS: 10,
  atMs: t0,
  active: 0,
  waiting: 0,
  capacity: 10,
  arrivalsPerMinute: 0,
  admissionsPerMinute: 0,
  expiredPerMinute: 0,
  medianWaitMs: null,
  p95WaitMs: null,
  waitSamples: 0,
  ...overrides,
});

let db: PrismaClient;
let store: MetricStore;

beforeEach(() => {
  db = createPrismaClient(tempDatabaseUrl());
  store = new MetricStore(db);
});

afterEach(async () => {
  await db.$disconnect();
});

describe("insert and query", () => {
  it("returns one room's points of one resolution, oldest first, bounds included", async () => {
    await store.insert([
      point({ atMs: t0 + 20_000, active: 3 }),
      point({ atMs: t0, active: 1 }),
      point({
        atMs: t0 + 10_000,
        active: 2,
        arrivalsPerMinute: 1.25,
        medianWaitMs: 1500,
        p95WaitMs: 2500,
        waitSamples: 2,
      }),
      point({ atMs: t0 + 30_000, active: 4 }),
      point({ roomId: "b", atMs: t0 + 10_000, active: 9 }),
      point({ resolutionS: 60, atMs: t0, active: 8 }),
    ]);
    const points = await store.query("a", 10, t0 + 10_000, t0 + 30_000);
    expect(points.map((p) => [p.atMs, p.active])).toEqual([
      [t0 + 10_000, 2],
      [t0 + 20_000, 3],
      [t0 + 30_000, 4],
    ]);
    expect(points[0]).toEqual(
      point({
        atMs: t0 + 10_000,
        active: 2,
        arrivalsPerMinute: 1.25,
        medianWaitMs: 1500,
        p95WaitMs: 2500,
        waitSamples: 2,
      }),
    );
  });

  it("replaces a point with the same room, resolution and time", async () => {
    await store.insert([point({ active: 1 })]);
    await store.insert([point({ active: 5, medianWaitMs: 700, waitSamples: 1 })]);
    expect(await store.query("a", 10, t0, t0)).toEqual([point({ active: 5, medianWaitMs: 700, waitSamples: 1 })]);
  });

  it("writes more rows than one statement holds", async () => {
    const many = Array.from({ length: 1_234 }, (_, i) => point({ atMs: t0 + i * 10_000, active: i }));
    await store.insert(many);
    const back = await store.query("a", 10, 0, farFutureMs);
    expect(back).toHaveLength(1_234);
    expect(back[1_233]?.active).toBe(1_233);
  });
});

describe("rollup", () => {
  // Six raw points of minute t0, chosen so that every aggregate is distinguishable.
  const minuteZero = [
    point({ atMs: t0, active: 1, waiting: 10, capacity: 5, arrivalsPerMinute: 6, admissionsPerMinute: 1 }),
    point({ atMs: t0 + 10_000, active: 2, waiting: 10, capacity: 5, arrivalsPerMinute: 6, admissionsPerMinute: 2 }),
    point({ atMs: t0 + 20_000, active: 3, waiting: 10, capacity: 5, arrivalsPerMinute: 6, admissionsPerMinute: 3 }),
    point({ atMs: t0 + 30_000, active: 4, waiting: 10, capacity: 5, arrivalsPerMinute: 6, admissionsPerMinute: 4 }),
    point({ atMs: t0 + 40_000, active: 5, waiting: 10, capacity: 5, arrivalsPerMinute: 6, admissionsPerMinute: 5 }),
    point({
      atMs: t0 + 50_000,
      active: 6,
      waiting: 40,
      capacity: 7,
      arrivalsPerMinute: 12,
      admissionsPerMinute: 6,
      expiredPerMinute: 6,
    }),
  ];
  minuteZero[0] = { ...(minuteZero[0] as StoredMetricPoint), medianWaitMs: 1000, p95WaitMs: 1000, waitSamples: 1 };
  minuteZero[2] = { ...(minuteZero[2] as StoredMetricPoint), medianWaitMs: 4000, p95WaitMs: 9000, waitSamples: 3 };

  const expectedMinuteZero = point({
    resolutionS: 60,
    atMs: t0,
    active: 4, // mean 3.5, rounded
    waiting: 15,
    capacity: 7, // the last value of the minute
    arrivalsPerMinute: 7,
    admissionsPerMinute: 3.5,
    expiredPerMinute: 1,
    medianWaitMs: 3250, // (1000 * 1 + 4000 * 3) / 4
    p95WaitMs: 9000,
    waitSamples: 4,
  });

  it("aggregates the raw points of each completed minute, per room, and leaves the current minute alone", async () => {
    await store.insert([
      ...minuteZero,
      point({ atMs: t0 + 70_000, active: 50 }), // in the current minute at t0 + 90 s
      point({ roomId: "b", atMs: t0 + 5_000, active: 2 }),
      point({ roomId: "b", atMs: t0 + 15_000, active: 4 }),
    ]);

    expect(await store.rollup(t0 + 90_000)).toBe(2);
    expect(await store.query("a", 60, 0, farFutureMs)).toEqual([expectedMinuteZero]);
    expect(await store.query("b", 60, 0, farFutureMs)).toEqual([
      point({ roomId: "b", resolutionS: 60, atMs: t0, active: 3 }),
    ]);
  });

  it("is idempotent, and picks up each minute once it is complete", async () => {
    await store.insert([...minuteZero, point({ atMs: t0 + 70_000, active: 50 })]);
    const all = () => store.query("a", 60, 0, farFutureMs);

    expect(await store.rollup(t0 + 90_000)).toBe(1);
    const first = await all();
    expect(await store.rollup(t0 + 90_000)).toBe(0);
    expect(await store.rollup(t0 + 119_999)).toBe(0);
    expect(await all()).toEqual(first);

    expect(await store.rollup(t0 + 120_000)).toBe(1);
    expect(await all()).toEqual([expectedMinuteZero, point({ resolutionS: 60, atMs: t0 + minuteMs, active: 50 })]);
    // The raw points stay until their retention ends.
    expect(await store.query("a", 10, 0, farFutureMs)).toHaveLength(7);
  });

  it("leaves minutes without samples out (a gap stays a gap)", async () => {
    await store.insert([
      point({ atMs: t0 + 10_000, active: 1 }),
      point({ atMs: t0 + 3 * minuteMs + 10_000, active: 2 }),
    ]);
    await store.rollup(t0 + 4 * minuteMs);
    const rollups = await store.query("a", 60, 0, farFutureMs);
    expect(rollups.map((p) => [p.atMs, p.active])).toEqual([
      [t0, 1],
      [t0 + 3 * minuteMs, 2],
    ]);
  });
});

describe("prune", () => {
  it("keeps raw points for the raw retention and rollups for the rollup retention, boundaries included", async () => {
    const now = t0 + 40 * dayMs;
    await store.insert([
      point({ atMs: now - dayMs, active: 1 }),
      point({ atMs: now - dayMs - 1, active: 2 }),
      point({ resolutionS: 60, atMs: now - dayMs - minuteMs, active: 3 }),
      point({ resolutionS: 60, atMs: now - 30 * dayMs, active: 4 }),
      point({ resolutionS: 60, atMs: now - 30 * dayMs - 1, active: 5 }),
    ]);

    expect(await store.prune(now, dayMs, 30 * dayMs)).toEqual({ raw: 1, rollup: 1 });
    expect((await store.query("a", 10, 0, now)).map((p) => p.active)).toEqual([1]);
    expect((await store.query("a", 60, 0, now)).map((p) => p.active)).toEqual([4, 3]);
  });
});

describe("mergeMetricValues", () => {
  it("reports no wait figures when no point has any", () => {
    const merged = mergeMetricValues([point({ active: 1 }), point({ active: 2 })]);
    expect(merged).toMatchObject({ active: 2, medianWaitMs: null, p95WaitMs: null, waitSamples: 0 });
  });
});
