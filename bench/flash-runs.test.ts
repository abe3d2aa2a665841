import { describe, expect, it } from "vitest";
import { flashChecks, flashSummaryLines, renderFlash, runJudged } from "@/bench/flash-report";
import { flashFigures, perRun, worstRunIndex } from "@/bench/flash-runs";
import type { FlashReport, FlashSettings } from "@/bench/flash-types";
import type { LatencySummary } from "@/bench/load";
import { figuresOf } from "@/bench/record";
import type { BenchResults } from "@/bench/report";

// The flash crowd runs several times and is judged on its worst run, figure by figure.

const latency = (p99Ms: number): LatencySummary => ({
  count: 1000,
  meanMs: p99Ms / 4,
  p50Ms: p99Ms / 5,
  p90Ms: p99Ms / 2,
  p99Ms,
  p999Ms: p99Ms * 1.5,
  maxMs: p99Ms * 2,
});

type Shape = {
  p99Ms?: number;
  hwmMb?: number | null;
  maxActive?: number;
  inversions?: number;
  refillMaxMs?: number | null;
  notExpired?: number;
  accepted?: number;
};

/** A flash run whose every check passes unless the shape says otherwise (capacity 100). */
function flashRun(shape: Shape = {}): FlashReport {
  const capacity = 100;
  const maxActive = shape.maxActive ?? 100;
  const settings: FlashSettings = {
    arrivals: 2000,
    arrivalWindowMs: 4000,
    runMs: 25_000,
    capacity,
    heartbeatIntervalMs: 2000,
    heartbeatTimeoutMs: 8000,
    leaveGraceMs: 2500,
    tickMs: 100,
    sessionMinMs: 2000,
    sessionMaxMs: 6000,
    silentFraction: 0.1,
    refillGoalMs: 1000,
    expiryCheckAfterMs: 2000,
    pool: { connections: 128, pipelining: 1 },
    enterConnections: 256,
    seed: 1,
    metricsEveryMs: 100,
    profileDir: undefined,
  };
  const outcomes = { byStatus: { "200": 1000 }, transportErrors: 0, errorSamples: [] };
  const refillMaxMs = shape.refillMaxMs === undefined ? 200 : shape.refillMaxMs;
  return {
    settings,
    elapsedMs: 25_000,
    arrivals: { scheduled: 2000, accepted: shape.accepted ?? 2000, rejected: 0, failed: 0 },
    admissions: { observedByVisitors: 500, serverAdmittedTotal: 500 },
    capacity: {
      capacity,
      maxActiveObservedMetric: maxActive,
      maxActiveSampled: maxActive,
      samples: 250,
      withinCapacity: maxActive <= capacity,
    },
    fifo: {
      admittedCompared: 500,
      inversions: shape.inversions ?? 0,
      duplicateAdmissionNumbers: 0,
      arrivalOrder: { pairsChecked: 10_000, violations: 0, example: null },
    },
    latency: {
      enter: latency(shape.p99Ms ?? 50),
      heartbeat: latency(10),
      leave: latency(10),
      all: latency(shape.p99Ms ?? 50),
    },
    requests: { total: 10_000, perSecond: 400, outcomes: { enter: outcomes, heartbeat: outcomes, leave: outcomes } },
    memory: { peakRssMb: 300, hwmMb: shape.hwmMb === undefined ? 320 : shape.hwmMb, peakHeapUsedMb: null },
    refill: {
      freedSlots: 400,
      measured: 300,
      unfilled: 0,
      overGoal: refillMaxMs !== null && refillMaxMs > 1000 ? 1 : 0,
      p50Ms: 100,
      p90Ms: 150,
      maxMs: refillMaxMs,
      silent: { measured: 30, p50Ms: 100, maxMs: 150 },
      left: { measured: 270, p50Ms: 100, maxMs: 150 },
      lineEmptyAtMs: null,
      slowest: null,
      goalMs: 1000,
      underfilledSampleShare: 0,
      longestUnderfilledMs: 0,
    },
    expiry: {
      silentVisitors: 50,
      confirmedExpired: 50 - (shape.notExpired ?? 0),
      notExpired: shape.notExpired ?? 0,
      unchecked: 0,
      serverExpiredTotal: 50,
    },
    jwks: {
      maxConcurrent: maxActive + 20,
      maxHeldConcurrent: maxActive,
      longestAfterLastTokenMs: 7000,
      tokenLifetimeMs: 8000,
      verified: 500,
      refused: 0,
    },
    visitorsAtEnd: { pending: 0, entering: 0, waiting: 0, admitted: 0, left: 0, silent: 0, expired: 0, rejected: 0 },
    expiredWhileWaiting: 0,
    expiredWhileAdmitted: 0,
    abandonedAtEnd: { enter: 0, heartbeat: 0, leave: 0 },
    serverResponsiveness: latency(5),
    serverStalls: [],
    generator: {
      dispatchLagP99Ms: 1,
      dispatchLagMaxMs: 2,
      eventLoopDelayP99Ms: 1,
      cpuPercent: 50,
      maxQueuedRequests: 0,
      keptUp: true,
    },
    serverCpuPercent: 80,
    otherCpuPercent: 5,
    serverErrorLogLines: 0,
    serverLogTail: [],
  };
}

