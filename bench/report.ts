import fs from "node:fs";
import path from "node:path";
import type { CostReport } from "@/bench/cost";
import { costChecks, costSummaryLines, renderCost, renderHeartbeatDynamo } from "@/bench/cost-report";
import type { FlashReport } from "@/bench/flash-types";
import type { HeartbeatReport } from "@/bench/heartbeat";
import { heartbeatLiveChecks, heartbeatLiveLines } from "@/bench/heartbeat-report";
import type { LatencySummary } from "@/bench/load";
import type { MemoryReport } from "@/bench/memory";
import { memoryChecks, memorySummaryLines, renderMemory } from "@/bench/memory-report";
import type { OriginReport } from "@/bench/origin";
import { originChecks, originSummaryLines, renderOrigin } from "@/bench/origin-report";
import { refillPasses } from "@/bench/refill";
import { table } from "@/bench/table";

// Turns scenario results into goal checks, readable tables, a summary block for a closing
// note, and bench/results/latest.json.

export type Check = {
  name: string;
  value: string;
  goal: string;
  pass: boolean;
  /** A correctness invariant (fails the run) rather than a performance goal. */
  correctness: boolean;
};

export type HostInfo = {
  node: string;
  cpus: number;
  cpuModel: string;
  loadAverageBefore: number[];
  loadAverageAfter: number[];
  uptimeBefore: string;
  uptimeAfter: string;
};

export type BenchResults = {
  startedAt: string;
  finishedAt: string;
  mode: "full" | "quick" | "ci";
  /** The commit measured (short hash; "+changes" when the work tree differed). */
  commit?: string;
  /** Where the app kept queue state. */
  store: "sqlite" | "dynamodb";
  host: HostInfo;
  heartbeat: HeartbeatReport | null;
  flash: FlashReport | null;
  /** Capacity counted at the protected path (SQLite mode). */
  origin?: OriginReport | null;
  /** DynamoDB mode: what the queue costs per visitor-minute. */
  cost: CostReport | null;
  /** RSS under a hostile request mix (SQLite mode). */
  memory: MemoryReport | null;
  checks: Check[];
};

const fmt = (n: number | null | undefined, digits = 0) =>
  n === null || n === undefined || Number.isNaN(n)
    ? "n/a"
    : n.toLocaleString("en-US", { minimumFractionDigits: digits, maximumFractionDigits: digits });
const ms = (n: number | null | undefined) => (n === null || n === undefined ? "n/a" : `${fmt(n, n < 10 ? 2 : 1)} ms`);
const pct = (n: number | null | undefined) => (n === null || n === undefined ? "n/a" : `${fmt(n, 0)}%`);

