import fs from "node:fs";
import path from "node:path";
import { writeUnitsPerWaitingMinuteGoal } from "@/bench/cost-model";
import { checkedWaitMinutes, strayHeartbeatRequests } from "@/bench/cost-report";
import { perRun, type Worse } from "@/bench/flash-runs";
import type { FlashReport } from "@/bench/flash-types";
import { type BenchResults, enterRatioGoal, heartbeatRatioGoal } from "@/bench/report";

// The README's bench figures come from here, not from anyone's copy: `npm run bench -- --record`
// appends a run's figures to bench/results/recorded.json (committed), with when, which commit
// and what machine; `npm run bench:readme` renders them, as ranges over the recorded runs,
// into the README between the bench markers, every goal shown as met or MISSED. A unit test
// (bench/readme.test.ts) fails when the README's table differs from the recorded runs.

export const recordFile = path.join(__dirname, "results", "recorded.json");

type Goal = { op: "<" | "≤" | "≥" | "="; target: number };

type Metric = {
  key: string;
  label: string;
  unit: string;
  digits: number;
  store: "sqlite" | "dynamodb";
  /** The figure, from a run's results (or `flash`, below). */
  value?: (r: BenchResults) => number | null | undefined;
  /**
   * A flash crowd figure: read from every run; the figure recorded (and judged against the
   * goal) is the worst run's, the others kept beside it (RecordedFigure.runs).
   */
  flash?: { value: (f: FlashReport) => number | null | undefined; worse: Worse };
  /** The goal, when the figure has one (a target may depend on the run, e.g. its capacity). */
  goal?: (r: BenchResults) => Goal | null;
};

const capacityOf = (r: BenchResults) => r.flashRuns[0]?.settings.capacity ?? null;
/** A flash figure, worse when higher (every one recorded so far). */
const flashFigure = (value: (f: FlashReport) => number | null | undefined) => ({
  flash: { value, worse: "higher" as const },
});
const atMost = (target: number | null | undefined): Goal | null =>
  target === null || target === undefined ? null : { op: "≤", target };