describe("worstRunIndex", () => {
  it("picks the highest value when higher is worse, the lowest when lower is", () => {
    expect(worstRunIndex([40, 120, 80], "higher")).toBe(1);
    expect(worstRunIndex([40, 120, 80], "lower")).toBe(0);
  });

  it("skips runs without the figure, takes the earliest on a tie, and says -1 when none has it", () => {
    expect(worstRunIndex([null, 7, undefined, Number.NaN, 3], "higher")).toBe(1);
    expect(worstRunIndex([5, 9, 9], "higher")).toBe(1);
    expect(worstRunIndex([null, undefined], "higher")).toBe(-1);
    expect(worstRunIndex([], "lower")).toBe(-1);
  });
});

describe("each flash figure's worst run", () => {
  const runs = [
    flashRun({ p99Ms: 60, hwmMb: 330, accepted: 1990, inversions: 0 }),
    flashRun({ p99Ms: 140, hwmMb: 310, accepted: 2000, inversions: 2 }),
    flashRun({ p99Ms: 90, hwmMb: 350, accepted: 1980, inversions: 1 }),
  ];
  const worstOf = (label: string) => {
    const figure = flashFigures.find((f) => f.label === label);
    if (!figure) throw new Error(`no figure ${label}`);
    return perRun(runs, figure.value, figure.worse);
  };

  it("is the slowest for latencies, the largest for memory and inversions, the fewest accepted for arrivals", () => {
    expect(worstOf("p99, all requests")).toEqual({ values: [60, 140, 90], worst: 1 });
    expect(worstOf("server peak RSS (VmHWM)").worst).toBe(2);
    expect(worstOf("FIFO inversions").worst).toBe(1);
    expect(worstOf("arrivals accepted").worst).toBe(2);
  });

  it("leaves out a run that lacks the figure", () => {
    const withUnknown = [flashRun({ hwmMb: null }), flashRun({ hwmMb: 300 })];
    const figure = flashFigures.find((f) => f.label === "server peak RSS (VmHWM)");
    expect(figure && perRun(withUnknown, figure.value, figure.worse)).toEqual({ values: [null, 300], worst: 1 });
  });
});

