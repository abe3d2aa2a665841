import { performance } from "node:perf_hooks";
import { setTimeout as sleep } from "node:timers/promises";
import { CostCrowd } from "@/bench/cost-crowd";
import {
  type Attribution,
  attribute,
  type CostModel,
  costModel,
  itemWrites,
  type UnitTotals,
  writeUnitsPerWaitingMinuteGoal,
} from "@/bench/cost-model";
import { type BenchDynamo, type DynamoCounters, type DynamoPhase, dynamoPhase } from "@/bench/dynamo";
import { LatencyRecorder } from "@/bench/load";
import { startApp } from "@/bench/server-process";
import { type MetricsSample, MetricsSampler } from "@/bench/server-sampler";

// What a waiting room costs on DynamoDB, per waiting visitor-minute, as a function of the
// wait (bench/cost-model.ts). A line of visitors waits and heartbeats at the real interval (5 s)
// in a room that admits a steady trickle; admitted visitors browse, then most leave and some go
// silent (expired by the server); a share of the waiting give up (leave, or go silent); new
// visitors keep arriving. Every DynamoDB request is counted by the dynalite front with the
// units DynamoDB's billing rules give it (server/testing/dynalite.ts: modelled, not an AWS
// bill). The idle app (nobody in line) is measured first and reported beside the figures;
// nothing is subtracted: every write of the window counts.

export type CostSettings = {
  /** The line: a crowd that enters at once before the measured window. */
  visitors: number;
  /**
   * New visitors per second during the window; by default as many as leave the line (admitted
   * or given up), so the line holds steady: see steadyArrivalsPerSecond.
   */
  arrivalsPerSecond: number;
  capacity: number;
  heartbeatIntervalMs: number;
  heartbeatTimeoutMs: number;
  leaveGraceMs: number;
  tickMs: number;
  sessionMinMs: number;
  sessionMaxMs: number;
  /** Share of admitted visitors who leave at the end of their session; the rest go silent. */
  admittedLeaveFraction: number;
  /** Share of the waiting who give up per minute (half leave, half go silent). */
  abandonPerMinute: number;
  idleMs: number;
  /** Between the crowd's arrival and the measured window. */
  settleMs: number;
  measureMs: number;
  connections: number;
  seed: number;
  /** The reference design's heartbeat writes per waiting visitor-minute (one per 5 s). */
  referenceWritesPerVisitorMinute: number;
};

export type { UnitTotals } from "@/bench/cost-model";

/** Mean waits at which the scenario reports the cost, computed from its measured parts. */
export const reportedWaitsMinutes = [2, 10, 30];

export type CostReport = {
  settings: CostSettings;
  /** The app running, nobody in line. */
  idle: DynamoPhase & { perMinute: UnitTotals };
  /** The crowd entering at once (before the window). */
  setup: DynamoPhase & { accepted: number; elapsedMs: number };
  /** Every request of the window, idle work included. */
  window: DynamoPhase;
  visitorMinutes: { waiting: number; admitted: number; total: number; meanWaiting: number; meanAdmitted: number };
  events: {
    arrivals: number;
    admissions: number;
    left: number;
    expired: number;
    evicted: number;
    removals: number;
    /** The line at the window's start and end: a steady line keeps its length. */
    waitingAtStart: number;
    waitingAtEnd: number;
  };
  /** The window's write and read units by the work they paid for (by transaction shape and operation). */
  attribution: Attribution;
  /** Visitors per write request (arrivals, admissions, removals are written in batches). */
  batchSizes: { arrivals: number | null; admissions: number | null; removals: number | null };
  perWaitingVisitorMinute: UnitTotals;
  perVisitorMinute: UnitTotals;
  perArrival: UnitTotals | null;
  perAdmission: UnitTotals | null;
  perRemoval: UnitTotals | null;
  /** One visit end to end (arrival + admission + removal), whatever its length. */
  perVisit: UnitTotals | null;
  /** Mean wait in the window by Little's law: the mean line ÷ arrivals per minute. */
  meanWaitMinutes: number | null;
  /** Per visit + background, and what they give at other waits (computed, not run). */
  model: CostModel | null;
  /** Items written (transaction items and plain writes) per waiting visitor-minute: "durable writes". */
  itemWritesPerWaitingVisitorMinute: number;
  heartbeats: { sentInWindow: number; answered: Record<string, number>; transportErrors: number };
  /** Visitors still heartbeating who were told they had expired (should be none). */
  expiredWhileHeartbeating: number;
  visitorsAtEnd: Record<string, number>;
  serverCpuPercent: number | null;
  dynamoCpuPercent: number | null;
  serverErrorLogLines: number;
  serverLogTail: string[];
};

