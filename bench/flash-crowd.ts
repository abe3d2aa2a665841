import { monitorEventLoopDelay, performance } from "node:perf_hooks";
import { setTimeout as sleep } from "node:timers/promises";
import { Client, Pool } from "undici";
import type { FlashReport, FlashSettings, WarmUp } from "@/bench/flash-types";
import { verifyWithJwks } from "@/bench/jwks-verifier";
import { createPool, jsonObject, LatencyRecorder, OutcomeCounter } from "@/bench/load";
import { checkArrivalOrder, countInversions } from "@/bench/ordering";
import { jwksOverlap } from "@/bench/origin-census";
import { type FreedSlot, measureRefill } from "@/bench/refill";
import { type ManagedProcess, startApp, startCpuWatch } from "@/bench/server-process";
import { type MetricsSample, MetricsSampler } from "@/bench/server-sampler";
import { type CrowdContext, type RequestKind, SimVisitor, type VisitorPhase } from "@/bench/sim-visitor";

type Phase = VisitorPhase;
type Kind = RequestKind;

const bucketMs = 5;

import { mulberry32 } from "@/server/testing/seeded-random";

// A flash crowd, open loop: simulated visitors arrive on a fixed schedule whatever the
// server's pace, each heartbeats at the room's interval, admitted ones browse for a short
// session, then most leave and some go silent. The bench checks the two invariants (never
// above capacity, first come first served) and measures latency, memory and how fast a
// silent visitor's slot is given to the next in line.

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
    profileDir: settings.profileDir,
  });
  try {
    log(
      `flash crowd: ${settings.arrivals.toLocaleString("en-US")} arrivals over ${settings.arrivalWindowMs / 1000} s, ` +
        `run ${settings.runMs / 1000} s ...`,
    );
    const warmUp = await warmUpServer(app, settings, log);
    const crowd = new Crowd(app, settings);
    const report = await crowd.run();
    return { ...report, warmUp };
  } finally {
    await app.stop();
  }
}

/**
 * The first requests of a fresh process pay one-off costs (lazy module loading, the first
 * query of each shape): measured here and reported apart, so the crowd meets a warm server.
 * The warm-up visitors leave at once and the bench waits out the leave grace, so the crowd
 * finds an empty room.
 */
async function warmUpServer(
  app: ManagedProcess,
  settings: FlashSettings,
  log: (line: string) => void,
): Promise<WarmUp> {
  const visitors = 20;
  const client = new Client(app.origin, { keepAliveTimeout: 60_000 });
  let slowestMs = 0;
  let requests = 0;
  const timed = async (path: string, headers: Record<string, string>) => {
    const sentAt = performance.now();
    const res = await client.request({ path, method: "POST", headers, headersTimeout: 30_000 });
    const body = Buffer.from(await res.body.arrayBuffer());
    slowestMs = Math.max(slowestMs, performance.now() - sentAt);
    requests++;
    return body;
  };
  try {
    for (let i = 0; i < visitors; i++) {
      const token = jsonObject(await timed("/api/queue/default/enter", {}))?.token;
      if (typeof token !== "string") continue;
      const auth = { authorization: `Bearer ${token}` };
      await sleep(settings.tickMs * 2);
      await timed("/api/queue/default/heartbeat", auth);
      await timed("/api/queue/default/leave", auth);
    }
  } finally {
    await client.close();
  }
  await sleep(settings.leaveGraceMs + settings.tickMs * 5);
  log(`  warm-up: ${visitors} visitors entered, heartbeated and left; slowest request ${slowestMs.toFixed(0)} ms`);
  return { visitors, slowestMs, requests };
}

class Crowd implements CrowdContext {
  /** Heartbeats and leaves. */
  readonly pool: Pool;
  /**
   * Arrivals get their own connections: a browser does not wait behind a stranger's request,
   * so a backlog of slow enters must not hold up heartbeats in the generator.
   */
  readonly enterPool: Pool;
  /** Held heartbeats: a connection each, as many as are held at once. */
  readonly holdPool: Pool;
  heldRequests = 0;
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
  readonly expiryCheckAfterMs: number;
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
  otherCpuPercent: number | null = null;

  constructor(
    readonly app: ManagedProcess,
    readonly settings: FlashSettings,
  ) {
    this.expiryCheckAfterMs = settings.expiryCheckAfterMs;
    this.pool = createPool(app.origin, settings.pool);
    this.enterPool = createPool(app.origin, { connections: settings.enterConnections, pipelining: 1 });
    this.holdPool = new Pool(app.origin, {
      connections: null,
      pipelining: 1,
      keepAliveTimeout: 60_000,
      headersTimeout: 30_000,
      bodyTimeout: 30_000,
    });
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
    // A moment already past (a late answer) is due now: lag counts the generator's delay only.
    visitor.dueAt = this.t0 === 0 ? atMs : Math.max(atMs, this.now());
    const bucket = this.buckets[index];
    if (bucket) bucket.push(visitor);
    else this.buckets[index] = [visitor];
  }

