import type { FlashReport } from "@/bench/flash-types";

// The flash crowd runs several times in one bench run (each on a fresh server) and is judged
// on its worst run: one lucky run must not pass the goal. "Worst" depends on the figure: the
// highest latency, memory, admitted-at-once or count of inversions, the lowest count of visitors
// checked. Each figure picks its own worst run.

/** Which way a figure gets worse. */
export type Worse = "higher" | "lower";

/**
 * Index of the worst run for one figure: the highest or lowest value, runs without the figure
 * (null, undefined, NaN) skipped, the earliest run on a tie; -1 when no run has it.
 */
export function worstRunIndex(values: readonly (number | null | undefined)[], worse: Worse): number {
  let worst = -1;
  values.forEach((value, index) => {
    if (value === null || value === undefined || Number.isNaN(value)) return;
    const current = worst < 0 ? undefined : (values[worst] as number);
    if (current === undefined || (worse === "higher" ? value > current : value < current)) worst = index;
  });
  return worst;
}

/** A flash figure shown per run with its worst (bench/flash-report.ts's table, the summary). */
export type FlashFigure = {
  label: string;
  unit: "ms" | "MB" | "";
  worse: Worse;
  value: (f: FlashReport) => number | null | undefined;
};

export const flashFigures: FlashFigure[] = [
  { label: "p50, all requests", unit: "ms", worse: "higher", value: (f) => f.latency.all.p50Ms },
  { label: "p99, all requests", unit: "ms", worse: "higher", value: (f) => f.latency.all.p99Ms },
  { label: "p99, enter", unit: "ms", worse: "higher", value: (f) => f.latency.enter.p99Ms },
  { label: "p99, heartbeat", unit: "ms", worse: "higher", value: (f) => f.latency.heartbeat.p99Ms },
  { label: "slowest request", unit: "ms", worse: "higher", value: (f) => f.latency.all.maxMs },
  { label: "requests answered per second", unit: "", worse: "lower", value: (f) => f.requests.perSecond },
  { label: "arrivals accepted", unit: "", worse: "lower", value: (f) => f.arrivals.accepted },
  {
    label: "most admitted at once (engine)",
    unit: "",
    worse: "higher",
    value: (f) => f.capacity.maxActiveObservedMetric,
  },
  {
    label: "most admissions a JWKS verifier accepts at once, not known gone",
    unit: "",
    worse: "higher",
    value: (f) => f.jwks.maxHeldConcurrent,
  },
  { label: "FIFO inversions", unit: "", worse: "higher", value: (f) => f.fifo.inversions },
  {
    label: "admitted out of turn (clients' clocks)",
    unit: "",
    worse: "higher",
    value: (f) => f.fifo.arrivalOrder.violations,
  },
  { label: "slowest refill of a freed slot", unit: "ms", worse: "higher", value: (f) => f.refill.maxMs },
  {
    label: "admission -> the page knows, p90",
    unit: "ms",
    worse: "higher",
    value: (f) => f.admissionSeen?.latency.p90Ms,
  },
  {
    label: "admission -> the page knows, slowest",
    unit: "ms",
    worse: "higher",
    value: (f) => f.admissionSeen?.latency.maxMs,
  },
  { label: "silent visitors not expired", unit: "", worse: "higher", value: (f) => f.expiry.notExpired },
  { label: "waiting visitors expired", unit: "", worse: "higher", value: (f) => f.expiredWhileWaiting },
  { label: "server peak RSS (VmHWM)", unit: "MB", worse: "higher", value: (f) => f.memory.hwmMb },
  { label: "server stalls > 100 ms", unit: "", worse: "higher", value: (f) => f.serverStalls.length },
  { label: "other processes' CPU, % of a core", unit: "", worse: "higher", value: (f) => f.otherCpuPercent },
];

/** Every run's value of a figure and which run is the worst (-1: none has it). */
export function perRun(
  runs: readonly FlashReport[],
  value: (f: FlashReport) => number | null | undefined,
  worse: Worse,
): { values: (number | null)[]; worst: number } {
  const values = runs.map((f) => {
    const v = value(f);
    return v === null || v === undefined || Number.isNaN(v) ? null : v;
  });
  return { values, worst: worstRunIndex(values, worse) };
}