/**
 * Arrivals that balance departures: admissions (capacity ÷ how long an admitted visitor holds
 * a slot) and the waiting who give up. A slot is held for the session, plus the time until the
 * visitor's next heartbeat notices the admission (half an interval on average), plus the leave
 * grace for those who leave or the heartbeat timeout for those who go silent. Counting the
 * session alone overstated admissions by a third, so the line grew through the window and the
 * per-minute figure came out lower than a steady line's.
 */
export function steadyArrivalsPerSecond(s: Omit<CostSettings, "arrivalsPerSecond">): number {
  const holdMs =
    (s.sessionMinMs + s.sessionMaxMs) / 2 +
    s.heartbeatIntervalMs / 2 +
    s.admittedLeaveFraction * s.leaveGraceMs +
    (1 - s.admittedLeaveFraction) * s.heartbeatTimeoutMs +
    s.tickMs;
  return s.capacity / (holdMs / 1000) + (s.visitors * s.abandonPerMinute) / 60;
}

export async function runCostBench(
  settings: CostSettings,
  dynamo: BenchDynamo,
  log: (line: string) => void,
): Promise<CostReport> {
  const app = await startApp({
    capacity: settings.capacity,
    heartbeatIntervalMs: settings.heartbeatIntervalMs,
    heartbeatTimeoutMs: settings.heartbeatTimeoutMs,
    maxQueueLength: Math.max(settings.visitors * 4, 100_000),
    leaveGraceMs: settings.leaveGraceMs,
    tickMs: settings.tickMs,
    store: dynamo.freshStore("cost"),
  });
  const crowd = new CostCrowd(app, settings);
  try {
    // Idle: the app started (room created, table loaded); nobody in line.
    await sleep(1_000);
    await dynamo.reset();
    log(`idle: nobody in line for ${settings.idleMs / 1000} s ...`);
    await sleep(settings.idleMs);
    const idleCounters = await dynamo.reset();
    const idle = dynamoPhase(idleCounters);
    const idleMinutes = idle.elapsedMs / 60_000;
    const idlePerMinute = {
      requests: idle.requests / idleMinutes,
      writeUnits: idle.writeUnits / idleMinutes,
      readUnits: idle.readUnits / idleMinutes,
    };
    log(`  ${idlePerMinute.requests.toFixed(1)} requests/min, ${idlePerMinute.writeUnits.toFixed(1)} write units/min`);

    log(`setup: ${settings.visitors.toLocaleString("en-US")} visitors enter (capacity ${settings.capacity}) ...`);
    const setupStarted = performance.now();
    const accepted = await crowd.enterCrowd(settings.visitors);
    const setupElapsedMs = performance.now() - setupStarted;
    await sleep(settings.settleMs);
    const setup = { ...dynamoPhase(await dynamo.reset()), accepted, elapsedMs: setupElapsedMs };
    log(`  ${accepted} in line after ${(setupElapsedMs / 1000).toFixed(1)} s; ${setup.writeUnits} write units`);

    log(
      `window: ${settings.measureMs / 1000} s of heartbeats every ${settings.heartbeatIntervalMs / 1000} s, ` +
        `${settings.arrivalsPerSecond.toFixed(2)} arrivals/s, admissions, leaves and expiries ...`,
    );
    const samples: MetricsSample[] = [];
    const sampler = new MetricsSampler(app, 1_000, samples, new LatencyRecorder(), []);
    await sampler.connect();
    const serverCpuStart = app.cpuSeconds();
    const dynamoCpuStart = dynamo.cpuSeconds();
    await dynamo.reset();
    sampler.start();
    crowd.startWindow();
    const windowStarted = performance.now();
    await sleep(settings.measureMs);
    const windowCounters = await dynamo.counters();
    await sampler.stop();
    const windowElapsedMs = performance.now() - windowStarted;
    const heartbeatsInWindow = crowd.stopWindow();
    const serverCpuEnd = app.cpuSeconds();
    const dynamoCpuEnd = dynamo.cpuSeconds();
    await crowd.stop();

    const window = dynamoPhase(windowCounters);
    const visitorMinutes = integrate(samples);
    const events = eventsBetween(samples);
    // Nothing is subtracted: the idle rate is reported beside, and the room's background work
    // (what no arrival, admission or removal paid for) is a part of the model of its own.
    const attribution = attribute(windowCounters);
    const per = (divisor: number, t: UnitTotals): UnitTotals | null =>
      divisor > 0
        ? { requests: t.requests / divisor, writeUnits: t.writeUnits / divisor, readUnits: t.readUnits / divisor }
        : null;
    const zero: UnitTotals = { requests: 0, writeUnits: 0, readUnits: 0 };
    const all: UnitTotals = { requests: window.requests, writeUnits: window.writeUnits, readUnits: window.readUnits };
    const cpu = (start: number | null, end: number | null) =>
      start === null || end === null ? null : ((end - start) / (windowElapsedMs / 1000)) * 100;
    const perArrival = per(events.arrivals, attribution.arrivals);
    const perAdmission = per(events.admissions, attribution.admissions);
    const perRemoval = per(events.removals, attribution.removals);
    const perVisit =
      perArrival && perAdmission && perRemoval
        ? {
            requests: perArrival.requests + perAdmission.requests + perRemoval.requests,
            writeUnits: perArrival.writeUnits + perAdmission.writeUnits + perRemoval.writeUnits,
            readUnits: perArrival.readUnits + perAdmission.readUnits + perRemoval.readUnits,
          }
        : null;
    const report: CostReport = {
      settings,
      idle: { ...idle, perMinute: idlePerMinute },
      setup,
      window,
      visitorMinutes,
      events,
      attribution,
      batchSizes: batchSizes(windowCounters, events),
      perWaitingVisitorMinute: per(visitorMinutes.waiting, all) ?? zero,
      perVisitorMinute: per(visitorMinutes.total, all) ?? zero,
      perArrival,
      perAdmission,
      perRemoval,
      perVisit,
      meanWaitMinutes:
        events.arrivals > 0 ? visitorMinutes.meanWaiting / (events.arrivals / (windowElapsedMs / 60_000)) : null,
      model: perVisit
        ? costModel({
            perVisit,
            background: attribution.other,
            windowMinutes: window.elapsedMs / 60_000,
            idlePerMinute,
            meanWaiting: visitorMinutes.meanWaiting,
            waits: reportedWaitsMinutes,
            goalWriteUnits: writeUnitsPerWaitingMinuteGoal,
          })
        : null,
      itemWritesPerWaitingVisitorMinute:
        visitorMinutes.waiting > 0 ? itemWrites(windowCounters) / visitorMinutes.waiting : 0,
      heartbeats: {
        sentInWindow: heartbeatsInWindow,
        answered: Object.fromEntries(crowd.heartbeatAnswers),
        transportErrors: crowd.transportErrors,
      },
      expiredWhileHeartbeating: crowd.expiredWhileHeartbeating,
      visitorsAtEnd: crowd.phases(),
      serverCpuPercent: cpu(serverCpuStart, serverCpuEnd),
      dynamoCpuPercent: cpu(dynamoCpuStart, dynamoCpuEnd),
      serverErrorLogLines: app.errorLines,
      serverLogTail: app.recentLog().split("\n").filter(Boolean),
    };
    log(
      `  ${visitorMinutes.waiting.toFixed(0)} waiting + ${visitorMinutes.admitted.toFixed(0)} admitted visitor-minutes; ` +
        `${window.writeUnits.toFixed(0)} write units, ${window.readUnits.toFixed(0)} read units (all work, idle included)`,
    );
    return report;
  } finally {
    await crowd.stop();
    await app.stop();
  }
}

