import type { CostReport } from "@/bench/cost";
import { attribute, type UnitTotals, unitsAtWait, writeUnitsPerWaitingMinuteGoal } from "@/bench/cost-model";
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

export { writeUnitsPerWaitingMinuteGoal };

/** The wait the goal is checked at: the claim holds from some wait on, never at every wait. */
export const checkedWaitMinutes = 10;

/**
 * DynamoDB requests in the heartbeat window that no admission or removal made. No arrival
 * happens in the window, so an arrival-shaped or unattributed request is one a heartbeat made.
 */
export function strayHeartbeatRequests(heartbeat: HeartbeatReport | null): number | null {
  if (!heartbeat?.dynamo) return null;
  const a = attribute(heartbeat.dynamo.heartbeat.counters);
  return a.arrivals.requests + a.other.requests;
}

export function costChecks(heartbeat: HeartbeatReport | null, cost: CostReport | null): Check[] {
  const checks: Check[] = [];
  if (heartbeat?.dynamo) {
    // The room is live in the window: its admissions and removals write, heartbeats must not.
    // No arrival happens in the window, so an arrival-shaped or unattributed request is a
    // write or read some heartbeat made.
    const a = attribute(heartbeat.dynamo.heartbeat.counters);
    const notVisits = strayHeartbeatRequests(heartbeat) ?? 0;
    checks.push({
      name: "DynamoDB requests during the heartbeat window other than admissions and removals",
      value:
        `${fmt(notVisits)} for ${fmt(heartbeat.heartbeat.requests)} requests (admissions ${fmt(a.admissions.requests)}, ` +
        `removals ${fmt(a.removals.requests)} requests for ${fmt(heartbeat.live.admissions)} admissions, ` +
        `${fmt((heartbeat.live.expiries ?? 0) + (heartbeat.live.leaves ?? 0))} removals)`,
      goal: "0",
      pass: notVisits === 0,
      // Heartbeats are never written: the claim the DynamoDB design rests on, so it fails the run.
      correctness: true,
    });
  }
  if (cost) {
    const m = cost.model;
    const atChecked = m ? unitsAtWait(m.perVisit, m.backgroundPerWaitingVisitorMinute, checkedWaitMinutes) : null;
    checks.push({
      name: `DynamoDB write units per waiting visitor-minute at a ${checkedWaitMinutes}-min mean wait (computed from measured parts)`,
      value:
        m && atChecked
          ? `${fmt(atChecked.writeUnits, 2)} (${fmt(m.perVisit.writeUnits, 1)} per visit ÷ ${checkedWaitMinutes} + ` +
            `${fmt(m.backgroundPerWaitingVisitorMinute.writeUnits, 3)} background); ≤ 1 from a ${fmt(m.breakEvenWaitMinutes, 1)}-min wait on`
          : "n/a (no admitted visit measured)",
      goal: `≤ ${fmt(writeUnitsPerWaitingMinuteGoal, 0)}`,
      pass: atChecked !== null && atChecked.writeUnits <= writeUnitsPerWaitingMinuteGoal,
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
    [
      ...phaseRow(`heartbeat window (${fmt(h.heartbeat.requests)} heartbeats and leaves, live room)`, d.heartbeat),
      pct(d.heartbeatCpuPercent),
    ],
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
        `${fmt(s.abandonPerMinute * 100, 1)}% of the line gives up per minute; window ${fmt(c.window.elapsedMs / 1000, 1)} s. ` +
        "Units: the dynalite front's count by DynamoDB's billing rules (modelled, not an AWS bill)",
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
        [
          "all (window; idle work included, nothing subtracted)",
          fmt(c.window.requests),
          "",
          fmt(c.window.writeUnits, 1),
          fmt(c.window.readUnits, 1),
          "",
        ],
        [
          `idle, nobody in line (${fmt(c.idle.elapsedMs / 1000, 0)} s, before the crowd), per minute`,
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
  const b = c.batchSizes;
  const m = c.model;
  const reference = s.referenceWritesPerVisitorMinute;
  const measured = c.perWaitingVisitorMinute.writeUnits;
  const predicted =
    m && c.meanWaitMinutes ? unitsAtWait(m.perVisit, m.backgroundPerWaitingVisitorMinute, c.meanWaitMinutes) : null;
  out.push(
    table("DynamoDB cost, measured in the window (all writes counted; W = write units, R = read units)", [
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
        "waiting at the window's start / end (steady: about equal)",
        `${fmt(e.waitingAtStart)} / ${fmt(e.waitingAtEnd)}`,
      ],
      [
        "visitors per write: arrivals / admissions / removals",
        `${fmt(b.arrivals, 2)} / ${fmt(b.admissions, 2)} / ${fmt(b.removals, 2)}`,
      ],
      [
        "heartbeats in the window / DynamoDB requests per 1,000 heartbeats (all work)",
        `${fmt(c.heartbeats.sentInWindow)} / ${fmt(c.heartbeats.sentInWindow > 0 ? (c.window.requests / c.heartbeats.sentInWindow) * 1000 : null, 1)}`,
      ],
      [
        "mean wait in the window (Little: line ÷ arrivals per minute)",
        c.meanWaitMinutes === null ? "n/a" : `${fmt(c.meanWaitMinutes, 1)} min`,
      ],
      [
        `per waiting visitor-minute at that wait (measured)`,
        `${unitsCell(c.perWaitingVisitorMinute, 3)}; the model below gives ${fmt(predicted?.writeUnits, 3)} W`,
      ],
      ["per visitor-minute (waiting + admitted)", unitsCell(c.perVisitorMinute, 3)],
      ["items written per waiting visitor-minute", fmt(c.itemWritesPerWaitingVisitorMinute, 3)],
      ["per arrival", unitsCell(c.perArrival)],
      ["per admission", unitsCell(c.perAdmission)],
      ["per removal (leave or expiry)", unitsCell(c.perRemoval)],
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
  if (m) {
    out.push(
      table(
        "DynamoDB cost as a function of the wait: per visit ÷ wait + background ÷ line (computed from the measured parts, not run at each wait)",
        [
          ["", "write units", "read units"],
          [
            "per visit (arrival + admission + removal), whatever its length",
            fmt(m.perVisit.writeUnits, 2),
            fmt(m.perVisit.readUnits, 2),
          ],
          [
            "a visitor who gives up waiting (arrival + removal; the model counts every visit as admitted)",
            fmt((c.perArrival?.writeUnits ?? Number.NaN) + (c.perRemoval?.writeUnits ?? Number.NaN), 2),
            fmt((c.perArrival?.readUnits ?? Number.NaN) + (c.perRemoval?.readUnits ?? Number.NaN), 2),
          ],
          [
            `background: work no visit paid for, per minute (per waiting visitor-minute at ${fmt(m.meanWaiting)} waiting)`,
            `${fmt(m.backgroundPerMinute.writeUnits, 2)} (${fmt(m.backgroundPerWaitingVisitorMinute.writeUnits, 4)})`,
            `${fmt(m.backgroundPerMinute.readUnits, 2)} (${fmt(m.backgroundPerWaitingVisitorMinute.readUnits, 4)})`,
          ],
          [
            "idle app, nobody in line, per minute (beside; not subtracted)",
            fmt(m.idlePerMinute.writeUnits, 2),
            fmt(m.idlePerMinute.readUnits, 2),
          ],
          ...m.atWaits.map((w) => [
            `per waiting visitor-minute at a ${fmt(w.waitMinutes)}-min mean wait`,
            fmt(w.perWaitingVisitorMinute.writeUnits, 3),
            fmt(w.perWaitingVisitorMinute.readUnits, 3),
          ]),
          [
            `mean wait from which a waiting visitor-minute costs ≤ ${writeUnitsPerWaitingMinuteGoal} W`,
            m.breakEvenWaitMinutes === null ? "never (background alone)" : `${fmt(m.breakEvenWaitMinutes, 1)} min`,
            "",
          ],
          [
            `reference design: ${reference} heartbeat writes per waiting visitor-minute at any wait`,
            measured > 0 ? `${fmt(reference / measured, 0)}× the measured figure` : "Floodgate wrote nothing",
            "",
          ],
        ],
      ),
    );
  }
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
        `${fmt(heartbeat.heartbeat.requests)} heartbeats and leaves in a live room (all admissions and removals: ` +
        `${fmt(heartbeat.live.admissions)} admissions, ${fmt(heartbeat.live.expiries)} expiries, ${fmt(heartbeat.live.leaves)} leaves)`,
    );
  }
  if (cost) {
    const m = cost.model;
    const b = cost.batchSizes;
    lines.push(
      `- DynamoDB cost (units by DynamoDB's billing rules, counted by the dynalite front: modelled, not a bill): ` +
        `a visit costs ${fmt(m?.perVisit.writeUnits, 1)} W + ${fmt(m?.perVisit.readUnits, 1)} R whatever its length ` +
        `(arrival ${fmt(cost.perArrival?.writeUnits, 2)} W, admission ${fmt(cost.perAdmission?.writeUnits, 2)} W, removal ` +
        `${fmt(cost.perRemoval?.writeUnits, 2)} W + ${fmt(cost.perRemoval?.readUnits, 2)} R; visitors per write ` +
        `${fmt(b.arrivals, 1)}/${fmt(b.admissions, 1)}/${fmt(b.removals, 1)}), background ` +
        `${fmt(m?.backgroundPerMinute.writeUnits, 2)} W/min (idle before the crowd ${fmt(cost.idle.perMinute.writeUnits, 2)} W/min, ` +
        `${fmt(cost.idle.perMinute.requests, 1)} req/min); per waiting visitor-minute ` +
        (m?.atWaits
          .map((w) => `${fmt(w.perWaitingVisitorMinute.writeUnits, 2)} W at a ${fmt(w.waitMinutes)}-min wait`)
          .join(", ") ?? "n/a") +
        ` (computed); ≤ ${writeUnitsPerWaitingMinuteGoal} W from a ${fmt(m?.breakEvenWaitMinutes, 1)}-min mean wait on; measured ` +
        `${fmt(cost.perWaitingVisitorMinute.writeUnits, 3)} W / ${fmt(cost.perWaitingVisitorMinute.readUnits, 3)} R per waiting ` +
        `visitor-minute at the scenario's ${fmt(cost.meanWaitMinutes, 1)}-min wait over ${fmt(cost.visitorMinutes.waiting, 0)} waiting ` +
        `+ ${fmt(cost.visitorMinutes.admitted, 0)} admitted visitor-minutes (reference design ` +
        `${cost.settings.referenceWritesPerVisitorMinute} heartbeat writes at any wait)`,
    );
  }
  return lines;
}