export const metrics: Metric[] = [
  {
    key: "heartbeatRatio",
    label: "heartbeat req/s ÷ bare node:http req/s",
    unit: "",
    digits: 2,
    store: "sqlite",
    value: (r) => r.heartbeat?.ratio,
    goal: () => ({ op: "≥", target: heartbeatRatioGoal }),
  },
  {
    key: "heartbeatRate",
    label: "heartbeat req/s",
    unit: "req/s",
    digits: 0,
    store: "sqlite",
    value: (r) => r.heartbeat?.heartbeat.requestsPerSecond,
  },
  {
    key: "enterRatio",
    label: "enter (a new durable place) req/s ÷ bare req/s",
    unit: "",
    digits: 2,
    store: "sqlite",
    value: (r) => (r.heartbeat ? r.heartbeat.enter.requestsPerSecond / r.heartbeat.baseline.requestsPerSecond : null),
    goal: () => ({ op: "≥", target: enterRatioGoal }),
  },
  {
    key: "enterFloorRatio",
    label: "enter floor (the least a durable arrival costs) req/s ÷ bare req/s",
    unit: "",
    digits: 2,
    store: "sqlite",
    value: (r) =>
      r.heartbeat?.enterFloor
        ? r.heartbeat.enterFloor.requestsPerSecond / r.heartbeat.baseline.requestsPerSecond
        : null,
  },
  {
    key: "enterToFloor",
    label: "enter req/s ÷ enter floor req/s",
    unit: "",
    digits: 2,
    store: "sqlite",
    value: (r) =>
      r.heartbeat?.enterFloor ? r.heartbeat.enter.requestsPerSecond / r.heartbeat.enterFloor.requestsPerSecond : null,
  },
  {
    key: "enterPowRatio",
    label: "enter with a solved proof-of-work challenge req/s ÷ plain enter req/s (same app)",
    unit: "",
    digits: 2,
    store: "sqlite",
    value: (r) =>
      r.heartbeat?.enterPow && r.heartbeat.enterPow.plain.requestsPerSecond > 0
        ? r.heartbeat.enterPow.enter.requestsPerSecond / r.heartbeat.enterPow.plain.requestsPerSecond
        : null,
  },
  {
    key: "enterPowRate",
    label: "enter with a solved proof-of-work challenge",
    unit: "req/s",
    digits: 0,
    store: "sqlite",
    value: (r) => r.heartbeat?.enterPow?.enter.requestsPerSecond ?? null,
  },
  {
    key: "enterP99",
    label: "enter p99",
    unit: "ms",
    digits: 0,
    store: "sqlite",
    value: (r) => r.heartbeat?.enter.latency.p99Ms,
  },
  {
    key: "flashP50",
    label: "flash crowd p50, all requests",
    unit: "ms",
    digits: 0,
    store: "sqlite",
    ...flashFigure((f) => f.latency.all.p50Ms),
  },
  {
    key: "flashP99",
    label: "flash crowd p99, all requests",
    unit: "ms",
    digits: 0,
    store: "sqlite",
    ...flashFigure((f) => f.latency.all.p99Ms),
    goal: () => ({ op: "<", target: 100 }),
  },
  {
    key: "flashActive",
    label: "flash crowd: most admitted at once (engine's count)",
    unit: "",
    digits: 0,
    store: "sqlite",
    ...flashFigure((f) => f.capacity.maxActiveObservedMetric),
    goal: (r) => atMost(capacityOf(r)),
  },
  {
    key: "flashJwks",
    label: "flash crowd: most admissions a JWKS verifier accepts at once, of visitors not known gone",
    unit: "",
    digits: 0,
    store: "sqlite",
    ...flashFigure((f) => f.jwks?.maxHeldConcurrent),
    goal: (r) => atMost(capacityOf(r)),
  },
  {
    key: "flashJwksAll",
    label:
      "flash crowd: most admissions a JWKS verifier accepts at once, gone visitors included (bound: capacity + those gone within one token lifetime)",
    unit: "",
    digits: 0,
    store: "sqlite",
    ...flashFigure((f) => f.jwks?.maxConcurrent),
  },
  {
    key: "flashFifo",
    label: "flash crowd: FIFO inversions",
    unit: "",
    digits: 0,
    store: "sqlite",
    ...flashFigure((f) => f.fifo.inversions),
    goal: () => ({ op: "=", target: 0 }),
  },
  {
    key: "flashRefillMax",
    label: "flash crowd: slowest refill of a freed slot",
    unit: "ms",
    digits: 0,
    store: "sqlite",
    ...flashFigure((f) => f.refill.maxMs),
    goal: (r) => atMost(r.flashRuns[0]?.refill.goalMs ?? null),
  },
  {
    key: "flashSeenP50",
    label: "flash crowd: admission -> the page knows, p50",
    unit: "ms",
    digits: 0,
    store: "sqlite",
    ...flashFigure((f) => f.admissionSeen?.latency.p50Ms),
  },
  {
    key: "flashSeenP90",
    label: "flash crowd: admission -> the page knows, p90",
    unit: "ms",
    digits: 0,
    store: "sqlite",
    ...flashFigure((f) => f.admissionSeen?.latency.p90Ms),
    goal: () => ({ op: "≤", target: 1_000 }),
  },
  {
    key: "flashSeenMax",
    label: "flash crowd: admission -> the page knows, max",
    unit: "ms",
    digits: 0,
    store: "sqlite",
    ...flashFigure((f) => f.admissionSeen?.latency.maxMs),
    goal: () => ({ op: "≤", target: 2_000 }),
  },
  {
    key: "flashHwm",
    label: "flash crowd: server peak RSS (VmHWM)",
    unit: "MB",
    digits: 0,
    store: "sqlite",
    ...flashFigure((f) => f.memory.hwmMb),
    goal: () => ({ op: "<", target: 500 }),
  },
  {
    key: "originConcurrent",
    label: "origin census: most admissions /shop accepted at once",
    unit: "",
    digits: 0,
    store: "sqlite",
    value: (r) => r.origin?.origin.maxConcurrent,
    goal: (r) => atMost(r.origin?.settings.capacity),
  },
  {
    key: "memoryHwm",
    label: "memory scenario (hostile mix, 1,000 req/s): peak RSS (VmHWM)",
    unit: "MB",
    digits: 0,
    store: "sqlite",
    value: (r) => r.memory?.memory.atEnd?.hwmMb,
    goal: () => ({ op: "<", target: 500 }),
  },
  {
    key: "dynamoHeartbeatRequests",
    label: "DynamoDB requests in the heartbeat window other than admissions' and removals'",
    unit: "",
    digits: 0,
    store: "dynamodb",
    value: (r) => strayHeartbeatRequests(r.heartbeat),
    goal: () => ({ op: "=", target: 0 }),
  },
  {
    key: "dynamoPerVisit",
    label: "DynamoDB write units per visit (arrive, be admitted, leave), whatever its length",
    unit: "",
    digits: 1,
    store: "dynamodb",
    value: (r) => r.cost?.model?.perVisit.writeUnits,
  },
  {
    key: "dynamoBackground",
    label: "DynamoDB write units a minute no visit paid for (background)",
    unit: "",
    digits: 2,
    store: "dynamodb",
    value: (r) => r.cost?.model?.backgroundPerMinute.writeUnits,
  },
  ...[2, 10, 30].map(
    (wait): Metric => ({
      key: `dynamoAt${wait}Min`,
      label: `DynamoDB write units per waiting visitor-minute at a ${wait}-minute mean wait (computed from the two rows above)`,
      unit: "",
      digits: 2,
      store: "dynamodb",
      value: (r) => r.cost?.model?.atWaits.find((w) => w.waitMinutes === wait)?.perWaitingVisitorMinute.writeUnits,
      goal: wait === checkedWaitMinutes ? () => ({ op: "≤", target: writeUnitsPerWaitingMinuteGoal }) : undefined,
    }),
  ),
  {
    key: "dynamoBreakEven",
    label: "mean wait from which a waiting visitor-minute costs ≤ 1 DynamoDB write unit",
    unit: "min",
    digits: 1,
    store: "dynamodb",
    value: (r) => r.cost?.model?.breakEvenWaitMinutes,
  },
];

