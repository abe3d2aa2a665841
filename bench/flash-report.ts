import { flashFigures, perRun, type Worse, worstRunIndex } from "@/bench/flash-runs";
import type { FlashReport } from "@/bench/flash-types";
import { refillPasses } from "@/bench/refill";
import type { Check } from "@/bench/report";
import { fmt, latencyHead, latencyRow, ms, pct, table } from "@/bench/table";

// The flash crowd's goal checks, tables and summary lines. The scenario runs several times
// (bench/run.ts, --flash-runs); every check is judged on the worst run for its figure, and a
// run that fails a check is always the one shown.

/** One check, as a function of one run; `figure` says which run is the worst when all pass. */
type FlashCheck = Omit<Check, "value" | "pass" | "goal"> & {
  goal: (f: FlashReport) => string;
  value: (f: FlashReport) => string;
  pass: (f: FlashReport) => boolean;
  figure: (f: FlashReport) => number | null | undefined;
  worse: Worse;
};

const flashCheckDefs: FlashCheck[] = [
  {
    name: "max active ≤ capacity (the engine's own count)",
    value: (f) => `${fmt(f.capacity.maxActiveObservedMetric)} (metric) / ${fmt(f.capacity.maxActiveSampled)} (sampled)`,
    goal: (f) => `≤ ${fmt(f.capacity.capacity)}`,
    pass: (f) => f.capacity.withinCapacity,
    figure: (f) => Math.max(f.capacity.maxActiveObservedMetric ?? 0, f.capacity.maxActiveSampled ?? 0),
    worse: "higher",
    correctness: true,
  },
  {
    name: "admissions a JWKS verifier accepts, of visitors not known gone",
    value: ({ jwks: j }) =>
      `${fmt(j.maxHeldConcurrent)} at most at once (${fmt(j.maxConcurrent)} with the gone; ${fmt(j.verified)} tokens verified, ${fmt(j.refused)} refused)`,
    goal: (f) => `≤ ${fmt(f.capacity.capacity)}`,
    pass: (f) => f.jwks.maxHeldConcurrent <= f.capacity.capacity && f.jwks.verified > 0 && f.jwks.refused === 0,
    figure: (f) => f.jwks.maxHeldConcurrent,
    worse: "higher",
    correctness: true,
  },
  {
    name: "a gone visitor's admission token outlives its last heartbeat by",
    value: (f) => ms(f.jwks.longestAfterLastTokenMs),
    goal: (f) => `≤ ${ms(f.jwks.tokenLifetimeMs)} (token lifetime)`,
    pass: (f) => f.jwks.longestAfterLastTokenMs <= f.jwks.tokenLifetimeMs,
    figure: (f) => f.jwks.longestAfterLastTokenMs,
    worse: "higher",
    correctness: true,
  },
  {
    name: "silent visitors expired (one late heartbeat each gets 410)",
    value: ({ expiry: e }) =>
      `${fmt(e.confirmedExpired)} of ${fmt(e.silentVisitors)} (${fmt(e.notExpired)} still there, ${fmt(e.unchecked)} too late to check; server expired_total ${fmt(e.serverExpiredTotal)})`,
    goal: () => "all checked expired",
    pass: ({ expiry: e }) =>
      e.notExpired === 0 && e.confirmedExpired > 0 && (e.serverExpiredTotal ?? 0) >= e.confirmedExpired,
    figure: (f) => f.expiry.notExpired,
    worse: "higher",
    correctness: true,
  },
  {
    name: "FIFO inversions (by adm vs seq)",
    value: (f) => `${fmt(f.fifo.inversions)} over ${fmt(f.fifo.admittedCompared)} admitted`,
    goal: () => "0",
    pass: (f) => f.fifo.inversions === 0 && f.fifo.admittedCompared > 0,
    figure: (f) => f.fifo.inversions,
    worse: "higher",
    correctness: true,
  },
  {
    name: "FIFO by the clients' clocks (enter answered before another's was sent ⇒ admitted first)",
    value: ({ fifo: { arrivalOrder: o } }) =>
      `${fmt(o.violations)} admitted out of turn over ${fmt(o.pairsChecked)} ordered pairs`,
    goal: () => "0",
    pass: ({ fifo: { arrivalOrder: o } }) => o.violations === 0 && o.pairsChecked > 0,
    figure: (f) => f.fifo.arrivalOrder.violations,
    worse: "higher",
    correctness: true,
  },
  {
    name: "duplicate admission numbers",
    value: (f) => fmt(f.fifo.duplicateAdmissionNumbers),
    goal: () => "0",
    pass: (f) => f.fifo.duplicateAdmissionNumbers === 0,
    figure: (f) => f.fifo.duplicateAdmissionNumbers,
    worse: "higher",
    correctness: true,
  },
  {
    name: "flash p99 latency (all requests)",
    value: (f) => ms(f.latency.all.p99Ms),
    goal: () => "< 100 ms",
    pass: (f) => f.latency.all.p99Ms < 100,
    figure: (f) => f.latency.all.p99Ms,
    worse: "higher",
    correctness: false,
  },
  {
    name: "flash peak RSS (VmHWM)",
    value: (f) => `${fmt(f.memory.hwmMb)} MB`,
    goal: () => "< 500 MB",
    pass: (f) => f.memory.hwmMb !== null && f.memory.hwmMb < 500,
    figure: (f) => f.memory.hwmMb,
    worse: "higher",
    correctness: false,
  },
  {
    name: "every freed slot refilled within the goal (p50 / p90 / max)",
    value: ({ refill: r }) =>
      `${ms(r.p50Ms)} / ${ms(r.p90Ms)} / ${ms(r.maxMs)} over ${fmt(r.measured)} slots (${fmt(r.silent.measured)} silent, ` +
      `max ${ms(r.silent.maxMs)}); ${fmt(r.unfilled)} never refilled, ${fmt(r.overGoal)} over the goal`,
    goal: (f) => `≤ ${ms(f.refill.goalMs)} each`,
    pass: (f) => refillPasses(f.refill),
    figure: (f) => f.refill.maxMs,
    worse: "higher",
    correctness: true,
  },
  {
    name: "admission -> the page knows (p50 / p90 / max)",
    value: ({ admissionSeen: seen }) =>
      seen
        ? `${ms(seen.latency.p50Ms)} / ${ms(seen.latency.p90Ms)} / ${ms(seen.latency.maxMs)} over ${fmt(seen.seen)} admitted ` +
          `(${fmt(seen.viaHeld)} by a held heartbeat)`
        : "n/a (not measured)",
    goal: () => "p90 ≤ 1 s, max ≤ 2 s",
    pass: ({ admissionSeen: seen }) =>
      seen !== undefined && seen.seen > 0 && seen.latency.p90Ms <= 1_000 && seen.latency.maxMs <= 2_000,
    figure: (f) => f.admissionSeen?.latency.maxMs,
    worse: "higher",
    correctness: false,
  },
  {
    name: "waiting visitors expired (heartbeats answered too late)",
    value: (f) => fmt(f.expiredWhileWaiting),
    goal: () => "0",
    pass: (f) => f.expiredWhileWaiting === 0,
    figure: (f) => f.expiredWhileWaiting,
    worse: "higher",
    correctness: false,
  },
];

