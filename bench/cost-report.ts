import type { CostReport, UnitTotals } from "@/bench/cost";
import type { DynamoPhase } from "@/bench/dynamo";
import type { HeartbeatReport } from "@/bench/heartbeat";
import type { Check } from "@/bench/report";
import { table } from "@/bench/table";

// The DynamoDB mode's share of the report: cost checks, tables and summary lines.

const fmt = (n: number | null | undefined, digits = 0) =>
  n === null || n === undefined || Number.isNaN(n)
    ? "n/a"
    : n.toLocaleString("en-US", { minimumFractionDigits: digits, maximumFractionDigits: digits });
const pct = (n: number | null | undefined) => (n === null || n === undefined ? "n/a" : `${fmt(n, 0)}%`);

/** The goal of the issue: at most 1 durable write per waiting visitor per minute. */
export const writeUnitsPerWaitingMinuteGoal = 1;

export function costChecks(heartbeat: HeartbeatReport | null, cost: CostReport | null): Check[] {
  const checks: Check[] = [];
  if (heartbeat?.dynamo) {
    const d = heartbeat.dynamo.heartbeat;
    checks.push({
      name: "DynamoDB requests during the heartbeat run",
      value: `${fmt(d.requests)} (${fmt(d.writeUnits)} write units) for ${fmt(heartbeat.heartbeat.requests)} heartbeats`,
      goal: "0",
      pass: d.requests === 0,
      correctness: false,
    });
  }
  if (cost) {
    const perWaiting = cost.perWaitingVisitorMinute.writeUnits;
    checks.push({
      name: "DynamoDB write units per waiting visitor-minute (all writes, net of idle)",
      value: `${fmt(perWaiting, 3)} (${fmt(cost.net.writeUnits)} units / ${fmt(cost.visitorMinutes.waiting, 0)} min)`,
      goal: `≤ ${fmt(writeUnitsPerWaitingMinuteGoal, 2)}`,
      pass: cost.visitorMinutes.waiting > 0 && perWaiting <= writeUnitsPerWaitingMinuteGoal,
      correctness: false,
    });
    checks.push({
      name: "cost run: heartbeating visitors told they expired",
      value: fmt(cost.expiredWhileHeartbeating),
      goal: "0",
      pass: cost.expiredWhileHeartbeating === 0,
      correctness: false,
    });
  }
  return checks;
}

const phaseRow = (label: string, p: DynamoPhase) => [
  label,
  `${fmt(p.elapsedMs / 1000, 1)} s`,
  fmt(p.requests),
  fmt(p.writeUnits, 1),
  fmt(p.readUnits, 1),
];

/** DynamoDB figures of the heartbeat scenario (printed under its table). */
export function renderHeartbeatDynamo(h: HeartbeatReport): string {
  const d = h.dynamo;
  if (!d) return "";
  return table("DynamoDB (dynalite) during the heartbeat scenario", [
    ["", "time", "requests", "write units", "read units", "dynalite CPU"],
    [...phaseRow(`enter (${fmt(h.enter.accepted)} arrivals)`, d.enter), pct(d.enterCpuPercent)],
    [...phaseRow(`heartbeat (${fmt(h.heartbeat.requests)} heartbeats)`, d.heartbeat), pct(d.heartbeatCpuPercent)],
  ]);
}

const unitsCell = (t: UnitTotals | null, digits = 2) =>
  t === null
    ? "n/a"
    : `${fmt(t.writeUnits, digits)} W / ${fmt(t.readUnits, digits)} R / ${fmt(t.requests, digits)} req`;

