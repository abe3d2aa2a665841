import pino from "pino";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { createPrismaClient, type PrismaClient } from "@/server/db/client";
import { MetricStore, type StoredMetricPoint } from "@/server/metrics/metric-store";
import { MetricSampler, type RoomSample, type SampleSource } from "@/server/metrics/sampler";
import type { RoomStats } from "@/server/queue/types";
import { ManualClock } from "@/server/testing/engine-fixture";
import { tempDatabaseUrl } from "@/server/testing/temp-db";

const t0 = 1_800_000_000_000; // a whole minute (and a whole 2 minutes)
const minuteMs = 60_000;
const hourMs = 3_600_000;
const dayMs = 24 * hourMs;

/** A source whose counters and admitted waits the test sets by hand. */
class FakeSource implements SampleSource {
  readonly stats = new Map<string, RoomStats>();
  readonly waits = new Map<string, number[]>();

  set(roomId: string, stats: Partial<RoomStats>): void {
    this.stats.set(roomId, { ...(this.stats.get(roomId) ?? emptyStats(roomId)), ...stats });
  }
  readonly inLineMs = new Map<string, number | null>();
  medianTimeInLineMs = (roomId: string) => this.inLineMs.get(roomId) ?? null;
  admit(roomId: string, ...waitsMs: number[]): void {
    this.waits.set(roomId, [...(this.waits.get(roomId) ?? []), ...waitsMs]);
  }
  roomIds = () => [...this.stats.keys()];
  roomStats = (roomId: string) => this.stats.get(roomId) ?? emptyStats(roomId);
  takeWaitSamples = (roomId: string) => {
    const taken = this.waits.get(roomId) ?? [];
    this.waits.delete(roomId);
    return taken;
  };
}

const emptyStats = (room: string): RoomStats => ({
  room,
  capacity: 10,
  baseCapacity: 10,
  active: 0,
  waiting: 0,
  arrivedTotal: 0,
  admittedTotal: 0,
  expiredTotal: 0,
  leftTotal: 0,
  sessionsEndedTotal: 0,
  sessionsTimedOutTotal: 0,
  bypassedTotal: 0,
  bypassBeyondCapacity: 0,
  infiniteLine: { held: 0, blocked: 0, rate_limited: 0, challenge_failed: 0 },
  challenges: { issued: 0, solved: 0, stale: 0, forged: 0 },
  evictedTotal: 0,
  arrivalsPerMinute: 0,
  admissionsPerMinute: 0,
  maxActiveObserved: 0,
});

const farFutureMs = t0 + 365 * dayMs;

let db: PrismaClient;
let store: MetricStore;
let source: FakeSource;
let clock: ManualClock;
let logged: { level: number; msg: string; err?: { message: string } }[];

function createSampler(
  overrides: { store?: MetricStore; maxSeriesPoints?: number; onSample?: (samples: RoomSample[]) => void } = {},
) {
  return new MetricSampler({
    source,
    store: overrides.store ?? store,
    logger: pino({ level: "info" }, { write: (line: string) => logged.push(JSON.parse(line)) }),
    sampleIntervalMs: 10_000,
    rawRetentionMs: dayMs,
    rollupRetentionMs: 30 * dayMs,
    clock: clock.now,
    maxSeriesPoints: overrides.maxSeriesPoints,
    onSample: overrides.onSample,
  });
}

beforeEach(() => {
  db = createPrismaClient(tempDatabaseUrl());
  store = new MetricStore(db);
  source = new FakeSource();
  clock = new ManualClock(t0);
  logged = [];
});

afterEach(async () => {
  vi.useRealTimers();
  await db.$disconnect();
});