/**
 * The run a check is judged on: among the runs that fail it, else among all, the worst by the
 * check's figure (the first of them when no run has the figure).
 */
export function runJudged(
  runs: readonly FlashReport[],
  pass: (f: FlashReport) => boolean,
  figure: (f: FlashReport) => number | null | undefined,
  worse: Worse,
): number {
  const failing = runs.flatMap((f, index) => (pass(f) ? [] : [index]));
  const candidates = failing.length ? failing : runs.map((_, index) => index);
  const within = worstRunIndex(
    candidates.map((index) => figure(runs[index] as FlashReport)),
    worse,
  );
  return candidates[Math.max(within, 0)] ?? -1;
}

/** The flash checks over every run: each passes only when every run passes it. */
export function flashChecks(runs: readonly FlashReport[]): Check[] {
  if (!runs.length) return [];
  return flashCheckDefs.map((def) => {
    const judged = runJudged(runs, def.pass, def.figure, def.worse);
    const run = runs[judged] as FlashReport;
    const each = runs.map((f) => (def.pass(f) ? fmt(def.figure(f), 0) : `${fmt(def.figure(f), 0)} FAIL`)).join(" / ");
    return {
      name: def.name,
      value:
        runs.length > 1 ? `${def.value(run)} [run ${judged + 1} of ${runs.length}; each: ${each}]` : def.value(run),
      goal: def.goal(run),
      pass: runs.every(def.pass),
      correctness: def.correctness,
    };
  });
}

/** Each run's tables, then one table of every run's figures beside the worst. */
export function renderFlash(runs: readonly FlashReport[]): string {
  const out = runs.map((f, index) => renderFlashRun(f, runs.length > 1 ? ` run ${index + 1} of ${runs.length}` : ""));
  if (runs.length > 1) {
    const rows = flashFigures.map((figure) => {
      const { values, worst } = perRun(runs, figure.value, figure.worse);
      const show = (v: number | null) =>
        figure.unit === "ms" ? ms(v) : `${fmt(v)}${figure.unit ? ` ${figure.unit}` : ""}`;
      return [
        figure.label,
        ...values.map(show),
        worst < 0 ? "n/a" : `${show(values[worst] ?? null)} (run ${worst + 1})`,
      ];
    });
    out.push(
      table(
        `Flash crowd: each of ${runs.length} runs (a fresh server each) and the worst, by which the goals are judged`,
        [["", ...runs.map((_, i) => `run ${i + 1}`), "worst"], ...rows],
      ),
    );
  }
  return out.join("\n");
}