export function renderCost(c: CostReport): string {
  const s = c.settings;
  const out: string[] = [];
  const operations = Object.entries(c.window.counters.operations);
  const idleOps = c.idle.counters.operations;
  out.push(
    table(
      `DynamoDB cost: ${fmt(s.visitors)} visitors then ${fmt(s.arrivalsPerSecond, 2)}/s, capacity ${fmt(s.capacity)}, heartbeat ` +
        `${s.heartbeatIntervalMs / 1000} s / timeout ${s.heartbeatTimeoutMs / 1000} s, sessions ${s.sessionMinMs / 1000}-` +
        `${s.sessionMaxMs / 1000} s (${Math.round(s.admittedLeaveFraction * 100)}% leave, rest silent), ` +
        `${fmt(s.abandonPerMinute * 100, 1)}% of the line gives up per minute; window ${fmt(c.window.elapsedMs / 1000, 1)} s`,
      [
        ["operation (window)", "requests", "items", "write units", "read units", "idle req/min"],
        ...operations.map(([name, count]) => [
          name,
          fmt(count.requests),
          fmt(count.items),
          fmt(count.writeUnits, 1),
          fmt(count.readUnits, 1),
          fmt(((idleOps[name]?.requests ?? 0) / Math.max(c.idle.elapsedMs, 1)) * 60_000, 1),
        ]),
        ...Object.entries(c.window.counters.transactionShapes).map(([shape, count]) => [
          `  TransactWriteItems [${shape}]`,
          fmt(count.requests),
          fmt(count.items),
          fmt(count.writeUnits, 1),
          "",
          "",
        ]),
        ["all (window)", fmt(c.window.requests), "", fmt(c.window.writeUnits, 1), fmt(c.window.readUnits, 1), ""],
        ["net of idle", fmt(c.net.requests, 1), "", fmt(c.net.writeUnits, 1), fmt(c.net.readUnits, 1), ""],
        [
          `idle, nobody in line (${fmt(c.idle.elapsedMs / 1000, 0)} s), per minute`,
          fmt(c.idle.perMinute.requests, 1),
          "",
          fmt(c.idle.perMinute.writeUnits, 1),
          fmt(c.idle.perMinute.readUnits, 1),
          "",
        ],
        [
          `setup: ${fmt(c.setup.accepted)} entered at once (${fmt(c.setup.elapsedMs / 1000, 1)} s)`,
          fmt(c.setup.requests),
          "",
          fmt(c.setup.writeUnits, 1),
          fmt(c.setup.readUnits, 1),
          "",
        ],
      ],
    ),
  );
  const vm = c.visitorMinutes;
  const e = c.events;
  const reference = s.referenceWritesPerVisitorMinute;
  const ours = c.perWaitingVisitorMinute.writeUnits;
  out.push(
    table("DynamoDB cost per unit of work (net of idle; W = write units, R = read units)", [
      ["", "value"],
      [
        "visitor-minutes in the window (waiting / admitted)",
        `${fmt(vm.waiting, 1)} / ${fmt(vm.admitted, 1)} (on average ${fmt(vm.meanWaiting)} waiting, ${fmt(vm.meanAdmitted)} admitted)`,
      ],
      [
        "events in the window",
        `${fmt(e.arrivals)} arrivals, ${fmt(e.admissions)} admissions, ${fmt(e.removals)} removals ` +
          `(${fmt(e.left)} left, ${fmt(e.expired)} expired, ${fmt(e.evicted)} evicted)`,
      ],
      [
        "heartbeats in the window / DynamoDB requests per 1,000 heartbeats (all work)",
        `${fmt(c.heartbeats.sentInWindow)} / ${fmt(c.heartbeats.sentInWindow > 0 ? (c.net.requests / c.heartbeats.sentInWindow) * 1000 : null, 1)}`,
      ],
      ["per waiting visitor-minute", unitsCell(c.perWaitingVisitorMinute, 3)],
      ["per visitor-minute (waiting + admitted)", unitsCell(c.perVisitorMinute, 3)],
      ["items written per waiting visitor-minute", fmt(c.itemWritesPerWaitingVisitorMinute, 3)],
      ["per arrival", unitsCell(c.perArrival)],
      ["per admission", unitsCell(c.perAdmission)],
      ["per removal (leave or expiry)", unitsCell(c.perRemoval)],
      ["per visit (arrival + admission + removal), whatever its length", unitsCell(c.perVisit)],
      [
        "mean wait in the window (Little: line ÷ arrivals per minute)",
        c.meanWaitMinutes === null ? "n/a" : `${fmt(c.meanWaitMinutes, 1)} min`,
      ],
      [
        `wait at which a visit costs ≤ ${writeUnitsPerWaitingMinuteGoal} W per waiting minute`,
        c.perVisit ? `≥ ${fmt(c.perVisit.writeUnits / writeUnitsPerWaitingMinuteGoal, 1)} min` : "n/a",
      ],
      ["other work (not arrivals, admissions, removals)", unitsCell(c.attribution.other, 1)],
      [
        `reference design: ${reference} heartbeat writes per waiting visitor-minute`,
        ours > 0 ? `${fmt(reference / ours, 0)}× what Floodgate writes` : "Floodgate wrote nothing",
      ],
      [
        "heartbeat answers / transport errors",
        `${JSON.stringify(c.heartbeats.answered)} / ${fmt(c.heartbeats.transportErrors)}`,
      ],
      ["visitors at end", JSON.stringify(c.visitorsAtEnd)],
      [
        "CPU in the window, % of one core: server / dynalite",
        `${pct(c.serverCpuPercent)} / ${pct(c.dynamoCpuPercent)}`,
      ],
      ["server error log lines", fmt(c.serverErrorLogLines)],
    ]),
  );
  if (c.serverErrorLogLines > 0) {
    out.push(
      `  last server log lines:\n${c.serverLogTail
        .slice(-5)
        .map((line) => `    ${line.length > 300 ? `${line.slice(0, 300)}...` : line}`)
        .join("\n")}`,
    );
  }
  return out.join("\n");
}

