import { performance } from "node:perf_hooks";
import { setTimeout as sleep } from "node:timers/promises";
import { Pool } from "undici";
import { type BenchDynamo, type DynamoCounters, type DynamoPhase, dynamoPhase } from "@/bench/dynamo";
import { mulberry32 } from "@/bench/flash-crowd";
import { LatencyRecorder } from "@/bench/load";
import { type ManagedProcess, startApp } from "@/bench/server-process";
import { type MetricsSample, MetricsSampler } from "@/bench/server-sampler";

// What a waiting room costs on DynamoDB, per visitor-minute. A line of visitors waits and
// heartbeats at the real interval (5 s) in a room that admits a steady trickle; admitted
// visitors browse, then most leave and some go silent (expired by the server); a share of the
// waiting give up (leave, or go silent); new visitors keep arriving. Every DynamoDB request is
// counted by the dynalite front with the billing units AWS would charge (server/testing/
// dynalite.ts). Idle cost (the app with nobody in line) is measured first and taken off, so
// the per-visitor figures are what visitors cost.

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

export type UnitTotals = { requests: number; writeUnits: number; readUnits: number };

export type CostReport = {
  settings: CostSettings;
  /** The app running, nobody in line. */
  idle: DynamoPhase & { perMinute: UnitTotals };
  /** The crowd entering at once (before the window). */
  setup: DynamoPhase & { accepted: number; elapsedMs: number };
  window: DynamoPhase;
  /** The window less the idle rate over the same time. */
  net: UnitTotals;
  visitorMinutes: { waiting: number; admitted: number; total: number; meanWaiting: number; meanAdmitted: number };
  events: { arrivals: number; admissions: number; left: number; expired: number; evicted: number; removals: number };
  /** Net write and read units by the work they paid for (by transaction shape and operation). */
  attribution: Record<"arrivals" | "admissions" | "removals" | "other", UnitTotals>;
  perWaitingVisitorMinute: UnitTotals;
  perVisitorMinute: UnitTotals;
  perArrival: UnitTotals | null;
  perAdmission: UnitTotals | null;
  perRemoval: UnitTotals | null;
  /** One visit end to end (arrival + admission + removal), whatever its length. */
  perVisit: UnitTotals | null;
  /** Mean wait in the window by Little's law: the mean line ÷ arrivals per minute. */
  meanWaitMinutes: number | null;
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

/** Arrivals that balance departures: admissions (capacity ÷ mean session) and the waiting who give up. */
export function steadyArrivalsPerSecond(s: Omit<CostSettings, "arrivalsPerSecond">): number {
  const meanSessionS = (s.sessionMinMs + s.sessionMaxMs) / 2000;
  return s.capacity / meanSessionS + (s.visitors * s.abandonPerMinute) / 60;
}

type Phase = "entering" | "waiting" | "admitted" | "left" | "silent" | "expired" | "rejected";

const api = (action: string) => `/api/queue/default/${action}`;

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
    const scale = window.elapsedMs / Math.max(idle.elapsedMs, 1);
    const netCounters = subtractScaled(windowCounters, idleCounters, scale);
    const net = totals(netCounters);
    const visitorMinutes = integrate(samples);
    const events = eventsBetween(samples);
    const attribution = attribute(netCounters);
    const per = (divisor: number, t: UnitTotals): UnitTotals | null =>
      divisor > 0
        ? { requests: t.requests / divisor, writeUnits: t.writeUnits / divisor, readUnits: t.readUnits / divisor }
        : null;
    const zero: UnitTotals = { requests: 0, writeUnits: 0, readUnits: 0 };
    const cpu = (start: number | null, end: number | null) =>
      start === null || end === null ? null : ((end - start) / (windowElapsedMs / 1000)) * 100;
    const report: CostReport = {
      settings,
      idle: { ...idle, perMinute: idlePerMinute },
      setup,
      window,
      net,
      visitorMinutes,
      events,
      attribution,
      perWaitingVisitorMinute: per(visitorMinutes.waiting, net) ?? zero,
      perVisitorMinute: per(visitorMinutes.total, net) ?? zero,
      perArrival: per(events.arrivals, attribution.arrivals),
      perAdmission: per(events.admissions, attribution.admissions),
      perRemoval: per(events.removals, attribution.removals),
      perVisit: null,
      meanWaitMinutes:
        events.arrivals > 0 ? visitorMinutes.meanWaiting / (events.arrivals / (windowElapsedMs / 60_000)) : null,
      itemWritesPerWaitingVisitorMinute:
        visitorMinutes.waiting > 0 ? itemWrites(netCounters) / visitorMinutes.waiting : 0,
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
    const { perArrival, perAdmission, perRemoval } = report;
    if (perArrival && perAdmission && perRemoval) {
      report.perVisit = {
        requests: perArrival.requests + perAdmission.requests + perRemoval.requests,
        writeUnits: perArrival.writeUnits + perAdmission.writeUnits + perRemoval.writeUnits,
        readUnits: perArrival.readUnits + perAdmission.readUnits + perRemoval.readUnits,
      };
    }
    log(
      `  ${visitorMinutes.waiting.toFixed(0)} waiting + ${visitorMinutes.admitted.toFixed(0)} admitted visitor-minutes; ` +
        `${net.writeUnits.toFixed(0)} write units, ${net.readUnits.toFixed(0)} read units (net of idle)`,
    );
    return report;
  } finally {
    await crowd.stop();
    await app.stop();
  }
}