describe("sampleOnce", () => {
  it("writes one raw point per room with gauges, rates, expired/min over the last minute and wait quantiles", async () => {
    const sampler = createSampler();
    source.set("a", {
      active: 3,
      waiting: 40,
      capacity: 5,
      arrivalsPerMinute: 12,
      admissionsPerMinute: 4,
      expiredTotal: 7,
    });
    source.set("b", { active: 1 });
    source.admit("a", 10_000, 2_000, 4_000, 3_000, 1_000);
    await sampler.sampleOnce();

    clock.advance(10_000);
    source.set("a", { active: 4, expiredTotal: 10 }); // 3 expired in 10 s: 18 a minute
    await sampler.sampleOnce();

    clock.advance(20_000);
    source.set("a", { expiredTotal: 11 }); // 4 in the 30 s since the first sample: 8 a minute
    source.admit("a", 6_000);
    await sampler.sampleOnce();

    expect(await store.query("a", 10, 0, farFutureMs)).toEqual([
      {
        roomId: "a",
        resolutionS: 10,
        atMs: t0,
        active: 3,
        waiting: 40,
        capacity: 5,
        arrivalsPerMinute: 12,
        admissionsPerMinute: 4,
        expiredPerMinute: 0, // the first sample of a room has no previous counter
        medianWaitMs: 3_000,
        p95WaitMs: 8_800, // between 4 s and 10 s, interpolated: 4000 + 0.8 * 6000
        waitSamples: 5,
      },
      // Nobody admitted since: the waits of the last 15 minutes still make the figure.
      expect.objectContaining({
        atMs: t0 + 10_000,
        active: 4,
        expiredPerMinute: 18,
        medianWaitMs: 3_000,
        waitSamples: 5,
      }),
      // 1, 2, 3, 4, 6, 10 s: the median between 3 and 4 s, the p95 between 6 and 10 s.
      expect.objectContaining({
        atMs: t0 + 30_000,
        expiredPerMinute: 8,
        medianWaitMs: 3_500,
        p95WaitMs: 9_000,
        waitSamples: 6,
      }),
    ]);
    expect((await store.query("b", 10, 0, farFutureMs)).map((p) => [p.atMs - t0, p.active])).toEqual([
      [0, 1],
      [10_000, 1],
      [30_000, 1],
    ]);
    expect(sampler.latestPoint("a")).toMatchObject({ t: t0 + 30_000, expiredPerMinute: 8, medianWaitSeconds: 3.5 });

    // The window slides: at +80 s the baseline is the +10 s sample (the newest a minute old or more).
    clock.advance(50_000);
    source.set("a", { expiredTotal: 12 });
    await sampler.sampleOnce();
    expect(sampler.latestPoint("a")?.expiredPerMinute).toBeCloseTo(((12 - 10) * 60) / 70, 6);
  });

  it("gives each point the median wait of the last 15 minutes' admissions, then none once they are older", async () => {
    const sampler = createSampler();
    source.set("a", {});
    source.admit("a", 100_000, 100_000);
    await sampler.sampleOnce();
    clock.advance(10 * minuteMs);
    source.admit("a", 1_000, 2_000, 3_000);
    await sampler.sampleOnce();
    expect(sampler.latestPoint("a")).toMatchObject({ medianWaitSeconds: 3, p95WaitSeconds: 100 });
    clock.advance(10 * minuteMs);
    await sampler.sampleOnce();
    expect(sampler.latestPoint("a")).toMatchObject({ medianWaitSeconds: 2, p95WaitSeconds: 2.9 });
    clock.advance(10 * minuteMs);
    await sampler.sampleOnce();
    expect(sampler.latestPoint("a")).toMatchObject({ medianWaitSeconds: null, p95WaitSeconds: null });
  });

  it("keeps recent waits in memory", async () => {
    const sampler = createSampler();
    source.set("a", {});
    source.admit("a", 100_000, 100_000);
    await sampler.sampleOnce();
    clock.advance(10 * minuteMs);
    source.admit("a", 1_000, 2_000, 3_000);
    await sampler.sampleOnce();

    expect(sampler.recentWaits("a", 15 * minuteMs)).toEqual({ medianSeconds: 3, p95Seconds: 100 });
    expect(sampler.recentWaits("a", 5 * minuteMs)).toEqual({ medianSeconds: 2, p95Seconds: 2.9 });
    clock.advance(20 * minuteMs);
    expect(sampler.recentWaits("a", 15 * minuteMs)).toEqual({ medianSeconds: null, p95Seconds: null });
    expect(sampler.recentWaits("unknown", 15 * minuteMs)).toEqual({ medianSeconds: null, p95Seconds: null });
  });
});

