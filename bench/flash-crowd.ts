import { monitorEventLoopDelay, performance } from "node:perf_hooks";
import { setTimeout as sleep } from "node:timers/promises";
import { Client, type Dispatcher, type Pool } from "undici";
import { startCpuWatch } from "@/bench/heartbeat";
import {
  createPool,
  Exchange,
  jsonObject,
  jwtPayload,
  LatencyRecorder,
  type LatencySummary,
  OutcomeCounter,
  type PoolSettings,
  postOptions,
} from "@/bench/load";
import { type ManagedProcess, startApp } from "@/bench/server-process";

// A flash crowd, open loop: simulated visitors arrive on a fixed schedule whatever the
// server's pace, each heartbeats at the room's interval, admitted ones browse for a short
// session, then most leave and some go silent. The bench checks the two invariants (never
// above capacity, first come first served) and measures latency, memory and how fast a
// silent visitor's slot is given to the next in line.

export type FlashSettings = {
  arrivals: number;
  arrivalWindowMs: number;
  /** From the first arrival until the generator stops sending. */
  runMs: number;
  capacity: number;
  heartbeatIntervalMs: number;
  heartbeatTimeoutMs: number;
  leaveGraceMs: number;
  tickMs: number;
  sessionMinMs: number;
  sessionMaxMs: number;
  /** Share of admitted visitors who stop heartbeating without leaving. */
  silentFraction: number;
  pool: PoolSettings;
  enterConnections: number;
  seed: number;
  metricsEveryMs: number;
};

type Phase = "pending" | "entering" | "waiting" | "admitted" | "left" | "silent" | "expired" | "rejected";
type Kind = "enter" | "heartbeat" | "leave";

const bucketMs = 5;
const enterOptions = postOptions("/api/queue/default/enter");

type MetricsSample = {
  atMs: number;
  active: number;
  waiting: number;
  maxActiveObserved: number;
  admittedTotal: number;
  expiredTotal: number;
  leftTotal: number;
};

export type FlashReport = {
  settings: FlashSettings;
  elapsedMs: number;
  arrivals: { scheduled: number; accepted: number; rejected: number; failed: number };
  admissions: { observedByVisitors: number; serverAdmittedTotal: number | null };
  capacity: {
    capacity: number;
    maxActiveObservedMetric: number | null;
    maxActiveSampled: number | null;
    samples: number;
    withinCapacity: boolean;
  };
  fifo: { admittedCompared: number; inversions: number; duplicateAdmissionNumbers: number };
  latency: Record<Kind | "all", LatencySummary>;
  requests: { total: number; perSecond: number; outcomes: Record<Kind, ReturnType<OutcomeCounter["toJSON"]>> };
  memory: { peakRssMb: number | null; hwmMb: number | null };
  refill: {
    silentVisitors: number;
    measured: number;
    p50Ms: number | null;
    maxMs: number | null;
    /** Share of metric samples with people waiting but a slot free (slot not yet refilled). */
    underfilledSampleShare: number | null;
    longestUnderfilledMs: number | null;
  };
  visitorsAtEnd: Record<Phase, number>;
  expiredWhileWaiting: number;
  expiredWhileAdmitted: number;
  abandonedAtEnd: Record<Kind, number>;
  /** GET /healthz on its own connection every sample: how long the server's event loop kept callers waiting. */
  serverResponsiveness: LatencySummary;
  /** Probes answered after more than 100 ms: [seconds into the run, ms]. */
  serverStalls: [number, number][];
  generator: {
    dispatchLagP99Ms: number;
    dispatchLagMaxMs: number;
    eventLoopDelayP99Ms: number;
    cpuPercent: number;
    maxQueuedRequests: number;
    keptUp: boolean;
  };
  serverCpuPercent: number | null;
  serverErrorLogLines: number;
};