/**
 * One figure of a recorded run. A flash crowd figure of a run with several flash runs keeps each
 * run's value in `runs` (in order); `value` and `met` are then the worst run's. Runs recorded
 * before the flash crowd ran several times have no `runs`: one flash run, `value`.
 */
export type RecordedFigure = { value: number; goal: string | null; met: boolean | null; runs?: number[] };

export type RecordedRun = {
  startedAt: string;
  commit: string;
  mode: BenchResults["mode"];
  store: BenchResults["store"];
  machine: string;
  loadAverageBefore: number[];
  figures: Record<string, RecordedFigure>;
};

export type Recorded = { runs: RecordedRun[] };

export function formatNumber(value: number, digits: number): string {
  return value.toLocaleString("en-US", { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

export function figuresOf(results: BenchResults): Record<string, RecordedFigure> {
  const figures: Record<string, RecordedFigure> = {};
  for (const m of metrics) {
    if (m.store !== results.store) continue;
    let value = m.value?.(results);
    let runs: number[] | undefined;
    if (m.flash) {
      const { values, worst } = perRun(results.flashRuns, m.flash.value, m.flash.worse);
      value = values[worst];
      const known = values.filter((v): v is number => v !== null && Number.isFinite(v));
      if (results.flashRuns.length > 1) runs = known.map((v) => Number(v.toFixed(m.digits)));
    }
    if (value === null || value === undefined || !Number.isFinite(value)) continue;
    const goal = m.goal?.(results) ?? null;
    figures[m.key] = {
      value: Number(value.toFixed(m.digits)),
      goal: goal ? `${goal.op} ${formatNumber(goal.target, m.digits)}${m.unit ? ` ${m.unit}` : ""}` : null,
      met: goal ? meets(value, goal) : null,
      ...(runs ? { runs } : {}),
    };
  }
  return figures;
}

function meets(value: number, goal: Goal): boolean {
  switch (goal.op) {
    case "<":
      return value < goal.target;
    case "≤":
      return value <= goal.target;
    case "≥":
      return value >= goal.target;
    case "=":
      return value === goal.target;
  }
}

export function readRecorded(file = recordFile): Recorded {
  if (!fs.existsSync(file)) return { runs: [] };
  return JSON.parse(fs.readFileSync(file, "utf8")) as Recorded;
}

/** Appends a run; returns its number (1-based). */
export function recordRun(results: BenchResults, file = recordFile): number {
  if (results.mode !== "full") throw new Error("only full runs are recorded (the README states full-run figures)");
  const recorded = readRecorded(file);
  recorded.runs.push({
    startedAt: results.startedAt,
    commit: results.commit ?? "unknown",
    mode: results.mode,
    store: results.store,
    machine: `${results.host.cpus} × ${results.host.cpuModel}, Node ${results.host.node}`,
    loadAverageBefore: results.host.loadAverageBefore.map((n) => Number(n.toFixed(2))),
    figures: figuresOf(results),
  });
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, `${JSON.stringify(recorded, null, 2)}\n`);
  return recorded.runs.length;
}