describe("series", () => {
  it.each([
    ["15m", 10],
    ["1h", 10],
    ["6h", 60],
    ["24h", 120],
  ] as const)("answers %s at %i s resolution", async (range, resolutionSeconds) => {
    expect(await createSampler().series("a", range)).toEqual({ resolutionSeconds, points: [] });
  });

  /** Samples room "a" every 10 s, `count` times, with active = the sample's index. */
  async function sampleEvery10s(sampler: MetricSampler, count: number) {
    for (let i = 0; i < count; i++) {
      source.set("a", { active: i, capacity: 100 + i });
      await sampler.sampleOnce();
      clock.advance(10_000);
    }
  }

  it("serves 15m and 1h from raw points, leaving gaps as gaps", async () => {
    const sampler = createSampler();
    await sampleEvery10s(sampler, 6);
    clock.advance(5 * minuteMs); // the process was down
    await sampleEvery10s(sampler, 3);
    clock.advance(-10_000);

    const { points } = await sampler.series("a", "15m");
    expect(points.map((p) => p.t - t0)).toEqual([0, 10, 20, 30, 40, 50, 360, 370, 380].map((s) => s * 1000));
    expect(points.map((p) => p.active)).toEqual([0, 1, 2, 3, 4, 5, 0, 1, 2]);
    expect((await sampler.series("a", "1h")).points).toHaveLength(9);

    clock.advance(15 * minuteMs - 330_000); // now t0 + 950 s: the sample at t0 + 50 s is 15 minutes old, out
    expect((await sampler.series("a", "15m")).points.map((p) => p.active)).toEqual([0, 1, 2]);
  });

  it("serves 6h from minute rollups plus the newest minutes aggregated from raw points", async () => {
    const sampler = createSampler();
    await sampleEvery10s(sampler, 33); // minutes 0-4 complete, 3 samples into minute 5
    clock.advance(-10_000); // now = t0 + 5 min 20 s, the time of the last sample

    // Each minute m holds active 6m..6m+5: mean 6m + 2.5, rounded up; capacity is the minute's last.
    const expected = [
      { t: t0, active: 3, capacity: 105 },
      { t: t0 + minuteMs, active: 9, capacity: 111 },
      { t: t0 + 2 * minuteMs, active: 15, capacity: 117 },
      { t: t0 + 3 * minuteMs, active: 21, capacity: 123 },
      { t: t0 + 4 * minuteMs, active: 27, capacity: 129 },
      { t: t0 + 5 * minuteMs, active: 31, capacity: 132 }, // the partial minute: samples 30, 31, 32
    ];
    const pick = (points: { t: number; active: number; capacity: number }[]) =>
      points.map(({ t, active, capacity }) => ({ t, active, capacity }));

    // Before any rollup, everything comes from raw points...
    const before = await sampler.series("a", "6h");
    expect(before.resolutionSeconds).toBe(60);
    expect(pick(before.points)).toEqual(expected);

    // ...and after it, the same chart from rollups plus the partial minute.
    await sampler.maintain();
    expect(await store.query("a", 60, 0, farFutureMs)).toHaveLength(5);
    expect(pick((await sampler.series("a", "6h")).points)).toEqual(expected);
  });

  it("averages 24h into 2-minute buckets, at most 720 points, reaching the current minute", async () => {
    const sampler = createSampler();
    // A full day of rollups before t0, alternating active 10 and 20, then one raw sample now.
    const rollups: StoredMetricPoint[] = Array.from({ length: 1_440 }, (_, i) => ({
      roomId: "a",
      resolutionS: 60,
      atMs: t0 - (i + 1) * minuteMs,
      active: i % 2 ? 10 : 20,
      waiting: 0,
      capacity: 10,
      arrivalsPerMinute: i % 2 ? 1 : 2,
      admissionsPerMinute: 0,
      expiredPerMinute: 0,
      medianWaitMs: i % 2 ? 1_000 : 4_000,
      p95WaitMs: i % 2 ? 2_000 : 8_000,
      waitSamples: i % 2 ? 3 : 1,
    }));
    await store.insert(rollups);
    clock.advance(30_000);
    source.set("a", { active: 99 });
    await sampler.sampleOnce();

    const { resolutionSeconds, points } = await sampler.series("a", "24h");
    expect(resolutionSeconds).toBe(120);
    expect(points).toHaveLength(720);
    expect(points.slice(1).every((p, i) => p.t - (points[i] as { t: number }).t === 120_000)).toBe(true);
    expect(points[718]).toEqual({
      t: t0 - 120_000,
      active: 15,
      waiting: 0,
      capacity: 10, // the newer minute's
      arrivalsPerMinute: 1.5,
      admissionsPerMinute: 0,
      expiredPerMinute: 0,
      medianWaitSeconds: 1.75, // (1 s * 3 + 4 s * 1) / 4
      p95WaitSeconds: 8,
    });
    expect(points[719]).toMatchObject({ t: t0, active: 99 });
  });

  it("downsamples raw ranges too when they hold more than the cap", async () => {
    const sampler = createSampler({ maxSeriesPoints: 50 });
    await sampleEvery10s(sampler, 90);
    clock.advance(-10_000);
    const { resolutionSeconds, points } = await sampler.series("a", "15m");
    expect(resolutionSeconds).toBe(20);
    expect(points).toHaveLength(45);
    expect(points.at(-1)).toMatchObject({ t: t0 + 880_000, active: 89, capacity: 189 }); // mean of 88 and 89, rounded
    expect(points.at(-2)).toMatchObject({ t: t0 + 860_000, active: 87, capacity: 187 });
  });
});