describe("flashChecks over several runs", () => {
  const check = (checks: ReturnType<typeof flashChecks>, name: string) => {
    const found = checks.find((c) => c.name === name);
    if (!found) throw new Error(`no check ${name}`);
    return found;
  };

  it("fails the p99 goal when one run of three misses it, and shows that run", () => {
    const checks = flashChecks([flashRun({ p99Ms: 60 }), flashRun({ p99Ms: 140 }), flashRun({ p99Ms: 90 })]);
    const p99 = check(checks, "flash p99 latency (all requests)");
    expect(p99.pass).toBe(false);
    expect(p99.value).toMatch(/^140\.0 ms \[run 2 of 3; each: 60 \/ 140 FAIL \/ 90\]$/);
  });

  it("passes when every run meets the goal, showing the worst of them", () => {
    const p99 = check(
      flashChecks([flashRun({ p99Ms: 60 }), flashRun({ p99Ms: 95 }), flashRun({ p99Ms: 90 })]),
      "flash p99 latency (all requests)",
    );
    expect(p99.pass).toBe(true);
    expect(p99.value).toContain("[run 2 of 3;");
  });

  it("judges correctness on every run: one run above capacity fails the capacity check", () => {
    const checks = flashChecks([flashRun(), flashRun(), flashRun({ maxActive: 101 })]);
    const capacity = check(checks, "max active ≤ capacity (the engine's own count)");
    expect(capacity).toMatchObject({ pass: false, correctness: true });
    expect(capacity.value).toContain("[run 3 of 3;");
    expect(check(checks, "FIFO inversions (by adm vs seq)").pass).toBe(true);
  });

  it("shows the worst failing run when several fail, and one run as before", () => {
    const runs = [flashRun({ refillMaxMs: 1500 }), flashRun({ refillMaxMs: 200 }), flashRun({ refillMaxMs: 2500 })];
    expect(
      runJudged(
        runs,
        (f) => (f.refill.maxMs ?? 0) <= 1000,
        (f) => f.refill.maxMs,
        "higher",
      ),
    ).toBe(2);
    const single = check(flashChecks([flashRun({ p99Ms: 60 })]), "flash p99 latency (all requests)");
    expect(single.value).toBe("60.0 ms");
    expect(flashChecks([])).toEqual([]);
  });

  it("renders each run and a table of the worst", () => {
    const runs = [flashRun({ p99Ms: 60 }), flashRun({ p99Ms: 140 })];
    const text = renderFlash(runs);
    expect(text).toContain("Flash crowd run 1 of 2");
    expect(text).toContain("Flash crowd run 2 of 2");
    expect(text).toMatch(/p99, all requests\s+60\.0 ms\s+140\.0 ms\s+140\.0 ms \(run 2\)/);
    expect(flashSummaryLines(runs).at(-1)).toContain("worst of 2 runs (goals judged on it): p50, all requests 28.0 ms");
  });
});

describe("figuresOf, the figures a recorded run keeps", () => {
  const results = (flashRuns: FlashReport[]): BenchResults => ({
    startedAt: "2026-12-02T03:00:00.000Z",
    finishedAt: "2026-12-02T03:10:00.000Z",
    mode: "full",
    store: "sqlite",
    host: {
      node: "v24.22.3",
      cpus: 2,
      cpuModel: "test CPU",
      loadAverageBefore: [0, 0, 0],
      loadAverageAfter: [0, 0, 0],
      uptimeBefore: "",
      uptimeAfter: "",
    },
    heartbeat: null,
    flashRuns,
    cost: null,
    memory: null,
    checks: [],
  });

  it("records the worst run's figure, judged against the goal, with every run's beside it", () => {
    const figures = figuresOf(results([flashRun({ p99Ms: 60 }), flashRun({ p99Ms: 140 }), flashRun({ p99Ms: 90 })]));
    expect(figures.flashP99).toEqual({ value: 140, goal: "< 100 ms", met: false, runs: [60, 140, 90] });
    expect(figures.flashHwm).toMatchObject({ value: 320, met: true, runs: [320, 320, 320] });
  });

  it("keeps the one-run shape when the flash crowd ran once", () => {
    expect(figuresOf(results([flashRun({ p99Ms: 60 })])).flashP99).toEqual({ value: 60, goal: "< 100 ms", met: true });
  });
});