export async function runFlashCrowd(settings: FlashSettings, log: (line: string) => void): Promise<FlashReport> {
  log(
    `app: capacity ${settings.capacity}, heartbeat every ${settings.heartbeatIntervalMs} ms, ` +
      `timeout ${settings.heartbeatTimeoutMs} ms, leave grace ${settings.leaveGraceMs} ms`,
  );
  const app = await startApp({
    capacity: settings.capacity,
    heartbeatIntervalMs: settings.heartbeatIntervalMs,
    heartbeatTimeoutMs: settings.heartbeatTimeoutMs,
    maxQueueLength: Math.max(settings.arrivals * 2, 100_000),
    leaveGraceMs: settings.leaveGraceMs,
    tickMs: settings.tickMs,
  });
  try {
    log(
      `flash crowd: ${settings.arrivals.toLocaleString("en-US")} arrivals over ${settings.arrivalWindowMs / 1000} s, ` +
        `run ${settings.runMs / 1000} s ...`,
    );
    const crowd = new Crowd(app, settings);
    const report = await crowd.run();
    return report;
  } finally {
    await app.stop();
  }
}

class Crowd {
  /** Heartbeats and leaves. */
  readonly pool: Pool;
  /**
   * Arrivals get their own connections: a browser does not wait behind a stranger's request,
   * so a backlog of slow enters must not hold up heartbeats in the generator.
   */
  readonly enterPool: Pool;
  readonly visitors: SimVisitor[] = [];
  readonly latency: Record<Kind, LatencyRecorder> = {
    enter: new LatencyRecorder(),
    heartbeat: new LatencyRecorder(),
    leave: new LatencyRecorder(),
  };
  readonly outcomes: Record<Kind, OutcomeCounter> = {
    enter: new OutcomeCounter(),
    heartbeat: new OutcomeCounter(),
    leave: new OutcomeCounter(),
  };
  readonly dispatchLag = new LatencyRecorder();
  private readonly buckets: (SimVisitor[] | undefined)[];
  private sweptBucket = -1;
  private t0 = 0;
  stopped = false;
  inflight = 0;
  expiredWhileWaiting = 0;
  expiredWhileAdmitted = 0;
  /** Requests still unanswered when the run ended (aborted after the drain). */
  readonly abandoned: Record<Kind, number> = { enter: 0, heartbeat: 0, leave: 0 };
  /** Most requests waiting in the generator for a free connection (the server had not answered). */
  maxQueuedInGenerator = 0;
  private readonly metrics: MetricsSample[] = [];
  private readonly probe = new LatencyRecorder();
  /** Probes slower than 100 ms: [seconds into the run, latency ms]. */
  private readonly stalls: [number, number][] = [];
  private peakRssMb: number | null = null;

  constructor(
    readonly app: ManagedProcess,
    readonly settings: FlashSettings,
  ) {
    this.pool = createPool(app.origin, settings.pool);
    this.enterPool = createPool(app.origin, { connections: settings.enterConnections, pipelining: 1 });
    this.buckets = new Array(Math.ceil(settings.runMs / bucketMs) + 2);
    const random = mulberry32(settings.seed);
    const { sessionMinMs, sessionMaxMs } = settings;
    for (let i = 0; i < settings.arrivals; i++) {
      const silent = random() < settings.silentFraction;
      const sessionMs = sessionMinMs + random() * (sessionMaxMs - sessionMinMs);
      const visitor = new SimVisitor(this, silent, sessionMs);
      this.visitors.push(visitor);
      // Uniform arrivals over the window.
      this.schedule(visitor, (i * settings.arrivalWindowMs) / settings.arrivals);
    }
  }

  /** Relative ms since the start of the run. */
  now(): number {
    return performance.now() - this.t0;
  }

  schedule(visitor: SimVisitor, atMs: number): void {
    if (atMs >= this.settings.runMs) return;
    const index = Math.max(Math.floor(atMs / bucketMs), this.sweptBucket + 1);
    visitor.dueAt = atMs;
    const bucket = this.buckets[index];
    if (bucket) bucket.push(visitor);
    else this.buckets[index] = [visitor];
  }