function renderFlashRun(f: FlashReport, which: string): string {
  const s = f.settings;
  const out = [
    table(
      `Flash crowd${which} (capacity ${fmt(s.capacity)}, ${fmt(s.arrivals)} arrivals over ${s.arrivalWindowMs / 1000} s, ` +
        `run ${s.runMs / 1000} s, heartbeat ${s.heartbeatIntervalMs} ms / timeout ${s.heartbeatTimeoutMs} ms, ` +
        `sessions ${s.sessionMinMs / 1000}-${s.sessionMaxMs / 1000} s, ${Math.round(s.silentFraction * 100)}% silent, ` +
        `leave grace ${s.leaveGraceMs} ms, ${s.pool.connections} connections)`,
      [
        latencyHead,
        latencyRow("enter", f.latency.enter),
        latencyRow("heartbeat", f.latency.heartbeat),
        latencyRow("leave", f.latency.leave),
        latencyRow("all", f.latency.all, f.requests.perSecond),
      ],
    ),
    table(`Flash crowd${which} outcomes`, [
      ["", "value"],
      [
        "arrivals accepted / rejected / failed",
        `${fmt(f.arrivals.accepted)} / ${fmt(f.arrivals.rejected)} / ${fmt(f.arrivals.failed)} of ${fmt(f.arrivals.scheduled)}`,
      ],
      [
        "admissions (seen by visitors / server total)",
        `${fmt(f.admissions.observedByVisitors)} / ${fmt(f.admissions.serverAdmittedTotal)}`,
      ],
      [
        "max active (metric / sampled every 100 ms)",
        `${fmt(f.capacity.maxActiveObservedMetric)} / ${fmt(f.capacity.maxActiveSampled)} (capacity ${fmt(f.capacity.capacity)}, ${fmt(f.capacity.samples)} samples)`,
      ],
      [
        "admission -> the page knows p50 / p90 / max (by a held heartbeat; held requests)",
        f.admissionSeen
          ? `${ms(f.admissionSeen.latency.p50Ms)} / ${ms(f.admissionSeen.latency.p90Ms)} / ${ms(f.admissionSeen.latency.maxMs)} ` +
            `(${fmt(f.admissionSeen.viaHeld)} of ${fmt(f.admissionSeen.seen)}; ${fmt(f.admissionSeen.heldRequests)} held requests)`
          : "n/a",
      ],
      ["FIFO inversions / duplicate adm", `${fmt(f.fifo.inversions)} / ${fmt(f.fifo.duplicateAdmissionNumbers)}`],
      [
        "refill delay p50 / p90 / max (left; silent)",
        `${ms(f.refill.p50Ms)} / ${ms(f.refill.p90Ms)} / ${ms(f.refill.maxMs)} (${fmt(f.refill.left.measured)} left, max ${ms(f.refill.left.maxMs)}; ` +
          `${fmt(f.refill.silent.measured)} silent, max ${ms(f.refill.silent.maxMs)}; ${fmt(f.refill.freedSlots)} slots freed` +
          (f.refill.lineEmptyAtMs ? `; line empty from ${new Date(f.refill.lineEmptyAtMs).toISOString()}` : "") +
          ")",
      ],
      [
        "JWKS verifier: most admissions accepted at once (all / of visitors not known gone)",
        `${fmt(f.jwks.maxConcurrent)} / ${fmt(f.jwks.maxHeldConcurrent)}; a gone visitor's token lived ≤ ${ms(f.jwks.longestAfterLastTokenMs)} past its last heartbeat`,
      ],
      [
        "underfilled samples / longest stretch",
        `${f.refill.underfilledSampleShare === null ? "n/a" : pct(f.refill.underfilledSampleShare * 100)} / ${ms(f.refill.longestUnderfilledMs)}`,
      ],
      [
        "server memory peak RSS / VmHWM / V8 heap used",
        `${fmt(f.memory.peakRssMb)} MB / ${fmt(f.memory.hwmMb)} MB / ` +
          (f.memory.peakHeapUsedMb === null ? "n/a (no nodejs_* metrics)" : `${fmt(f.memory.peakHeapUsedMb)} MB`),
      ],
      [
        "CPU, % of one core: server / other processes on the box",
        `${pct(f.serverCpuPercent)} / ${pct(f.otherCpuPercent)}`,
      ],
      ["expired while waiting / while admitted", `${fmt(f.expiredWhileWaiting)} / ${fmt(f.expiredWhileAdmitted)}`],
      [
        "server responsiveness (GET /healthz p50 / p99 / max)",
        `${ms(f.serverResponsiveness.p50Ms)} / ${ms(f.serverResponsiveness.p99Ms)} / ${ms(f.serverResponsiveness.maxMs)} (${fmt(f.serverResponsiveness.count)} probes)`,
      ],
      [
        "server stalls > 100 ms (count; worst [s into run, ms])",
        `${fmt(f.serverStalls.length)}; ${JSON.stringify([...f.serverStalls].sort((a, b) => b[1] - a[1]).slice(0, 6))}`,
      ],
      [
        "generator: dispatch lag p99 / max, loop delay p99, CPU",
        `${ms(f.generator.dispatchLagP99Ms)} / ${ms(f.generator.dispatchLagMaxMs)}, ${ms(f.generator.eventLoopDelayP99Ms)}, ${pct(f.generator.cpuPercent)}` +
          (f.generator.keptUp ? " (kept up)" : " (FELL BEHIND: open-loop schedule not met)"),
      ],
      [
        "requests queued in generator (max) / unanswered at end",
        `${fmt(f.generator.maxQueuedRequests)} / enter ${fmt(f.abandonedAtEnd.enter)}, heartbeat ${fmt(f.abandonedAtEnd.heartbeat)}, leave ${fmt(f.abandonedAtEnd.leave)}`,
      ],
      ["visitors at end", JSON.stringify(f.visitorsAtEnd)],
      [
        "non-2xx / transport errors",
        `enter ${JSON.stringify(f.requests.outcomes.enter.byStatus)} ${f.requests.outcomes.enter.transportErrors}, ` +
          `heartbeat ${JSON.stringify(f.requests.outcomes.heartbeat.byStatus)} ${f.requests.outcomes.heartbeat.transportErrors}, ` +
          `leave ${JSON.stringify(f.requests.outcomes.leave.byStatus)} ${f.requests.outcomes.leave.transportErrors}`,
      ],
      ["server error log lines", fmt(f.serverErrorLogLines)],
      [
        "warm-up before the crowd (cold start)",
        f.warmUp
          ? `${fmt(f.warmUp.visitors)} visitors, ${fmt(f.warmUp.requests)} requests, slowest ${ms(f.warmUp.slowestMs)}`
          : "none",
      ],
    ]),
  ];
  if (f.serverErrorLogLines > 0) {
    const excerpt = f.serverLogTail
      .slice(-5)
      .map((line) => `    ${line.length > 300 ? `${line.slice(0, 300)}...` : line}`)
      .join("\n");
    out.push(`  last server log lines:\n${excerpt}`);
  }
  return out.join("\n");
}

