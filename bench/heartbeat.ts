import type { Dispatcher } from "undici";
import { type BenchDynamo, cpuMeter, type DynamoPhase, dynamoPhase, waitForQuietStore } from "@/bench/dynamo";
import { type EnterFloorRun, runEnterFloor } from "@/bench/enter-floor";
import { type EnterPowRun, runEnterPow } from "@/bench/enter-pow";
import {
  type LiveCounts,
  type LiveRoomSettings,
  LiveRotation,
  openRoom,
  type RoomCounters,
  roomCounters,
} from "@/bench/live-room";
import {
  type ClosedLoopResult,
  createPool,
  jsonObject,
  type PoolSettings,
  postOptions,
  runClosedLoop,
} from "@/bench/load";
import { benchAdminEnv } from "@/bench/memory";
import { allowedCpus, type PinPlan, pinSelf, planPinning } from "@/bench/pinning";
import {
  type ManagedProcess,
  type MemoryReading,
  type PhaseCpu,
  startApp,
  startBareServer,
  startCpuWatch,
} from "@/bench/server-process";

// The heartbeat hot path against a bare node:http server, with the same generator, the same
// concurrency and requests of the same size, the server on one core and the generator on
// another (taskset; bench/pinning.ts). 100k visitors enter a paused room (capacity 0: the enter
// figures are arrivals only); then the room is opened through the admin API and runs live
// while heartbeats are measured: it admits a few % of the line, admitted visitors leave or go
// silent and are expired, some of the waiting give up (bench/live-room.ts). The window's
// admissions and expiries are read from /metrics and reported, so a paused room shows.

export type HeartbeatSettings = {
  visitors: number;
  enterInflight: number;
  pool: PoolSettings;
  inflight: number;
  heartbeatDurationMs: number;
  baselineDurationMs: number;
  warmupMs: number;
  heartbeatTimeoutMs: number;
  profileDir: string | undefined;
  /** The room while heartbeats are measured. */
  live: LiveRoomSettings;
  /** Server and generator on separate cores with taskset (reported when not possible). */
  pin: boolean;
};

/** What the live room did: before the window (warm-up) and in it. */
export type LiveReport = {
  capacity: number;
  /** The live timeout: the setting, or 2.5 paused rounds if longer. */
  timeoutMs: number;
  /** The one heartbeat round over everyone before the room opened. */
  firstRoundMs: number;
  /** Unmeasured live run before the window: at least one heartbeat timeout, so expiries are steady. */
  warmupMs: number;
  warmup: LiveCounts;
  window: LiveCounts;
  countersBefore: RoomCounters | null;
  countersAfter: RoomCounters | null;
  /** From the server's counters over the window. */
  admissions: number | null;
  expiries: number | null;
  leaves: number | null;
  /** Visitors still heartbeating at the end, and how often each was heartbeated (s). */
  heartbeatingAtEnd: number;
  roundSeconds: number | null;
};

export type Pinning = {
  plan: PinPlan;
  /** CPUs each process was allowed, read back from /proc (Cpus_allowed_list). */
  observed: { generator: string | null; bareBefore: string | null; app: string | null; bareAfter: string | null };
};

export type BaselineRun = ClosedLoopResult & PhaseCpu & { cpus: string | null };

export type HeartbeatReport = {
  settings: HeartbeatSettings;
  baseline: { before: BaselineRun; after: BaselineRun; requestsPerSecond: number };
  enter: ClosedLoopResult & PhaseCpu & { accepted: number };
  /** SQLite: the least a durable arrival costs here (bench/enter-floor-server.ts); null on DynamoDB. */
  enterFloor: EnterFloorRun | null;
  /** SQLite: enter with the proof-of-work challenge on, beside plain enters on the same app (bench/enter-pow.ts). */
  enterPow: EnterPowRun | null;
  /** The app idle, before anyone entered (Next.js and the engine loaded). */
  memoryAtStart: MemoryReading | null;
  memoryAfterEnter: MemoryReading | null;
  heartbeat: ClosedLoopResult & PhaseCpu & { sampledStates: Record<string, number> };
  live: LiveReport;
  pinning: Pinning;
  memoryAfterHeartbeat: MemoryReading | null;
  /** Requests (heartbeats and the leaves of the live room) per second ÷ bare req/s (mean of the runs before and after). */
  ratio: number;
  serverErrorLogLines: number;
  serverLogTail: string[];
  /** DynamoDB mode: what the enter and heartbeat runs cost, and dynalite's CPU meanwhile. */
  dynamo: {
    enter: DynamoPhase;
    heartbeat: DynamoPhase;
    enterCpuPercent: number | null;
    heartbeatCpuPercent: number | null;
  } | null;
};