/** The simulated visitors: one timer and at most one request each. */
class CostCrowd {
  private readonly pool: Pool;
  private readonly random: () => number;
  private readonly visitors: CostVisitor[] = [];
  private stopped = false;
  private inWindow = false;
  private windowHeartbeats = 0;
  private arrivalTimer: NodeJS.Timeout | null = null;
  readonly heartbeatAnswers = new Map<string, number>();
  transportErrors = 0;
  expiredWhileHeartbeating = 0;
  inflight = 0;

  constructor(
    app: ManagedProcess,
    readonly settings: CostSettings,
  ) {
    this.pool = new Pool(app.origin, { connections: settings.connections, keepAliveTimeout: 60_000 });
    this.random = mulberry32(settings.seed);
  }

  /** `count` visitors enter, a few dozen at a time; resolves with how many got a place. */
  async enterCrowd(count: number): Promise<number> {
    let next = 0;
    let accepted = 0;
    const worker = async () => {
      while (next < count && !this.stopped) {
        next++;
        if (await this.arrive()) accepted++;
      }
    };
    await Promise.all(Array.from({ length: Math.min(64, count) }, worker));
    return accepted;
  }

  startWindow(): void {
    this.inWindow = true;
    const everyMs = this.settings.arrivalsPerSecond > 0 ? 1000 / this.settings.arrivalsPerSecond : 0;
    if (everyMs > 0) this.arrivalTimer = setInterval(() => void this.arrive(), everyMs);
  }

  /** Ends the window; answers the heartbeats sent in it. */
  stopWindow(): number {
    this.inWindow = false;
    if (this.arrivalTimer) clearInterval(this.arrivalTimer);
    return this.windowHeartbeats;
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    if (this.arrivalTimer) clearInterval(this.arrivalTimer);
    for (const visitor of this.visitors) if (visitor.timer) clearTimeout(visitor.timer);
    const until = Date.now() + 10_000;
    while (this.inflight > 0 && Date.now() < until) await sleep(20);
    await this.pool.destroy();
  }

  phases(): Record<string, number> {
    const counts: Record<string, number> = {};
    for (const visitor of this.visitors) counts[visitor.phase] = (counts[visitor.phase] ?? 0) + 1;
    return counts;
  }