  async run(): Promise<FlashReport> {
    const loopDelay = monitorEventLoopDelay({ resolution: 10 });
    loopDelay.enable();
    const sampler = new MetricsSampler(this.app, this.settings.metricsEveryMs, this.metrics, this.probe, this.stalls);
    const cpu = startCpuWatch(this.app);
    const memoryTimer = setInterval(() => {
      this.noteMemory();
      const queued = this.pool.stats.queued + this.enterPool.stats.queued;
      if (queued > this.maxQueuedInGenerator) this.maxQueuedInGenerator = queued;
    }, 250);
    this.t0 = performance.now();
    const startEpochMs = Date.now();
    sampler.start();
    await new Promise<void>((resolve) => {
      const tick = () => {
        const nowMs = this.now();
        this.sweep(nowMs);
        if (nowMs >= this.settings.runMs) resolve();
        else setTimeout(tick, 1);
      };
      tick();
    });
    this.stopped = true;
    const runEndEpochMs = Date.now();
    // Let answers in flight arrive (bounded).
    const drainUntil = performance.now() + 10_000;
    while (this.inflight > 0 && performance.now() < drainUntil) await sleep(20);
    const elapsedMs = this.now();
    await sampler.stop();
    clearInterval(memoryTimer);
    this.noteMemory();
    loopDelay.disable();
    const cpuUse = cpu.stop(elapsedMs);
    const finalMemory = this.app.memory();
    await Promise.all([this.pool.destroy(), this.enterPool.destroy()]);
    await sleep(50);
    return this.report({
      elapsedMs,
      startEpochMs,
      runEndEpochMs,
      loopDelayP99Ms: loopDelay.percentile(99) / 1e6,
      generatorCpuPercent: cpuUse.generatorCpuPercent,
      serverCpuPercent: cpuUse.serverCpuPercent,
      hwmMb: finalMemory?.hwmMb ?? null,
    });
  }

  private sweep(nowMs: number): void {
    const until = Math.min(Math.floor(nowMs / bucketMs), this.buckets.length - 1);
    for (let b = this.sweptBucket + 1; b <= until; b++) {
      this.sweptBucket = b;
      const list = this.buckets[b];
      if (!list) continue;
      this.buckets[b] = undefined;
      for (const visitor of list) {
        this.dispatchLag.record(Math.max(0, nowMs - visitor.dueAt));
        visitor.act(nowMs);
      }
    }
  }

  private noteMemory(): void {
    const reading = this.app.memory();
    if (reading && (this.peakRssMb === null || reading.rssMb > this.peakRssMb)) this.peakRssMb = reading.rssMb;
  }

  private report(run: {
    elapsedMs: number;
    startEpochMs: number;
    runEndEpochMs: number;
    loopDelayP99Ms: number;
    generatorCpuPercent: number;
    serverCpuPercent: number | null;
    hwmMb: number | null;
  }): FlashReport {
    const { settings, visitors, metrics } = this;
    const phases: Record<Phase, number> = {
      pending: 0,
      entering: 0,
      waiting: 0,
      admitted: 0,
      left: 0,
      silent: 0,
      expired: 0,
      rejected: 0,
    };
    for (const v of visitors) phases[v.phase]++;
    const accepted = visitors.filter((v) => v.seq > 0).length;
    const enterOutcomes = this.outcomes.enter;
    const admitted = visitors.filter((v) => v.admissionNo >= 0).sort((a, b) => a.admissionNo - b.admissionNo);

    let duplicates = 0;
    for (let i = 1; i < admitted.length; i++) {
      if ((admitted[i] as SimVisitor).admissionNo === (admitted[i - 1] as SimVisitor).admissionNo) duplicates++;
    }
    const inversions = countInversions(Float64Array.from(admitted, (v) => v.seq));

    const lastSample = metrics[metrics.length - 1];
    const maxSampled = metrics.length ? Math.max(...metrics.map((m) => m.active)) : null;
    const maxMetric = lastSample ? Math.max(...metrics.map((m) => m.maxActiveObserved)) : null;
    const withinCapacity = (maxSampled ?? 0) <= settings.capacity && (maxMetric ?? 0) <= settings.capacity;

    const all = LatencyRecorder.merged(Object.values(this.latency));
    const lag = this.dispatchLag.summary();
    const totalRequests = all.count;

    return {
      settings,
      elapsedMs: run.elapsedMs,
      arrivals: {
        scheduled: settings.arrivals,
        accepted,
        rejected: enterOutcomes.count((code) => code >= 400),
        failed: enterOutcomes.transportErrors,
      },
      admissions: { observedByVisitors: admitted.length, serverAdmittedTotal: lastSample?.admittedTotal ?? null },
      capacity: {
        capacity: settings.capacity,
        maxActiveObservedMetric: maxMetric,
        maxActiveSampled: maxSampled,
        samples: metrics.length,
        withinCapacity,
      },
      fifo: { admittedCompared: admitted.length, inversions, duplicateAdmissionNumbers: duplicates },
      latency: {
        enter: this.latency.enter.summary(),
        heartbeat: this.latency.heartbeat.summary(),
        leave: this.latency.leave.summary(),
        all: all.summary(),
      },
      requests: {
        total: totalRequests,
        perSecond: (totalRequests / run.elapsedMs) * 1000,
        outcomes: {
          enter: this.outcomes.enter.toJSON(),
          heartbeat: this.outcomes.heartbeat.toJSON(),
          leave: this.outcomes.leave.toJSON(),
        },
      },
      memory: { peakRssMb: this.peakRssMb, hwmMb: run.hwmMb },
      refill: this.refillDelays(admitted, run.runEndEpochMs),
      visitorsAtEnd: phases,
      expiredWhileWaiting: this.expiredWhileWaiting,
      expiredWhileAdmitted: this.expiredWhileAdmitted,
      abandonedAtEnd: this.abandoned,
      serverResponsiveness: this.probe.summary(),
      serverStalls: this.stalls,
      generator: {
        dispatchLagP99Ms: lag.p99Ms,
        dispatchLagMaxMs: lag.maxMs,
        eventLoopDelayP99Ms: run.loopDelayP99Ms,
        cpuPercent: run.generatorCpuPercent,
        maxQueuedRequests: this.maxQueuedInGenerator,
        // The schedule was met: requests left on time. (A queue of unanswered requests is
        // the server's slowness, reported separately.)
        keptUp: lag.p99Ms < 50 && run.loopDelayP99Ms < 50,
      },
      serverCpuPercent: run.serverCpuPercent,
      serverErrorLogLines: this.app.errorLines,
    };
  }

