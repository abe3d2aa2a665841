import fs from "node:fs";
import path from "node:path";
import type { CostReport } from "@/bench/cost";
import { costChecks, costSummaryLines, renderCost, renderHeartbeatDynamo } from "@/bench/cost-report";
import { flashChecks, flashSummaryLines, renderFlash } from "@/bench/flash-report";
import type { FlashReport } from "@/bench/flash-types";
import type { HeartbeatReport } from "@/bench/heartbeat";
import { enterFloorText, enterPowText, heartbeatLiveChecks, heartbeatLiveLines } from "@/bench/heartbeat-report";
import type { MemoryReport } from "@/bench/memory";
import { memoryChecks, memorySummaryLines, renderMemory } from "@/bench/memory-report";
import type { OriginReport } from "@/bench/origin";
import { originChecks, originSummaryLines, renderOrigin } from "@/bench/origin-report";
import { fmt, latencyHead, latencyRow, ms, pct, table } from "@/bench/table";

// Turns scenario results into goal checks, readable tables, a summary block for a closing
// note, and bench/results/latest.json.

/** Issue 13's goals: the gate's hot paths against a bare node:http server on the same generator. */
export const heartbeatRatioGoal = 0.75;
export const enterRatioGoal = 0.5;

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
  /** Every flash crowd run, in order, each on a fresh server (judged on the worst: bench/flash-report.ts). */
  flashRuns: FlashReport[];
  /** Capacity counted at the protected path (SQLite mode). */
  origin?: OriginReport | null;
  /** DynamoDB mode: what the queue costs per visitor-minute. */
  cost: CostReport | null;
  /** RSS under a hostile request mix (SQLite mode). */
  memory: MemoryReport | null;
  checks: Check[];
};

export function checksFor(
  heartbeat: HeartbeatReport | null,
  flashRuns: readonly FlashReport[],
  cost: CostReport | null = null,
  memory: MemoryReport | null = null,
  origin: OriginReport | null = null,
): Check[] {
  const checks: Check[] = [];
  if (heartbeat) {
    checks.push({
      name: "heartbeat req/s ÷ bare req/s",
      value: fmt(heartbeat.ratio, 2),
      goal: `≥ ${fmt(heartbeatRatioGoal, 2)}`,
      pass: heartbeat.ratio >= heartbeatRatioGoal,
      correctness: false,
    });
    const enterRatio = heartbeat.enter.requestsPerSecond / heartbeat.baseline.requestsPerSecond;
    checks.push({
      name: "enter (a new durable place) req/s ÷ bare req/s",
      value: fmt(enterRatio, 2),
      goal: `≥ ${fmt(enterRatioGoal, 2)}`,
      pass: enterRatio >= enterRatioGoal,
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
  checks.push(...flashChecks(flashRuns));
  checks.push(...costChecks(heartbeat, cost));
  checks.push(...originChecks(origin));
  checks.push(...memoryChecks(memory));
  return checks;
}

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
          ...(h.enterFloor
            ? [
                [
                  ...latencyRow("enter floor", h.enterFloor.latency, h.enterFloor.requestsPerSecond),
                  fmt(h.enterFloor.errors),
                  pct(h.enterFloor.serverCpuPercent),
                  pct(h.enterFloor.generatorCpuPercent),
                  pct(h.enterFloor.otherCpuPercent),
                ],
              ]
            : []),
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
    const floor = enterFloorText(h);
    if (floor) out.push(`  ${floor} (the floor: node:http, HMAC token, SQLite group commit, fdatasync; nothing else)`);
    const pow = enterPowText(h);
    if (pow) out.push(`  ${pow}`);
    out.push(...heartbeatLiveLines(h));
    if (h.serverErrorLogLines > 0) out.push(`  last server log lines:\n${logExcerpt(h.serverLogTail)}`);
    if (h.dynamo) out.push(renderHeartbeatDynamo(h));
  }
  if (results.cost) out.push(renderCost(results.cost));
  if (results.flashRuns.length) out.push(renderFlash(results.flashRuns));
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
        `${ms(h.baseline.after.latency.p99Ms)}): ratio ${fmt(h.ratio, 2)} (goal ≥ ${fmt(heartbeatRatioGoal, 2)}); live room: ` +
        `${fmt(h.live.admissions)} admissions, ${fmt(h.live.expiries)} expiries in the window; ` +
        (h.pinning.plan.pinned
          ? `server on CPU ${h.pinning.plan.serverCpus}, generator on CPU ${h.pinning.plan.generatorCpus}`
          : `not pinned (${h.pinning.plan.reason})`) +
        (results.store === "dynamodb" ? "; queue store DynamoDB (dynalite)" : ""),
      `- enter: ${fmt(h.enter.requestsPerSecond)} req/s (p99 ${ms(h.enter.latency.p99Ms)}); server RSS after ` +
        `${fmt(h.enter.accepted)} entered ${fmt(h.memoryAfterEnter?.rssMb)} MB (VmHWM ${fmt(h.memoryAfterEnter?.hwmMb)} MB; ` +
        `${fmt(h.memoryAtStart?.rssMb)} MB idle before)` +
        (enterFloorText(h) ? `; ${enterFloorText(h)}` : ""),
    );
  }
  lines.push(...flashSummaryLines(results.flashRuns));
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