  private async arrive(): Promise<boolean> {
    const s = this.settings;
    const visitor: CostVisitor = {
      phase: "entering",
      headers: {},
      timer: null,
      sessionMs: s.sessionMinMs + this.random() * (s.sessionMaxMs - s.sessionMinMs),
      leavesAfterSession: this.random() < s.admittedLeaveFraction,
      abandonByLeaving: this.random() < 0.5,
      sessionEndsAt: Infinity,
      intervalMs: s.heartbeatIntervalMs,
    };
    this.visitors.push(visitor);
    const reply = await this.post(api("enter"), {});
    const token = reply?.body?.token;
    if (!reply || (reply.status !== 201 && reply.status !== 200) || typeof token !== "string") {
      visitor.phase = "rejected";
      return false;
    }
    visitor.headers = { authorization: `Bearer ${token}` };
    visitor.phase = "waiting";
    this.adoptInterval(visitor, reply.body?.status);
    // The first heartbeat somewhere within one interval: a crowd entering together spreads out.
    this.schedule(visitor, this.random() * visitor.intervalMs);
    return true;
  }

  private schedule(visitor: CostVisitor, delayMs: number): void {
    if (this.stopped) return;
    visitor.timer = setTimeout(() => void this.act(visitor), delayMs);
  }

  private async act(visitor: CostVisitor): Promise<void> {
    visitor.timer = null;
    const now = Date.now();
    if (visitor.phase === "waiting" && this.random() < this.abandonPerHeartbeat(visitor)) {
      if (visitor.abandonByLeaving) return this.leave(visitor);
      visitor.phase = "silent";
      return;
    }
    if (visitor.phase === "admitted" && now >= visitor.sessionEndsAt) {
      if (visitor.leavesAfterSession) return this.leave(visitor);
      visitor.phase = "silent";
      return;
    }
    if (this.inWindow) this.windowHeartbeats++;
    const reply = await this.post(api("heartbeat"), visitor.headers);
    if (!reply) return this.schedule(visitor, visitor.intervalMs);
    const status = String(reply.status);
    this.heartbeatAnswers.set(status, (this.heartbeatAnswers.get(status) ?? 0) + 1);
    if (reply.status === 410) {
      this.expiredWhileHeartbeating++;
      visitor.phase = "expired";
      return;
    }
    if (reply.status === 200) {
      this.adoptInterval(visitor, reply.body);
      if (reply.body?.state === "admitted" && visitor.phase === "waiting") {
        visitor.phase = "admitted";
        visitor.sessionEndsAt = Date.now() + visitor.sessionMs;
      }
    }
    const untilSessionEnd = visitor.sessionEndsAt - Date.now();
    this.schedule(visitor, Math.max(0, Math.min(visitor.intervalMs, untilSessionEnd)));
  }

  private async leave(visitor: CostVisitor): Promise<void> {
    visitor.phase = "left";
    await this.post(api("leave"), visitor.headers);
  }

  /** The per-minute hazard of giving up, over one heartbeat interval. */
  private abandonPerHeartbeat(visitor: CostVisitor): number {
    return 1 - (1 - this.settings.abandonPerMinute) ** (visitor.intervalMs / 60_000);
  }

  private adoptInterval(visitor: CostVisitor, status: unknown): void {
    const interval = (status as { heartbeatIntervalMs?: unknown } | undefined)?.heartbeatIntervalMs;
    if (typeof interval === "number" && interval > 0) visitor.intervalMs = interval;
  }

  private async post(
    path: string,
    headers: Record<string, string>,
  ): Promise<{ status: number; body: Record<string, unknown> | null } | null> {
    this.inflight++;
    try {
      const res = await this.pool.request({ path, method: "POST", headers, headersTimeout: 30_000 });
      const text = await res.body.text();
      let body: Record<string, unknown> | null = null;
      try {
        body = text ? (JSON.parse(text) as Record<string, unknown>) : null;
      } catch {
        body = null;
      }
      return { status: res.statusCode, body };
    } catch {
      if (!this.stopped) this.transportErrors++;
      return null;
    } finally {
      this.inflight--;
    }
  }
}