const heartbeatPath = "/api/queue/default/heartbeat";

export async function runHeartbeatBench(
  settings: HeartbeatSettings,
  log: (line: string) => void,
  /** DynamoDB mode: the app keeps queue state on this dynalite, which counts every request. */
  dynamo: BenchDynamo | null = null,
): Promise<HeartbeatReport> {
  let plan = planPinning(settings.pin);
  let unpin = () => {};
  if (plan.pinned) {
    try {
      unpin = pinSelf(plan.generatorCpus);
    } catch (error) {
      plan = { pinned: false, reason: `taskset failed: ${error instanceof Error ? error.message : error}` };
    }
  }
  log(
    plan.pinned
      ? `pinning: server on CPU ${plan.serverCpus}, generator on CPU ${plan.generatorCpus} (taskset)`
      : `pinning: NOT pinned (${plan.reason}); server and generator share the cores`,
  );
  try {
    return await runPinned(settings, log, dynamo, plan);
  } finally {
    unpin();
  }
}

async function runPinned(
  settings: HeartbeatSettings,
  log: (line: string) => void,
  dynamo: BenchDynamo | null,
  plan: PinPlan,
): Promise<HeartbeatReport> {
  const serverCpus = plan.pinned ? plan.serverCpus : undefined;
  const generatorCpus = allowedCpus();
  // Bare requests carry an Authorization header as long as a real queue token's.
  const sampleAuth = { authorization: `Bearer ${"x".repeat(40)}.${"y".repeat(110)}.${"z".repeat(43)}` };
  const bareOptions = postOptions(heartbeatPath, sampleAuth);

  log("baseline (before): bare node:http server ...");
  const before = await runBaseline(settings, bareOptions, serverCpus);
  log(`  ${before.requestsPerSecond.toFixed(0)} req/s, p99 ${before.latency.p99Ms.toFixed(2)} ms`);

  let enterFloor: EnterFloorRun | null = null;
  if (!dynamo) {
    log("enter floor: the least a durable arrival costs (node:http, HMAC, SQLite group commit, fdatasync) ...");
    enterFloor = await runEnterFloor(settings, serverCpus);
    log(
      `  ${enterFloor.accepted} accepted at ${enterFloor.requestsPerSecond.toFixed(0)} req/s, p99 ${enterFloor.latency.p99Ms.toFixed(2)} ms`,
    );
  }

  log(`app: entering ${settings.visitors.toLocaleString("en-US")} visitors (room paused: capacity 0) ...`);
  const app = await startApp({
    capacity: 0,
    heartbeatIntervalMs: 60_000,
    heartbeatTimeoutMs: settings.heartbeatTimeoutMs,
    maxQueueLength: Math.max(settings.visitors * 2, 100_000),
    leaveGraceMs: 2_500,
    tickMs: 100,
    profileDir: settings.profileDir,
    store: dynamo ? dynamo.freshStore("heartbeat") : { kind: "sqlite" },
    env: benchAdminEnv,
    cpus: serverCpus,
  });
  try {
    const appCpus = allowedCpus(app.pid());
    const memoryAtStart = app.memory();
    const dynamoCpu = dynamo ? cpuMeter(() => dynamo.cpuSeconds()) : null;
    await dynamo?.reset();
    const pool = createPool(app.origin, { connections: settings.pool.connections, pipelining: 1 });
    const tokens: (string | undefined)[] = new Array(settings.visitors);
    const enterOptions = postOptions("/api/queue/default/enter");
    const enterCpu = startCpuWatch(app);
    const enter = await runClosedLoop({
      dispatcher: pool,
      inflight: settings.enterInflight,
      // Bounded: on a slow or busy box the test goes on with whoever got in by then.
      durationMs: 200_000,
      maxRequests: settings.visitors,
      requestFor: () => enterOptions,
      keepBody: true,
      onReply: (n, statusCode, body) => {
        if (statusCode !== 201) return;
        const token = jsonObject(body)?.token;
        if (typeof token === "string") tokens[n] = token;
      },
    });
    const enterCpuUse = enterCpu.stop(enter.elapsedMs);
    await pool.close();
    // Arrivals the server had not written yet when the loop ended land in the enter figures.
    if (dynamo) await waitForQuietStore(dynamo);
    const dynamoEnter = dynamo ? dynamoPhase(await dynamo.reset()) : null;
    const dynamoEnterCpu = dynamoCpu?.lap() ?? null;
    const memoryAfterEnter = app.memory();
    const heartbeatOptions: Dispatcher.DispatchOptions[] = [];
    for (const token of tokens) {
      if (token) heartbeatOptions.push(postOptions(heartbeatPath, { authorization: `Bearer ${token}` }));
    }
    log(
      `  ${heartbeatOptions.length} accepted at ${enter.requestsPerSecond.toFixed(0)} req/s; ` +
        `server RSS ${memoryAfterEnter?.rssMb.toFixed(0) ?? "?"} MB`,
    );
    if (heartbeatOptions.length === 0) throw new Error(`no visitor could enter:\n${app.recentLog()}`);

    const { heartbeat, live: liveReport } = await runHeartbeats(app, settings, heartbeatOptions, dynamo, log);
    const dynamoHeartbeat = dynamo ? dynamoPhase(await dynamo.counters()) : null;
    const dynamoHeartbeatCpu = dynamoCpu?.lap() ?? null;
    const memoryAfterHeartbeat = app.memory();
    log(
      `  ${heartbeat.requestsPerSecond.toFixed(0)} req/s, p99 ${heartbeat.latency.p99Ms.toFixed(2)} ms; in the window ` +
        `${liveReport.admissions ?? "?"} admissions, ${liveReport.expiries ?? "?"} expiries, ${liveReport.leaves ?? "?"} leaves`,
    );
    let enterPow: EnterPowRun | null = null;
    if (!dynamo) {
      const arrivals = Math.min(20_000, settings.visitors);
      log(`enter with proof of work: ${arrivals.toLocaleString("en-US")} plain enters, then as many challenged ...`);
      enterPow = await runEnterPow(app, {
        arrivals,
        inflight: settings.enterInflight,
        connections: settings.pool.connections,
        heartbeatTimeoutMs: settings.heartbeatTimeoutMs,
      });
      log(
        `  plain ${enterPow.plain.requestsPerSecond.toFixed(0)} req/s; challenge issued ${enterPow.challenge.requestsPerSecond.toFixed(0)} req/s; ` +
          `solved (${(enterPow.solveMs / 1000).toFixed(1)} s in the generator) then entered ${enterPow.enter.accepted} at ` +
          `${enterPow.enter.requestsPerSecond.toFixed(0)} req/s, p99 ${enterPow.enter.latency.p99Ms.toFixed(2)} ms`,
      );
    }
    const serverErrorLogLines = app.errorLines;
    const serverLogTail = app.recentLog().split("\n").filter(Boolean);
    await app.stop();

    log("baseline (after): bare node:http server ...");
    const after = await runBaseline(settings, bareOptions, serverCpus);
    log(`  ${after.requestsPerSecond.toFixed(0)} req/s, p99 ${after.latency.p99Ms.toFixed(2)} ms`);

    const bareRate = (before.requestsPerSecond + after.requestsPerSecond) / 2;
    return {
      settings,
      baseline: { before, after, requestsPerSecond: bareRate },
      enter: { ...enter, ...enterCpuUse, accepted: heartbeatOptions.length },
      enterFloor,
      enterPow,
      memoryAtStart,
      memoryAfterEnter,
      heartbeat,
      live: liveReport,
      pinning: {
        plan,
        observed: { generator: generatorCpus, bareBefore: before.cpus, app: appCpus, bareAfter: after.cpus },
      },
      memoryAfterHeartbeat,
      ratio: bareRate > 0 ? heartbeat.requestsPerSecond / bareRate : 0,
      serverErrorLogLines,
      serverLogTail,
      dynamo:
        dynamoEnter && dynamoHeartbeat
          ? {
              enter: dynamoEnter,
              heartbeat: dynamoHeartbeat,
              enterCpuPercent: dynamoEnterCpu,
              heartbeatCpuPercent: dynamoHeartbeatCpu,
            }
          : null,
    };
  } finally {
    await app.stop();
  }
}