/** One summary line per run, then the worst of them when there are several. */
export function flashSummaryLines(runs: readonly FlashReport[]): string[] {
  const lines = runs.map(
    (f, index) =>
      `- flash crowd${runs.length > 1 ? ` run ${index + 1} of ${runs.length}` : ""}: ${fmt(f.arrivals.accepted)}/${fmt(f.arrivals.scheduled)} arrivals in ${f.settings.arrivalWindowMs / 1000} s, ` +
      `${fmt(f.admissions.serverAdmittedTotal)} admissions, max active ${fmt(f.capacity.maxActiveObservedMetric)} ` +
      `(capacity ${fmt(f.capacity.capacity)}), FIFO inversions ${fmt(f.fifo.inversions)}; p50/p99 ` +
      `${ms(f.latency.all.p50Ms)}/${ms(f.latency.all.p99Ms)} over ${fmt(f.requests.total)} requests ` +
      `(${fmt(f.requests.perSecond)} req/s); VmHWM ${fmt(f.memory.hwmMb)} MB; refill p50/max ` +
      `${ms(f.refill.p50Ms)}/${ms(f.refill.maxMs)} (${fmt(f.refill.measured)} slots); JWKS most at once ` +
      `${fmt(f.jwks.maxConcurrent)} (${fmt(f.jwks.maxHeldConcurrent)} not gone); silent expired ${fmt(f.expiry.confirmedExpired)}/` +
      `${fmt(f.expiry.silentVisitors)}; heartbeat ${f.settings.heartbeatIntervalMs} ms / timeout ` +
      `${f.settings.heartbeatTimeoutMs} ms; generator ${f.generator.keptUp ? "kept up" : "fell behind"}`,
  );
  if (runs.length > 1) {
    const worst = flashFigures
      .filter((figure) => figure.label !== "other processes' CPU, % of a core")
      .map((figure) => {
        const { values, worst: index } = perRun(runs, figure.value, figure.worse);
        const value = values[index] ?? null;
        return `${figure.label} ${figure.unit === "ms" ? ms(value) : `${fmt(value)}${figure.unit ? ` ${figure.unit}` : ""}`}`;
      });
    lines.push(`- flash crowd, worst of ${runs.length} runs (goals judged on it): ${worst.join("; ")}`);
  }
  return lines;
}