  async run(): Promise<FlashReport> {
    const loopDelay = monitorEventLoopDelay({ resolution: 10 });
    loopDelay.enable();
    const sampler = new MetricsSampler(this.app, this.settings.metricsEveryMs, this.metrics, this.probe, this.stalls);
    const cpu = startCpuWatch(this.app);
    await sampler.connect();
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
    this.otherCpuPercent = cpuUse.otherCpuPercent;
    const finalMemory = this.app.memory();
    await Promise.all([this.pool.destroy(), this.enterPool.destroy(), this.holdPool.destroy()]);
    const held = this.visitors.flatMap((v) => (v.lastAdmissionToken ? [v.lastAdmissionToken] : []));
    const jwksVerdicts = await verifyWithJwks(this.app.origin, held, "default");
    await sleep(50);
    return this.report({
      jwksVerdicts,
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
    jwksVerdicts: { verified: number; refused: number };
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
    const silentVisitors = visitors.filter((v) => v.silent && v.lastHeartbeatAnsweredEpochMs > 0 && v.sessionOver);
    const count = (check: SimVisitor["expiryCheck"]) => silentVisitors.filter((v) => v.expiryCheck === check).length;
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
      admissionSeen: this.admissionSeen(admitted),
      capacity: {
        capacity: settings.capacity,
        maxActiveObservedMetric: maxMetric,
        maxActiveSampled: maxSampled,
        samples: metrics.length,
        withinCapacity,
      },
      fifo: {
        admittedCompared: admitted.length,
        inversions,
        duplicateAdmissionNumbers: duplicates,
        arrivalOrder: checkArrivalOrder(
          admitted.map((v) => ({
            sentAtMs: v.enterSentEpochMs,
            answeredAtMs: v.enterAnsweredEpochMs,
            admissionNo: v.admissionNo,
          })),
        ),
      },
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
      memory: { peakRssMb: this.peakRssMb, hwmMb: run.hwmMb, peakHeapUsedMb: peakHeapUsedMb(metrics) },
      refill: this.refill(admitted, run.runEndEpochMs),
      expiry: {
        silentVisitors: silentVisitors.length,
        confirmedExpired: count("expired"),
        notExpired: count("not-expired"),
        unchecked: count("unchecked") + count("failed"),
        serverExpiredTotal: lastSample?.expiredTotal ?? null,
      },
      jwks: {
        ...jwksOverlap(admitted.map((v) => v.heldAdmission(settings))),
        tokenLifetimeMs: settings.heartbeatTimeoutMs,
        ...run.jwksVerdicts,
      },
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
      otherCpuPercent: this.otherCpuPercent,
      serverErrorLogLines: this.app.errorLines,
      serverLogTail: this.app.recentLog().split("\n").filter(Boolean),
    };
  }

  /** Admission -> page for every admitted visitor who saw its admission (bench/flash-types.ts). */
  private admissionSeen(admitted: SimVisitor[]): NonNullable<FlashReport["admissionSeen"]> {
    const latency = new LatencyRecorder();
    let seen = 0;
    let viaHeld = 0;
    for (const v of admitted) {
      if (v.admissionSeenEpochMs === 0) continue;
      seen++;
      if (v.admissionSeenHeld) viaHeld++;
      latency.record(Math.max(0, v.admissionSeenEpochMs - v.admittedAtEpochMs));
    }
    return {
      seen,
      viaHeld,
      heldRequests: this.heldRequests,
      latency: latency.summary(),
    };
  }

  /**
   * Each freed slot tied to the admission that filled it (bench/refill.ts). A slot frees at
   * the latest at: leave answered + leave grace, or the last heartbeat answered + timeout
   * (silent visitors, and admitted ones whose heartbeats came too late).
   */
  private refill(admittedByNo: SimVisitor[], runEndEpochMs: number): FlashReport["refill"] {
    const { settings, metrics } = this;
    const frees: FreedSlot[] = [];
    for (const v of admittedByNo) {
      if (v.leaveAnsweredEpochMs > 0)
        frees.push({ atMs: v.leaveAnsweredEpochMs + settings.leaveGraceMs, kind: "left" });
      else if (v.sessionOver || v.phase === "expired") {
        frees.push({ atMs: v.lastHeartbeatAnsweredEpochMs + settings.heartbeatTimeoutMs, kind: "silent" });
      }
    }
    const waitingSpans: [number, number][] = [];
    for (const v of this.visitors) {
      if (v.enterAnsweredEpochMs === 0 || v.seq === 0) continue;
      const leftLine = v.admittedAtEpochMs || v.expiredWhileWaitingAtEpochMs || Number.POSITIVE_INFINITY;
      waitingSpans.push([v.enterAnsweredEpochMs, leftLine]);
    }
    const report = measureRefill({
      capacity: settings.capacity,
      frees,
      admittedAtMs: admittedByNo.map((v) => v.admittedAtEpochMs),
      waitingSpans,
      // A slot filled after this may not have been seen by its visitor before the end.
      observableUntilMs: runEndEpochMs - settings.heartbeatIntervalMs - 1_000,
      goalMs: settings.refillGoalMs,
    });

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
      ...report,
      underfilledSampleShare: considered ? underfilled / considered : null,
      longestUnderfilledMs: considered ? longest : null,
    };
  }
}

function peakHeapUsedMb(samples: MetricsSample[]): number | null {
  const known = samples.map((m) => m.heapUsedBytes).filter((b) => Number.isFinite(b));
  return known.length ? Math.max(...known) / 1048576 : null;
}