  /**
   * For each silent admitted visitor, its slot frees at (last heartbeat sent + timeout); the
   * delay is from then to the next admission any visitor observed (admittedAt, epoch ms).
   * Only slots freed early enough that the next admission would still have been observed
   * (one heartbeat interval before the end) are counted.
   */
  private refillDelays(admittedByNo: SimVisitor[], runEndEpochMs: number): FlashReport["refill"] {
    const { settings, metrics } = this;
    const admittedAts = Float64Array.from(admittedByNo, (v) => v.admittedAtEpochMs).sort();
    const observableUntil = runEndEpochMs - settings.heartbeatIntervalMs - 1_000;
    const silent = this.visitors.filter((v) => v.phase === "silent");
    const delays: number[] = [];
    for (const v of silent) {
      const freedAt = v.lastHeartbeatSentEpochMs + settings.heartbeatTimeoutMs;
      if (freedAt > observableUntil) continue;
      const next = admittedAts[lowerBound(admittedAts, freedAt)];
      if (next !== undefined) delays.push(next - freedAt);
    }
    delays.sort((a, b) => a - b);

    // Underfill: people waiting while a slot is free, between two metric samples.
    let underfilled = 0;
    let considered = 0;
    let longest = 0;
    let streakStart: number | null = null;
    for (const m of metrics) {
      if (m.waiting === 0) {
        streakStart = null;
        continue;
      }
      considered++;
      if (m.active < settings.capacity) {
        underfilled++;
        streakStart ??= m.atMs;
        longest = Math.max(longest, m.atMs - streakStart);
      } else {
        streakStart = null;
      }
    }
    return {
      silentVisitors: silent.length,
      measured: delays.length,
      p50Ms: delays.length ? (delays[Math.ceil(delays.length / 2) - 1] as number) : null,
      maxMs: delays.length ? (delays[delays.length - 1] as number) : null,
      underfilledSampleShare: considered ? underfilled / considered : null,
      longestUnderfilledMs: considered ? longest : null,
    };
  }
}

/** One simulated visitor; also the handler of its own (at most one) request in flight. */
class SimVisitor extends Exchange {
  phase: Phase = "pending";
  private kind: Kind = "enter";
  dueAt = 0;
  seq = 0;
  admissionNo = -1;
  admittedAtEpochMs = 0;
  lastHeartbeatSentEpochMs = 0;
  private sentEpochMs = 0;
  private sessionEndsAt = 0;
  private intervalMs: number;
  private heartbeatOptions: Dispatcher.DispatchOptions | null = null;