export function costSummaryLines(heartbeat: HeartbeatReport | null, cost: CostReport | null): string[] {
  const lines: string[] = [];
  if (heartbeat?.dynamo) {
    const d = heartbeat.dynamo;
    lines.push(
      `- DynamoDB during the heartbeat scenario: ${fmt(d.enter.requests)} requests / ${fmt(d.enter.writeUnits)} write ` +
        `units for ${fmt(heartbeat.enter.accepted)} arrivals; ${fmt(d.heartbeat.requests)} requests for ` +
        `${fmt(heartbeat.heartbeat.requests)} heartbeats`,
    );
  }
  if (cost) {
    lines.push(
      `- DynamoDB cost: ${fmt(cost.perWaitingVisitorMinute.writeUnits, 3)} write units and ` +
        `${fmt(cost.perWaitingVisitorMinute.readUnits, 3)} read units per waiting visitor-minute ` +
        `(${fmt(cost.perVisitorMinute.writeUnits, 3)} W / ${fmt(cost.perVisitorMinute.readUnits, 3)} R per visitor-minute ` +
        `overall; goal ≤ ${writeUnitsPerWaitingMinuteGoal} W; reference design ${cost.settings.referenceWritesPerVisitorMinute} ` +
        `heartbeat writes) over ${fmt(cost.visitorMinutes.waiting, 0)} waiting + ${fmt(cost.visitorMinutes.admitted, 0)} ` +
        `admitted visitor-minutes, mean wait ${fmt(cost.meanWaitMinutes, 1)} min; per visit ` +
        `${fmt(cost.perVisit?.writeUnits, 1)} W + ${fmt(cost.perVisit?.readUnits, 1)} R (per arrival ${fmt(cost.perArrival?.writeUnits, 2)} W, per admission ` +
        `${fmt(cost.perAdmission?.writeUnits, 2)} W, per removal ${fmt(cost.perRemoval?.writeUnits, 2)} W + ` +
        `${fmt(cost.perRemoval?.readUnits, 2)} R); idle ${fmt(cost.idle.perMinute.requests, 1)} requests/min`,
    );
  }
  return lines;
}