describe("start and stop", () => {
  it("samples on the timer, maintains once a minute, never overlaps, and logs a failing store instead of throwing", async () => {
    vi.useFakeTimers({ toFake: ["setInterval", "clearInterval"] });
    let release: () => void = () => {};
    const calls = { insert: 0, rollup: 0 };
    class FlakyStore extends MetricStore {
      override async insert(): Promise<void> {
        calls.insert++;
        if (calls.insert === 1) throw new Error("disk full");
        if (calls.insert === 2) await new Promise<void>((resolve) => (release = resolve));
      }
      override async rollup(): Promise<number> {
        calls.rollup++;
        throw new Error("rollup broke");
      }
    }
    const sampler = createSampler({ store: new FlakyStore(db) });
    source.set("a", { expiredTotal: 5 });
    sampler.start();
    source.set("a", { expiredTotal: 11 });

    clock.advance(10_000);
    await vi.advanceTimersByTimeAsync(10_000);
    expect(calls).toEqual({ insert: 1, rollup: 1 });
    expect(logged.map((l) => [l.msg, l.err?.message])).toEqual([
      ["metric sampling failed", "disk full"],
      ["metric rollup or pruning failed", "rollup broke"],
    ]);
    // The baseline taken at start() gives the first sample a delta: 6 expired in 10 s.
    expect(sampler.latestPoint("a")?.expiredPerMinute).toBe(36);

    // The second insert hangs: later ticks are skipped rather than piled up.
    clock.advance(10_000);
    await vi.advanceTimersByTimeAsync(30_000);
    expect(calls.insert).toBe(2);
    release();
    await vi.advanceTimersByTimeAsync(0);

    // Maintenance waits a minute after the last run.
    for (let i = 0; i < 6; i++) {
      clock.advance(10_000);
      await vi.advanceTimersByTimeAsync(10_000);
    }
    expect(calls.insert).toBe(8);
    expect(calls.rollup).toBe(2);
    await sampler.stop();
    await vi.advanceTimersByTimeAsync(60_000);
    expect(calls.insert).toBe(8);
  });
});

describe("onSample (what alert thresholds read)", () => {
  it("hands every room's figures, with the median wait of the last 5 minutes' admissions", async () => {
    const received: RoomSample[][] = [];
    const sampler = createSampler({ onSample: (samples) => void received.push(samples) });
    source.set("a", { active: 3, waiting: 8, capacity: 5, arrivalsPerMinute: 12, admissionsPerMinute: 4 });
    source.admit("a", 30_000, 10_000, 20_000);
    await sampler.sampleOnce();
    clock.advance(10_000);
    source.admit("a", 40_000);
    await sampler.sampleOnce();

    expect(received).toHaveLength(2);
    expect(received[1]).toEqual([
      {
        roomId: "a",
        atMs: t0 + 10_000,
        active: 3,
        waiting: 8,
        capacity: 5,
        arrivalsPerMinute: 12,
        admissionsPerMinute: 4,
        expiredPerMinute: 0,
        // 10, 20, 30, 40 s over both samples
        medianWaitSeconds: 25,
      },
    ]);
  });

  it("falls back to the time the middle of the line has waited when nobody was admitted for 5 minutes", async () => {
    const received: RoomSample[][] = [];
    const sampler = createSampler({ onSample: (samples) => void received.push(samples) });
    source.set("a", { waiting: 3 });
    source.admit("a", 5_000);
    source.inLineMs.set("a", 400_000);
    await sampler.sampleOnce();
    expect(received[0]?.[0]?.medianWaitSeconds).toBe(5);
    clock.advance(5 * minuteMs + 1);
    await sampler.sampleOnce();
    expect(received[1]?.[0]?.medianWaitSeconds).toBe(400);
    source.inLineMs.set("a", null);
    clock.advance(10_000);
    await sampler.sampleOnce();
    expect(received[2]?.[0]?.medianWaitSeconds).toBeNull();
  });

  it("keeps sampling when the listener fails", async () => {
    const sampler = createSampler({
      onSample: () => {
        throw new Error("alerts are down");
      },
    });
    source.set("a", { waiting: 1 });
    await sampler.sampleOnce();
    expect(await store.query("a", 10, 0, farFutureMs)).toHaveLength(1);
    expect(logged.some((l) => l.msg === "sample listener failed" && l.err?.message === "alerts are down")).toBe(true);
  });
});