type CostVisitor = {
  phase: Phase;
  headers: Record<string, string>;
  timer: NodeJS.Timeout | null;
  sessionMs: number;
  leavesAfterSession: boolean;
  abandonByLeaving: boolean;
  sessionEndsAt: number;
  intervalMs: number;
};

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
  if (!first || !last) return { arrivals: 0, admissions: 0, left: 0, expired: 0, evicted: 0, removals: 0 };
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
  };
}

type UnitCount = DynamoCounters["operations"][string];

/** window − idle × scale, per operation and per transaction shape, never below zero. */
export function subtractScaled(window: DynamoCounters, idle: DynamoCounters, scale: number): DynamoCounters {
  const minus = (a: Record<string, UnitCount>, b: Record<string, UnitCount>) =>
    Object.fromEntries(
      Object.entries(a).map(([key, count]) => {
        const base = b[key];
        if (!base) return [key, count];
        const less = (pick: (c: UnitCount) => number) => Math.max(0, pick(count) - pick(base) * scale);
        return [
          key,
          {
            requests: less((c) => c.requests),
            items: less((c) => c.items),
            writeUnits: less((c) => c.writeUnits),
            readUnits: less((c) => c.readUnits),
          },
        ];
      }),
    );
  const operations = minus(window.operations, idle.operations);
  const all = Object.values(operations);
  return {
    ...window,
    operations,
    transactionShapes: minus(window.transactionShapes, idle.transactionShapes),
    transactionItems: minus(window.transactionItems, idle.transactionItems),
    requests: all.reduce((sum, c) => sum + c.requests, 0),
    writeUnits: all.reduce((sum, c) => sum + c.writeUnits, 0),
    readUnits: all.reduce((sum, c) => sum + c.readUnits, 0),
  };
}

function totals(c: DynamoCounters): UnitTotals {
  return { requests: c.requests, writeUnits: c.writeUnits, readUnits: c.readUnits };
}

/**
 * Which work paid for what. Transactions by the kinds of their items: with a Put, arrivals
 * (the places written); with a Delete, removals (entry deleted, counters updated); with
 * Updates only, admissions (entries and counters). Plain UpdateItem: the arrivals' place
 * reservation (nextSeq); BatchGetItem: the removals' state reads. Anything else: other. A
 * ConditionCheck rides with the transaction it fences.
 */
export function attribute(c: DynamoCounters): CostReport["attribution"] {
  const groups: CostReport["attribution"] = {
    arrivals: { requests: 0, writeUnits: 0, readUnits: 0 },
    admissions: { requests: 0, writeUnits: 0, readUnits: 0 },
    removals: { requests: 0, writeUnits: 0, readUnits: 0 },
    other: { requests: 0, writeUnits: 0, readUnits: 0 },
  };
  const add = (group: keyof CostReport["attribution"], count: UnitCount) => {
    groups[group].requests += count.requests;
    groups[group].writeUnits += count.writeUnits;
    groups[group].readUnits += count.readUnits;
  };
  for (const [shape, count] of Object.entries(c.transactionShapes)) {
    const kinds = shape.split("+");
    add(
      kinds.includes("Put")
        ? "arrivals"
        : kinds.includes("Delete")
          ? "removals"
          : kinds.includes("Update")
            ? "admissions"
            : "other",
      count,
    );
  }
  for (const [operation, count] of Object.entries(c.operations)) {
    if (operation === "TransactWriteItems") continue;
    add(operation === "UpdateItem" ? "arrivals" : operation === "BatchGetItem" ? "removals" : "other", count);
  }
  return groups;
}

/** Items written: every transaction item and every plain write's items. */
function itemWrites(c: DynamoCounters): number {
  let items = 0;
  for (const [operation, count] of Object.entries(c.operations)) {
    if (["TransactWriteItems", "PutItem", "UpdateItem", "DeleteItem", "BatchWriteItem"].includes(operation)) {
      items += count.items;
    }
  }
  return items;
}
