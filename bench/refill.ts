// How fast a freed slot goes to the next in line, each freed slot tied to the admission that
// filled it. While people wait, the room is full; so the k-th slot freed after the room
// first filled is filled by admission number capacity + k (admissions sorted by the server's
// admittedAt, frees by when the client knows the slot was free at the latest). Pure: the
// scenario supplies the times.

export type FreedSlot = {
  /** The latest moment the slot was free (epoch ms): leave answered + leave grace, or last heartbeat answered + timeout. */
  atMs: number;
  kind: "left" | "silent";
};

export type RefillInput = {
  capacity: number;
  frees: FreedSlot[];
  /** Every admission the visitors saw, server's admittedAt (epoch ms). */
  admittedAtMs: number[];
  /** [joined the line, left it) for every visitor who entered: admission, expiry, leave, or Infinity. */
  waitingSpans: [number, number][];
  /** Frees after this could be filled without anyone having seen it yet: not measured. */
  observableUntilMs: number;
  goalMs: number;
};

export type RefillReport = {
  freedSlots: number;
  /** Freed while someone waited, early enough to see the admission that filled it. */
  measured: number;
  /** Of those, no admission filled it: the slot stayed empty while people waited. */
  unfilled: number;
  /** Measured refills slower than the goal. */
  overGoal: number;
  p50Ms: number | null;
  p90Ms: number | null;
  maxMs: number | null;
  silent: { measured: number; p50Ms: number | null; maxMs: number | null };
  left: { measured: number; p50Ms: number | null; maxMs: number | null };
  /** The first free with nobody waiting (pairing stops there), or null. */
  lineEmptyAtMs: number | null;
  /** A measured slot refilled slowest: when it freed, its kind and the delay. */
  slowest: { atMs: number; kind: FreedSlot["kind"]; delayMs: number } | null;
  goalMs: number;
};

export function measureRefill(input: RefillInput): RefillReport {
  const frees = [...input.frees].sort((a, b) => a.atMs - b.atMs);
  const admissions = Float64Array.from(input.admittedAtMs).sort();
  const starts = Float64Array.from(input.waitingSpans, (s) => s[0]).sort();
  const ends = Float64Array.from(input.waitingSpans, (s) => s[1]).sort();
  const waitingAt = (t: number) => upperBound(starts, t) - upperBound(ends, t);
  const delays: number[] = [];
  const byKind = { silent: [] as number[], left: [] as number[] };
  let unfilled = 0;
  let lineEmptyAtMs: number | null = null;
  let slowest: RefillReport["slowest"] = null;
  for (let k = 0; k < frees.length; k++) {
    const free = frees[k] as FreedSlot;
    if (free.atMs > input.observableUntilMs) break;
    if (waitingAt(free.atMs) === 0) {
      lineEmptyAtMs = free.atMs;
      break;
    }
    const filledAt = admissions[input.capacity + k];
    if (filledAt === undefined) {
      unfilled++;
      continue;
    }
    const delayMs = Math.max(0, filledAt - free.atMs);
    delays.push(delayMs);
    byKind[free.kind].push(delayMs);
    if (!slowest || delayMs > slowest.delayMs) slowest = { atMs: free.atMs, kind: free.kind, delayMs };
  }
  const summary = (list: number[]) => {
    const sorted = [...list].sort((a, b) => a - b);
    return { measured: sorted.length, p50Ms: quantile(sorted, 0.5), maxMs: sorted.at(-1) ?? null };
  };
  const all = [...delays].sort((a, b) => a - b);
  return {
    freedSlots: frees.length,
    measured: all.length + unfilled,
    unfilled,
    overGoal: all.filter((d) => d > input.goalMs).length,
    p50Ms: quantile(all, 0.5),
    p90Ms: quantile(all, 0.9),
    maxMs: all.at(-1) ?? null,
    silent: summary(byKind.silent),
    left: summary(byKind.left),
    lineEmptyAtMs,
    slowest,
    goalMs: input.goalMs,
  };
}

/** Whether every measured slot was refilled within the goal (and some were measured at all). */
export function refillPasses(report: RefillReport): boolean {
  return report.measured > 0 && report.silent.measured > 0 && report.unfilled === 0 && report.overGoal === 0;
}

function quantile(sorted: number[], q: number): number | null {
  if (!sorted.length) return null;
  return sorted[Math.min(sorted.length - 1, Math.ceil(sorted.length * q) - 1)] as number;
}

/** How many values are ≤ value. */
function upperBound(sorted: Float64Array, value: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((sorted[mid] as number) <= value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