  constructor(
    private readonly crowd: Crowd,
    private readonly silent: boolean,
    private readonly sessionMs: number,
  ) {
    super(true);
    this.intervalMs = crowd.settings.heartbeatIntervalMs;
  }

  /** Its scheduled moment has come: arrive, heartbeat, or end the session. */
  act(nowMs: number): void {
    switch (this.phase) {
      case "pending":
        this.phase = "entering";
        this.request("enter", enterOptions, this.crowd.enterPool);
        return;
      case "waiting":
        this.request("heartbeat", this.heartbeatOptions as Dispatcher.DispatchOptions);
        return;
      case "admitted":
        if (nowMs < this.sessionEndsAt) {
          this.request("heartbeat", this.heartbeatOptions as Dispatcher.DispatchOptions);
        } else if (this.silent) {
          this.phase = "silent";
        } else {
          const headers = (this.heartbeatOptions as Dispatcher.DispatchOptions).headers as Record<string, string>;
          this.request("leave", postOptions("/api/queue/default/leave", headers));
        }
        return;
      default:
        return;
    }
  }

  private request(kind: Kind, options: Dispatcher.DispatchOptions, dispatcher = this.crowd.pool): void {
    this.kind = kind;
    this.crowd.inflight++;
    this.sentEpochMs = Date.now();
    this.send(dispatcher, options);
  }

  protected completed(statusCode: number, latencyMs: number, body: Buffer | null): void {
    const crowd = this.crowd;
    crowd.inflight--;
    crowd.latency[this.kind].record(latencyMs);
    crowd.outcomes[this.kind].status(statusCode);
    const nowMs = crowd.now();
    switch (this.kind) {
      case "enter":
        this.entered(statusCode, body, nowMs);
        return;
      case "heartbeat":
        this.heartbeatAnswered(statusCode, body, nowMs);
        return;
      case "leave":
        this.phase = "left";
        return;
    }
  }

  protected failed(error: Error, latencyMs: number): void {
    const crowd = this.crowd;
    crowd.inflight--;
    if (crowd.stopped) {
      crowd.abandoned[this.kind]++;
      return;
    }
    crowd.latency[this.kind].record(latencyMs);
    crowd.outcomes[this.kind].transport(error);
    if (this.kind === "enter") this.phase = "rejected";
    else if (this.kind === "heartbeat") crowd.schedule(this, crowd.now() + this.intervalMs);
  }

  private entered(statusCode: number, body: Buffer | null, nowMs: number): void {
    const reply = jsonObject(body);
    const token = reply?.token;
    const seq = typeof token === "string" ? jwtPayload(token)?.seq : undefined;
    if ((statusCode !== 201 && statusCode !== 200) || typeof token !== "string" || typeof seq !== "number") {
      this.phase = "rejected";
      return;
    }
    this.seq = seq;
    this.heartbeatOptions = postOptions("/api/queue/default/heartbeat", { authorization: `Bearer ${token}` });
    this.phase = "waiting";
    this.adoptInterval(reply?.status);
    this.crowd.schedule(this, nowMs + this.intervalMs);
  }

  private heartbeatAnswered(statusCode: number, body: Buffer | null, nowMs: number): void {
    const crowd = this.crowd;
    if (statusCode === 410) {
      if (this.phase === "admitted") crowd.expiredWhileAdmitted++;
      else crowd.expiredWhileWaiting++;
      this.phase = "expired";
      return;
    }
    if (statusCode !== 200) {
      crowd.schedule(this, nowMs + this.intervalMs);
      return;
    }
    const status = jsonObject(body);
    this.adoptInterval(status);
    if (status?.state === "admitted") {
      this.lastHeartbeatSentEpochMs = this.sentEpochMs;
      if (this.phase !== "admitted") this.admit(status, nowMs);
      crowd.schedule(this, Math.min(nowMs + this.intervalMs, this.sessionEndsAt));
      return;
    }
    crowd.schedule(this, nowMs + this.intervalMs);
  }

  private admit(status: Record<string, unknown>, nowMs: number): void {
    this.phase = "admitted";
    this.sessionEndsAt = nowMs + this.sessionMs;
    const admittedAt = status.admittedAt;
    this.admittedAtEpochMs = typeof admittedAt === "number" ? admittedAt : this.sentEpochMs;
    const admissionToken = status.admissionToken;
    const adm = typeof admissionToken === "string" ? jwtPayload(admissionToken)?.adm : undefined;
    this.admissionNo = typeof adm === "number" ? adm : -1;
  }