export function checksFor(
  heartbeat: HeartbeatReport | null,
  flash: FlashReport | null,
  cost: CostReport | null = null,
  memory: MemoryReport | null = null,
  origin: OriginReport | null = null,
): Check[] {
  const checks: Check[] = [];
  if (heartbeat) {
    checks.push({
      name: "heartbeat req/s ÷ bare req/s",
      value: fmt(heartbeat.ratio, 2),
      goal: "≥ 0.60",
      pass: heartbeat.ratio >= 0.6,
      correctness: false,
    });
    checks.push({
      name: "heartbeat errors",
      value: fmt(heartbeat.heartbeat.errors),
      goal: "0",
      pass: heartbeat.heartbeat.errors === 0,
      correctness: false,
    });
    checks.push(...heartbeatLiveChecks(heartbeat));
  }
  if (flash) {
    const c = flash.capacity;
    checks.push({
      name: "max active ≤ capacity (the engine's own count)",
      value: `${fmt(c.maxActiveObservedMetric)} (metric) / ${fmt(c.maxActiveSampled)} (sampled)`,
      goal: `≤ ${fmt(c.capacity)}`,
      pass: c.withinCapacity,
      correctness: true,
    });
    const j = flash.jwks;
    checks.push({
      name: "admissions a JWKS verifier accepts, of visitors not known gone",
      value: `${fmt(j.maxHeldConcurrent)} at most at once (${fmt(j.maxConcurrent)} with the gone; ${fmt(j.verified)} tokens verified, ${fmt(j.refused)} refused)`,
      goal: `≤ ${fmt(c.capacity)}`,
      pass: j.maxHeldConcurrent <= c.capacity && j.verified > 0 && j.refused === 0,
      correctness: true,
    });
    checks.push({
      name: "a gone visitor's admission token outlives its last heartbeat by",
      value: ms(j.longestAfterLastTokenMs),
      goal: `≤ ${ms(j.tokenLifetimeMs)} (token lifetime)`,
      pass: j.longestAfterLastTokenMs <= j.tokenLifetimeMs,
      correctness: true,
    });
    const e = flash.expiry;
    checks.push({
      name: "silent visitors expired (one late heartbeat each gets 410)",
      value: `${fmt(e.confirmedExpired)} of ${fmt(e.silentVisitors)} (${fmt(e.notExpired)} still there, ${fmt(e.unchecked)} too late to check; server expired_total ${fmt(e.serverExpiredTotal)})`,
      goal: "all checked expired",
      pass: e.notExpired === 0 && e.confirmedExpired > 0 && (e.serverExpiredTotal ?? 0) >= e.confirmedExpired,
      correctness: true,
    });
    checks.push({
      name: "FIFO inversions (by adm vs seq)",
      value: `${fmt(flash.fifo.inversions)} over ${fmt(flash.fifo.admittedCompared)} admitted`,
      goal: "0",
      pass: flash.fifo.inversions === 0 && flash.fifo.admittedCompared > 0,
      correctness: true,
    });
    const order = flash.fifo.arrivalOrder;
    checks.push({
      name: "FIFO by the clients' clocks (enter answered before another's was sent ⇒ admitted first)",
      value: `${fmt(order.violations)} admitted out of turn over ${fmt(order.pairsChecked)} ordered pairs`,
      goal: "0",
      pass: order.violations === 0 && order.pairsChecked > 0,
      correctness: true,
    });
    checks.push({
      name: "duplicate admission numbers",
      value: fmt(flash.fifo.duplicateAdmissionNumbers),
      goal: "0",
      pass: flash.fifo.duplicateAdmissionNumbers === 0,
      correctness: true,
    });
    checks.push({
      name: "flash p99 latency (all requests)",
      value: ms(flash.latency.all.p99Ms),
      goal: "< 100 ms",
      pass: flash.latency.all.p99Ms < 100,
      correctness: false,
    });
    checks.push({
      name: "flash peak RSS (VmHWM)",
      value: `${fmt(flash.memory.hwmMb)} MB`,
      goal: "< 500 MB",
      pass: flash.memory.hwmMb !== null && flash.memory.hwmMb < 500,
      correctness: false,
    });
    const r = flash.refill;
    checks.push({
      name: "every freed slot refilled within the goal (p50 / p90 / max)",
      value:
        `${ms(r.p50Ms)} / ${ms(r.p90Ms)} / ${ms(r.maxMs)} over ${fmt(r.measured)} slots (${fmt(r.silent.measured)} silent, ` +
        `max ${ms(r.silent.maxMs)}); ${fmt(r.unfilled)} never refilled, ${fmt(r.overGoal)} over the goal`,
      goal: `≤ ${ms(r.goalMs)} each`,
      pass: refillPasses(r),
      correctness: true,
    });
    const seen = flash.admissionSeen;
    if (seen) {
      checks.push({
        name: "admission -> the page knows (p50 / p90 / max)",
        value:
          `${ms(seen.latency.p50Ms)} / ${ms(seen.latency.p90Ms)} / ${ms(seen.latency.maxMs)} over ${fmt(seen.seen)} admitted ` +
          `(${fmt(seen.viaHeld)} by a held heartbeat)`,
        goal: "p90 ≤ 1 s, max ≤ 2 s",
        pass: seen.seen > 0 && seen.latency.p90Ms <= 1_000 && seen.latency.maxMs <= 2_000,
        correctness: false,
      });
    }
    checks.push({
      name: "waiting visitors expired (heartbeats answered too late)",
      value: fmt(flash.expiredWhileWaiting),
      goal: "0",
      pass: flash.expiredWhileWaiting === 0,
      correctness: false,
    });
  }
  checks.push(...costChecks(heartbeat, cost));
  checks.push(...originChecks(origin));
  checks.push(...memoryChecks(memory));
  return checks;
}