async function runHeartbeats(
  app: ManagedProcess,
  settings: HeartbeatSettings,
  options: Dispatcher.DispatchOptions[],
  dynamo: BenchDynamo | null,
  log: (line: string) => void,
): Promise<{ heartbeat: HeartbeatReport["heartbeat"]; live: LiveReport }> {
  const pool = createPool(app.origin, settings.pool);
  const rotation = new LiveRotation(options, settings.live);
  const live = settings.live;
  // One round in the paused room first, so every visitor has been seen lately when the room
  // opens: a shorter timeout applies at once, counted from each visitor's last contact (for
  // most, their arrival a minute ago: the whole line expired in the first try). The timeout
  // is at least 2.5 rounds, so a slow round on a busy box does not expire the line.
  log(`app: one heartbeat round over ${options.length.toLocaleString("en-US")} visitors in the paused room ...`);
  const round = await runClosedLoop({
    dispatcher: pool,
    inflight: settings.inflight,
    durationMs: 200_000,
    maxRequests: options.length,
    requestFor: rotation.requestFor,
    keepBody: true,
    onReply: rotation.onReply,
  });
  const timeoutMs = Math.max(live.heartbeatTimeoutMs, Math.ceil((round.elapsedMs * 2.5) / 1000) * 1000);
  const capacity = await openRoom(app.origin, options.length, { ...live, heartbeatTimeoutMs: timeoutMs });
  const warmupMs = Math.max(settings.warmupMs, timeoutMs + 2_000);
  log(
    `app: room opened after a ${(round.elapsedMs / 1000).toFixed(1)} s round (capacity ${capacity}, heartbeat ` +
      `${live.heartbeatIntervalMs / 1000} s / timeout ${timeoutMs / 1000} s); live warm-up ${warmupMs / 1000} s, ` +
      `then heartbeats round-robin for ${settings.heartbeatDurationMs / 1000} s ...`,
  );
  // Warm-up, unmeasured: the JIT settles on the heartbeat path, every visitor moves to the
  // live timeout, and the first silent visitors come due, so expiry runs at its steady pace
  // in the window.
  await runClosedLoop({
    dispatcher: pool,
    inflight: settings.inflight,
    durationMs: warmupMs,
    maxRequests: Number.MAX_SAFE_INTEGER,
    requestFor: rotation.requestFor,
    keepBody: true,
    onReply: rotation.onReply,
  });
  const warmup = rotation.resetCounts();
  // DynamoDB is counted over the measured run only.
  await dynamo?.reset();
  const countersBefore = await roomCounters(app.origin);
  const sampledStates: Record<string, number> = {};
  const cpu = startCpuWatch(app);
  const result = await runClosedLoop({
    dispatcher: pool,
    inflight: settings.inflight,
    durationMs: settings.heartbeatDurationMs,
    maxRequests: Number.MAX_SAFE_INTEGER,
    requestFor: rotation.requestFor,
    keepBody: true,
    // Heartbeats answer 200, leaves 204; a 410 (a waiting visitor expired) is an error.
    isOk: (code) => code === 200 || code === 204,
    onReply: (n, statusCode, body) => {
      rotation.onReply(n, statusCode, body);
      // One reply in 1024 is read, to show who was answered: waiting, admitted.
      if ((n & 1023) !== 0 || statusCode !== 200) return;
      const state = String(jsonObject(body)?.state ?? "unreadable");
      sampledStates[state] = (sampledStates[state] ?? 0) + 1;
    },
  });
  const cpuUse = cpu.stop(result.elapsedMs);
  const countersAfter = await roomCounters(app.origin);
  await pool.close();
  const window = rotation.resetCounts();
  const delta = (pick: (c: RoomCounters) => number) => {
    if (!countersBefore || !countersAfter) return null;
    const d = pick(countersAfter) - pick(countersBefore);
    return Number.isFinite(d) ? d : null;
  };
  const heartbeatsPerSecond = result.elapsedMs > 0 ? (window.heartbeats / result.elapsedMs) * 1000 : 0;
  return {
    heartbeat: { ...result, ...cpuUse, sampledStates },
    live: {
      capacity,
      timeoutMs,
      firstRoundMs: round.elapsedMs,
      warmupMs,
      warmup,
      window,
      countersBefore,
      countersAfter,
      admissions: delta((c) => c.admittedTotal),
      expiries: delta((c) => c.expiredTotal),
      leaves: delta((c) => c.leftTotal),
      heartbeatingAtEnd: rotation.heartbeating,
      roundSeconds: heartbeatsPerSecond > 0 ? rotation.heartbeating / heartbeatsPerSecond : null,
    },
  };
}

async function runBaseline(
  settings: HeartbeatSettings,
  options: Dispatcher.DispatchOptions,
  cpus: string | undefined,
): Promise<BaselineRun> {
  const bare = await startBareServer(cpus);
  try {
    const bareCpus = allowedCpus(bare.pid());
    const pool = createPool(bare.origin, settings.pool);
    const loop = (durationMs: number) =>
      runClosedLoop({
        dispatcher: pool,
        inflight: settings.inflight,
        durationMs,
        maxRequests: Number.MAX_SAFE_INTEGER,
        requestFor: () => options,
        keepBody: true,
        isOk: (code) => code === 200,
        onReply: (n, _statusCode, body) => {
          // Same per-reply work as the heartbeat run.
          if ((n & 1023) === 0) jsonObject(body);
        },
      });
    await loop(settings.warmupMs);
    const cpu = startCpuWatch(bare);
    const result = await loop(settings.baselineDurationMs);
    const cpuUse = cpu.stop(result.elapsedMs);
    await pool.close();
    return { ...result, ...cpuUse, cpus: bareCpus };
  } finally {
    await bare.stop();
  }
}