/** Visitor-minutes the server held, waiting and admitted, from its gauges (trapezoids). */
function integrate(samples: MetricsSample[]): CostReport["visitorMinutes"] {
  let waiting = 0;
  let admitted = 0;
  const usable = samples.filter((s) => Number.isFinite(s.waiting) && Number.isFinite(s.active));
  for (let i = 1; i < usable.length; i++) {
    const a = usable[i - 1] as MetricsSample;
    const b = usable[i] as MetricsSample;
    const minutes = (b.atMs - a.atMs) / 60_000;
    waiting += ((a.waiting + b.waiting) / 2) * minutes;
    admitted += ((a.active + b.active) / 2) * minutes;
  }
  const span =
    usable.length > 1 ? ((usable.at(-1) as MetricsSample).atMs - (usable[0] as MetricsSample).atMs) / 60_000 : 0;
  return {
    waiting,
    admitted,
    total: waiting + admitted,
    meanWaiting: span > 0 ? waiting / span : 0,
    meanAdmitted: span > 0 ? admitted / span : 0,
  };
}

function eventsBetween(samples: MetricsSample[]): CostReport["events"] {
  const usable = samples.filter((s) => Number.isFinite(s.admittedTotal));
  const first = usable[0];
  const last = usable.at(-1);
  if (!first || !last)
    return {
      arrivals: 0,
      admissions: 0,
      left: 0,
      expired: 0,
      evicted: 0,
      removals: 0,
      waitingAtStart: 0,
      waitingAtEnd: 0,
    };
  const delta = (pick: (s: MetricsSample) => number) => {
    const d = pick(last) - pick(first);
    return Number.isFinite(d) ? d : 0;
  };
  const left = delta((s) => s.leftTotal);
  const expired = delta((s) => s.expiredTotal);
  const evicted = delta((s) => s.evictedTotal);
  return {
    arrivals: delta((s) => s.arrivedTotal),
    admissions: delta((s) => s.admittedTotal),
    left,
    expired,
    evicted,
    removals: left + expired + evicted,
    waitingAtStart: first.waiting,
    waitingAtEnd: last.waiting,
  };
}

/**
 * Visitors per write of each kind: arrivals (transactions with Puts, and lone PutItems),
 * admissions (transactions of Updates only), removals (with a Delete).
 */
function batchSizes(
  counters: Pick<DynamoCounters, "transactionShapes" | "operations">,
  events: CostReport["events"],
): CostReport["batchSizes"] {
  let arrivals = counters.operations.PutItem?.requests ?? 0;
  let admissions = 0;
  let removals = 0;
  for (const [shape, count] of Object.entries(counters.transactionShapes)) {
    const kinds = shape.split("+");
    if (kinds.includes("Put")) arrivals += count.requests;
    else if (kinds.includes("Delete")) removals += count.requests;
    else if (kinds.includes("Update")) admissions += count.requests;
  }
  const ratio = (n: number, d: number) => (d > 0 ? n / d : null);
  return {
    arrivals: ratio(events.arrivals, arrivals),
    admissions: ratio(events.admissions, admissions),
    removals: ratio(events.removals, removals),
  };
}