const latencyRow = (label: string, l: LatencySummary, rate?: number) => [
  label,
  fmt(l.count),
  rate === undefined ? "" : fmt(rate),
  ms(l.p50Ms),
  ms(l.p90Ms),
  ms(l.p99Ms),
  ms(l.maxMs),
];
const latencyHead = ["", "requests", "req/s", "p50", "p90", "p99", "max"];

export function renderTables(results: BenchResults): string {
  const out: string[] = [];
  const h = results.heartbeat;
  if (h) {
    const s = h.settings;
    out.push(
      table(
        `Heartbeat hot path vs bare node:http (${s.pool.connections} connections, pipelining ${s.pool.pipelining}, ` +
          `${s.inflight} in flight, ${fmt(s.visitors)} visitors)`,
        [
          [...latencyHead, "errors", "server CPU", "generator CPU", "others CPU"],
          [
            ...latencyRow("bare, before", h.baseline.before.latency, h.baseline.before.requestsPerSecond),
            fmt(h.baseline.before.errors),
            pct(h.baseline.before.serverCpuPercent),
            pct(h.baseline.before.generatorCpuPercent),
            pct(h.baseline.before.otherCpuPercent),
          ],
          [
            ...latencyRow("bare, after", h.baseline.after.latency, h.baseline.after.requestsPerSecond),
            fmt(h.baseline.after.errors),
            pct(h.baseline.after.serverCpuPercent),
            pct(h.baseline.after.generatorCpuPercent),
            pct(h.baseline.after.otherCpuPercent),
          ],
          [
            ...latencyRow("enter", h.enter.latency, h.enter.requestsPerSecond),
            fmt(h.enter.errors),
            pct(h.enter.serverCpuPercent),
            pct(h.enter.generatorCpuPercent),
            pct(h.enter.otherCpuPercent),
          ],
          [
            ...latencyRow("heartbeat", h.heartbeat.latency, h.heartbeat.requestsPerSecond),
            fmt(h.heartbeat.errors),
            pct(h.heartbeat.serverCpuPercent),
            pct(h.heartbeat.generatorCpuPercent),
            pct(h.heartbeat.otherCpuPercent),
          ],
        ],
      ),
    );
    out.push(
      `  ratio heartbeat/bare: ${fmt(h.ratio, 2)}   server memory idle: RSS ${fmt(h.memoryAtStart?.rssMb)} MB; after entering: RSS ` +
        `${fmt(h.memoryAfterEnter?.rssMb)} MB, VmHWM ${fmt(h.memoryAfterEnter?.hwmMb)} MB; after heartbeats: RSS ` +
        `${fmt(h.memoryAfterHeartbeat?.rssMb)} MB, VmHWM ${fmt(h.memoryAfterHeartbeat?.hwmMb)} MB`,
      `  sampled heartbeat states: ${JSON.stringify(h.heartbeat.sampledStates)}; heartbeat outcomes: ` +
        `${JSON.stringify(h.heartbeat.outcomes.byStatus)}; server error log lines: ${h.serverErrorLogLines}`,
    );
    out.push(...heartbeatLiveLines(h));
    if (h.serverErrorLogLines > 0) out.push(`  last server log lines:\n${logExcerpt(h.serverLogTail)}`);
    if (h.dynamo) out.push(renderHeartbeatDynamo(h));
  }
  if (results.cost) out.push(renderCost(results.cost));
  const f = results.flash;
  if (f) {
    const s = f.settings;
    out.push(
      table(
        `Flash crowd (capacity ${fmt(s.capacity)}, ${fmt(s.arrivals)} arrivals over ${s.arrivalWindowMs / 1000} s, ` +
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
    );
    out.push(
      table("Flash crowd outcomes", [
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
    );
    if (f.serverErrorLogLines > 0) out.push(`  last server log lines:\n${logExcerpt(f.serverLogTail)}`);
  }
  if (results.origin) out.push(renderOrigin(results.origin));
  if (results.memory) out.push(renderMemory(results.memory));
  out.push(
    table("Checks", [
      ["", "check", "value", "goal", "kind"],
      ...results.checks.map((c) => [
        c.pass ? "PASS" : "FAIL",
        c.name,
        c.value,
        c.goal,
        c.correctness ? "correctness" : "performance",
      ]),
    ]),
  );
  return out.join("\n");
}

/** The last few log lines, each cut short (pino lines carry long stacks). */
function logExcerpt(lines: string[]): string {
  return lines
    .slice(-5)
    .map((line) => `    ${line.length > 300 ? `${line.slice(0, 300)}...` : line}`)
    .join("\n");
}

/** A short block to paste into a closing note. */
export function renderSummary(results: BenchResults): string {
  const lines = [
    `Floodgate bench (${results.mode}, store ${results.store}, ${results.finishedAt}); node ${results.host.node}, ${results.host.cpus} CPUs; ` +
      `load avg before ${results.host.loadAverageBefore.map((n) => n.toFixed(2)).join(" ")}, after ` +
      `${results.host.loadAverageAfter.map((n) => n.toFixed(2)).join(" ")}`,
  ];
  const h = results.heartbeat;
  if (h) {
    lines.push(
      `- heartbeat: ${fmt(h.heartbeat.requestsPerSecond)} req/s (p50 ${ms(h.heartbeat.latency.p50Ms)}, p99 ` +
        `${ms(h.heartbeat.latency.p99Ms)}, ${fmt(h.heartbeat.errors)} errors) over ${fmt(h.enter.accepted)} waiting ` +
        `visitors vs bare node:http ${fmt(h.baseline.requestsPerSecond)} req/s (p99 ${ms(h.baseline.before.latency.p99Ms)}/` +
        `${ms(h.baseline.after.latency.p99Ms)}): ratio ${fmt(h.ratio, 2)} (goal ≥ 0.60); live room: ` +
        `${fmt(h.live.admissions)} admissions, ${fmt(h.live.expiries)} expiries in the window; ` +
        (h.pinning.plan.pinned
          ? `server on CPU ${h.pinning.plan.serverCpus}, generator on CPU ${h.pinning.plan.generatorCpus}`
          : `not pinned (${h.pinning.plan.reason})`) +
        (results.store === "dynamodb" ? "; queue store DynamoDB (dynalite)" : ""),
      `- enter: ${fmt(h.enter.requestsPerSecond)} req/s (p99 ${ms(h.enter.latency.p99Ms)}); server RSS after ` +
        `${fmt(h.enter.accepted)} entered ${fmt(h.memoryAfterEnter?.rssMb)} MB (VmHWM ${fmt(h.memoryAfterEnter?.hwmMb)} MB; ` +
        `${fmt(h.memoryAtStart?.rssMb)} MB idle before)`,
    );
  }
  const f = results.flash;
  if (f) {
    lines.push(
      `- flash crowd: ${fmt(f.arrivals.accepted)}/${fmt(f.arrivals.scheduled)} arrivals in ${f.settings.arrivalWindowMs / 1000} s, ` +
        `${fmt(f.admissions.serverAdmittedTotal)} admissions, max active ${fmt(f.capacity.maxActiveObservedMetric)} ` +
        `(capacity ${fmt(f.capacity.capacity)}), FIFO inversions ${fmt(f.fifo.inversions)}; p50/p99 ` +
        `${ms(f.latency.all.p50Ms)}/${ms(f.latency.all.p99Ms)} over ${fmt(f.requests.total)} requests ` +
        `(${fmt(f.requests.perSecond)} req/s); VmHWM ${fmt(f.memory.hwmMb)} MB; refill p50/max ` +
        `${ms(f.refill.p50Ms)}/${ms(f.refill.maxMs)} (${fmt(f.refill.measured)} slots); JWKS most at once ` +
        `${fmt(f.jwks.maxConcurrent)} (${fmt(f.jwks.maxHeldConcurrent)} not gone); silent expired ${fmt(f.expiry.confirmedExpired)}/` +
        `${fmt(f.expiry.silentVisitors)}; heartbeat ${f.settings.heartbeatIntervalMs} ms / timeout ` +
        `${f.settings.heartbeatTimeoutMs} ms; generator ${f.generator.keptUp ? "kept up" : "fell behind"}`,
    );
  }
  lines.push(...costSummaryLines(h, results.cost));
  lines.push(...originSummaryLines(results.origin ?? null));
  lines.push(...memorySummaryLines(results.memory));
  const failed = results.checks.filter((c) => !c.pass);
  lines.push(
    failed.length
      ? `- FAIL: ${failed.map((c) => `${c.name} = ${c.value} (goal ${c.goal})`).join("; ")}`
      : "- all checks pass",
  );
  return lines.join("\n");
}

export function writeResults(results: BenchResults, file: string): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, `${JSON.stringify(results, null, 2)}\n`);
}
