import type { Dispatcher } from "undici";
import { type BenchDynamo, type DynamoPhase, dynamoPhase } from "@/bench/dynamo";
import {
  type ClosedLoopResult,
  createPool,
  jsonObject,
  type PoolSettings,
  postOptions,
  runClosedLoop,
} from "@/bench/load";
import {
  type ManagedProcess,
  type MemoryReading,
  type PhaseCpu,
  startApp,
  startBareServer,
  startCpuWatch,
} from "@/bench/server-process";

// The heartbeat hot path against a bare node:http server, with the same generator, the same
// concurrency and requests of the same size. 100k visitors wait in a paused room (capacity 0)
// so every heartbeat does the full work of a waiting visitor: find, compare signature, touch,
// compute the position.

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
};

export type BaselineRun = ClosedLoopResult & PhaseCpu;

export type HeartbeatReport = {
  settings: HeartbeatSettings;
  baseline: { before: BaselineRun; after: BaselineRun; requestsPerSecond: number };
  enter: ClosedLoopResult & PhaseCpu & { accepted: number };
  /** The app idle, before anyone entered (Next.js and the engine loaded). */
  memoryAtStart: MemoryReading | null;
  memoryAfterEnter: MemoryReading | null;
  heartbeat: ClosedLoopResult & PhaseCpu & { sampledStates: Record<string, number> };
  memoryAfterHeartbeat: MemoryReading | null;
  /** heartbeat req/s ÷ bare req/s (mean of the runs before and after). */
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
  // Bare requests carry an Authorization header as long as a real queue token's.
  const sampleAuth = { authorization: `Bearer ${"x".repeat(40)}.${"y".repeat(110)}.${"z".repeat(43)}` };
  const bareOptions = postOptions(heartbeatPath, sampleAuth);

  log("baseline (before): bare node:http server ...");
  const before = await runBaseline(settings, bareOptions);
  log(`  ${before.requestsPerSecond.toFixed(0)} req/s, p99 ${before.latency.p99Ms.toFixed(2)} ms`);

  log(`app: entering ${settings.visitors.toLocaleString("en-US")} visitors (capacity 0) ...`);
  const app = await startApp({
    capacity: 0,
    heartbeatIntervalMs: 60_000,
    heartbeatTimeoutMs: settings.heartbeatTimeoutMs,
    maxQueueLength: Math.max(settings.visitors * 2, 100_000),
    leaveGraceMs: 2_500,
    tickMs: 100,
    profileDir: settings.profileDir,
    store: dynamo ? dynamo.freshStore("heartbeat") : { kind: "sqlite" },
  });
  try {
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

    log(`app: heartbeats round-robin over all tokens for ${settings.heartbeatDurationMs / 1000} s ...`);
    const heartbeat = await runHeartbeats(app, settings, heartbeatOptions, dynamo);
    const dynamoHeartbeat = dynamo ? dynamoPhase(await dynamo.counters()) : null;
    const dynamoHeartbeatCpu = dynamoCpu?.lap() ?? null;
    const memoryAfterHeartbeat = app.memory();
    log(`  ${heartbeat.requestsPerSecond.toFixed(0)} req/s, p99 ${heartbeat.latency.p99Ms.toFixed(2)} ms`);
    const serverErrorLogLines = app.errorLines;
    const serverLogTail = app.recentLog().split("\n").filter(Boolean);
    await app.stop();

    log("baseline (after): bare node:http server ...");
    const after = await runBaseline(settings, bareOptions);
    log(`  ${after.requestsPerSecond.toFixed(0)} req/s, p99 ${after.latency.p99Ms.toFixed(2)} ms`);

    const bareRate = (before.requestsPerSecond + after.requestsPerSecond) / 2;
    return {
      settings,
      baseline: { before, after, requestsPerSecond: bareRate },
      enter: { ...enter, ...enterCpuUse, accepted: heartbeatOptions.length },
      memoryAtStart,
      memoryAfterEnter,
      heartbeat,
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
): Promise<HeartbeatReport["heartbeat"]> {
  const pool = createPool(app.origin, settings.pool);
  const count = options.length;
  let offset = 0;
  const requestFor = (n: number) => options[(offset + n) % count] as Dispatcher.DispatchOptions;
  // Warm-up, unmeasured: lets the JIT settle on the heartbeat path.
  const warm = await runClosedLoop({
    dispatcher: pool,
    inflight: settings.inflight,
    durationMs: settings.warmupMs,
    maxRequests: Number.MAX_SAFE_INTEGER,
    requestFor,
    keepBody: true,
  });
  offset = warm.requests % count;
  // DynamoDB is counted over the measured run only.
  await dynamo?.reset();
  const sampledStates: Record<string, number> = {};
  const cpu = startCpuWatch(app);
  const result = await runClosedLoop({
    dispatcher: pool,
    inflight: settings.inflight,
    durationMs: settings.heartbeatDurationMs,
    maxRequests: Number.MAX_SAFE_INTEGER,
    requestFor,
    keepBody: true,
    isOk: (code) => code === 200,
    onReply: (n, statusCode, body) => {
      // One reply in 1024 is read, to prove the visitors really are waiting in line.
      if ((n & 1023) !== 0 || statusCode !== 200) return;
      const state = String(jsonObject(body)?.state ?? "unreadable");
      sampledStates[state] = (sampledStates[state] ?? 0) + 1;
    },
  });
  const cpuUse = cpu.stop(result.elapsedMs);
  await pool.close();
  return { ...result, ...cpuUse, sampledStates };
}

async function runBaseline(settings: HeartbeatSettings, options: Dispatcher.DispatchOptions): Promise<BaselineRun> {
  const bare = await startBareServer();
  try {
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
    return { ...result, ...cpuUse };
  } finally {
    await bare.stop();
  }
}

/** Waits until the store has had no request for half a second (at most 30 s): the app's write queue drained. */
async function waitForQuietStore(dynamo: BenchDynamo): Promise<void> {
  const until = Date.now() + 30_000;
  let last = (await dynamo.counters()).requests;
  while (Date.now() < until) {
    await new Promise((resolve) => setTimeout(resolve, 500));
    const now = (await dynamo.counters()).requests;
    if (now === last) return;
    last = now;
  }
}

/** CPU of a process tree between laps, in % of one core. */
function cpuMeter(read: () => number | null): { lap(): number | null } {
  let seconds = read();
  let at = Date.now();
  return {
    lap() {
      const nowSeconds = read();
      const now = Date.now();
      const percent =
        seconds === null || nowSeconds === null ? null : ((nowSeconds - seconds) / Math.max(now - at, 1)) * 100_000;
      seconds = nowSeconds;
      at = now;
      return percent;
    },
  };
}