  private adoptInterval(status: unknown): void {
    if (typeof status !== "object" || status === null) return;
    const interval = (status as Record<string, unknown>).heartbeatIntervalMs;
    if (typeof interval === "number" && interval > 0) this.intervalMs = interval;
  }
}

/** Scrapes /metrics on its own connection, never overlapping, every `everyMs`. */
class MetricsSampler {
  private readonly client: Client;
  private timer: NodeJS.Timeout | null = null;
  private busy = false;
  private readonly t0 = performance.now();

  private readonly probeClient: Client;
  private probing = false;

  constructor(
    app: ManagedProcess,
    private readonly everyMs: number,
    private readonly samples: MetricsSample[],
    private readonly probeLatency: LatencyRecorder,
    private readonly stalls: [number, number][],
  ) {
    this.client = new Client(app.origin, { keepAliveTimeout: 60_000 });
    this.probeClient = new Client(app.origin, { keepAliveTimeout: 60_000 });
  }

  start(): void {
    this.timer = setInterval(() => {
      void this.scrape();
      void this.probe();
    }, this.everyMs);
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    while (this.busy || this.probing) await sleep(10);
    await this.scrape();
    await Promise.all([this.client.close(), this.probeClient.close()]);
  }

  /** /healthz is answered synchronously by the gate: its latency is the server's event-loop delay. */
  private async probe(): Promise<void> {
    if (this.probing) return;
    this.probing = true;
    const sentAt = performance.now();
    try {
      const res = await this.probeClient.request({ path: "/healthz", method: "GET", headersTimeout: 30_000 });
      await res.body.dump();
      const latencyMs = performance.now() - sentAt;
      this.probeLatency.record(latencyMs);
      if (latencyMs > 100) this.stalls.push([Math.round((sentAt - this.t0) / 100) / 10, Math.round(latencyMs)]);
    } catch {
      // Counted as missing; the next probe follows.
    } finally {
      this.probing = false;
    }
  }

  private async scrape(): Promise<void> {
    if (this.busy) return;
    this.busy = true;
    try {
      const res = await this.client.request({ path: "/metrics", method: "GET", headersTimeout: 5_000 });
      const text = await res.body.text();
      if (res.statusCode !== 200) return;
      const value = (name: string) => {
        const match = new RegExp(`^${name}\\{room="default"\\} (\\S+)$`, "m").exec(text);
        return match ? Number(match[1]) : Number.NaN;
      };
      this.samples.push({
        atMs: performance.now() - this.t0,
        active: value("floodgate_room_active"),
        waiting: value("floodgate_room_waiting"),
        maxActiveObserved: value("floodgate_room_max_active_observed"),
        admittedTotal: value("floodgate_room_admitted_total"),
        expiredTotal: value("floodgate_room_expired_total"),
        leftTotal: value("floodgate_room_left_total"),
      });
    } catch {
      // A missed sample; the next one follows.
    } finally {
      this.busy = false;
    }
  }
}

/** Pairs (i < j) with values[i] > values[j], by merge sort: O(n log n). */
export function countInversions(values: Float64Array): number {
  const n = values.length;
  let source = Float64Array.from(values);
  let target = new Float64Array(n);
  let inversions = 0;
  for (let width = 1; width < n; width *= 2) {
    for (let lo = 0; lo < n; lo += 2 * width) {
      const mid = Math.min(lo + width, n);
      const hi = Math.min(lo + 2 * width, n);
      let i = lo;
      let j = mid;
      let k = lo;
      while (i < mid && j < hi) {
        if ((source[i] as number) <= (source[j] as number)) target[k++] = source[i++] as number;
        else {
          inversions += mid - i;
          target[k++] = source[j++] as number;
        }
      }
      while (i < mid) target[k++] = source[i++] as number;
      while (j < hi) target[k++] = source[j++] as number;
    }
    [source, target] = [target, source];
  }
  return inversions;
}

function lowerBound(sorted: Float64Array, value: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((sorted[mid] as number) < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Small seeded PRNG, so that two runs draw the same sessions and silent visitors. */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
