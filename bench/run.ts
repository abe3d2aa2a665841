import { execFileSync } from "node:child_process";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { type CostReport, type CostSettings, runCostBench, steadyArrivalsPerSecond } from "@/bench/cost";
import { BenchDynamo } from "@/bench/dynamo";
import { runEtaBench } from "@/bench/eta";
import { runFlashCrowd } from "@/bench/flash-crowd";
import type { FlashReport, FlashSettings } from "@/bench/flash-types";
import { type HeartbeatReport, type HeartbeatSettings, runHeartbeatBench } from "@/bench/heartbeat";
import { type MemoryReport, type MemorySettings, runMemoryBench } from "@/bench/memory";
import { type OriginReport, type OriginSettings, runOriginBench } from "@/bench/origin";
import { recordFile, recordRun } from "@/bench/record";
import { type BenchResults, checksFor, renderSummary, renderTables, writeResults } from "@/bench/report";
import { ensureNextBuild, stopAll } from "@/bench/server-process";

// npm run bench [-- --quick] [-- --only heartbeat|flash|origin|memory] [-- --interval-ms N --timeout-ms N]
// npm run bench -- --store dynamodb [--quick] [--only heartbeat|cost]
// Runs the heartbeat-vs-bare, flash-crowd and memory scenarios against the real app (child process,
// loopback only), prints tables and a summary, writes bench/results/latest.json. With
// --store dynamodb the app keeps queue state on dynalite (scripts/dynalite.ts, which counts
// requests and billing units) and the scenarios are heartbeat and cost. Exits 1 when a
// correctness invariant fails (capacity, FIFO) or the run itself broke; performance goals
// are reported as PASS/FAIL without failing the exit code.

const usage = `usage: npm run bench -- [--quick | --ci] [--record] [--store sqlite|dynamodb] [--only heartbeat|flash|origin|memory|cost]
       npm run bench -- --only eta [--seeds N]   the wait estimate on simulated traffic (goals of issue 15)
  --ci               what npm run test:all runs: one short flash + origin (SQLite) and heartbeat (DynamoDB);
                     exits 1 when a correctness check fails (capacity, FIFO, refill, expiry, DynamoDB per heartbeat)
  --record           append this run to bench/results/recorded.json (the README's figures: npm run bench:readme)
  --store dynamodb   queue state on dynalite: scenarios heartbeat and cost (default sqlite: heartbeat, flash and memory)
  [--visitors N]     visitors waiting in the heartbeat scenario
  [--interval-ms N] [--timeout-ms N]   flash crowd heartbeat interval / timeout
  [--cost-visitors N] [--cost-capacity N] [--cost-window-ms N]   cost scenario shape (DynamoDB mode)
  [--arrivals N] [--window-ms N] [--run-ms N] [--capacity N]   flash crowd shape
  [--flash-runs N]   flash crowd runs, each on a fresh server, judged on the worst (default 3; 1 with --ci)
  [--memory-rate N] [--memory-seconds N]   memory scenario: requests a second, for how long
  [--connections N] [--pipelining N] [--inflight N]   generator settings
  [--seed N]
  [--cpu-prof]   write V8 CPU profiles of the app to bench/results/profiles/
  [--no-pin]     heartbeat scenario: do not pin server and generator to separate cores (taskset)`;

function parseCli() {
  const { values } = parseArgs({
    options: {
      quick: { type: "boolean", default: false },
      ci: { type: "boolean", default: false },
      record: { type: "boolean", default: false },
      store: { type: "string", default: "sqlite" },
      only: { type: "string" },
      visitors: { type: "string" },
      "cost-visitors": { type: "string" },
      "cost-capacity": { type: "string" },
      "cost-window-ms": { type: "string" },
      "interval-ms": { type: "string" },
      arrivals: { type: "string" },
      "window-ms": { type: "string" },
      "run-ms": { type: "string" },
      capacity: { type: "string" },
      "flash-runs": { type: "string" },
      "memory-rate": { type: "string" },
      "memory-seconds": { type: "string" },
      "timeout-ms": { type: "string" },
      connections: { type: "string" },
      pipelining: { type: "string" },
      inflight: { type: "string" },
      seed: { type: "string" },
      seeds: { type: "string" },
      "cpu-prof": { type: "boolean", default: false },
      "no-pin": { type: "boolean", default: false },
      help: { type: "boolean", default: false },
    },
    strict: true,
  });
  if (values.help) {
    process.stdout.write(`${usage}\n`);
    process.exit(0);
  }
  const store = values.store;
  if (store !== "sqlite" && store !== "dynamodb") throw new Error(`--store must be "sqlite" or "dynamodb"\n${usage}`);
  const scenarios = store === "dynamodb" ? ["heartbeat", "cost"] : ["heartbeat", "flash", "origin", "memory"];
  if (values.only === "eta") {
    // The wait estimate on simulated time (bench/eta.ts): no server, no load, nothing else.
    runEtaBench(Number(values.seeds ?? 3) || 3, log);
    process.exit(0);
  }
  if (values.only !== undefined && !scenarios.includes(values.only)) {
    throw new Error(`--only must be one of ${scenarios.join(", ")} with --store ${store}\n${usage}`);
  }
  const int = (name: string, raw: string | undefined, fallback: number, min: number) => {
    if (raw === undefined) return fallback;
    const n = Number(raw);
    if (!Number.isInteger(n) || n < min) throw new Error(`--${name} must be an integer ≥ ${min}`);
    return n;
  };
  // CI: the quick shapes, both stores, correctness checks only (see main).
  const ci = values.ci;
  const quick = values.quick || ci;
  const mode: BenchResults["mode"] = ci ? "ci" : quick ? "quick" : "full";
  const profileDir = values["cpu-prof"] ? path.join(__dirname, "results", "profiles") : undefined;
  const connections = int("connections", values.connections, 64, 1);
  const pipelining = int("pipelining", values.pipelining, 1, 1);
  const pool = { connections, pipelining };
  const inflight = int("inflight", values.inflight, connections * pipelining, 1);
  // Through dynalite an arrival costs far more than in SQLite (a JavaScript DynamoDB in one
  // process behind a transaction front): fewer visitors keep the enter phase within a minute.
  const defaultVisitors = ci ? 1_000 : store === "dynamodb" ? (quick ? 5_000 : 20_000) : quick ? 10_000 : 100_000;
  const heartbeat: HeartbeatSettings = {
    visitors: int("visitors", values.visitors, defaultVisitors, 1),
    enterInflight: 128,
    pool,
    inflight,
    heartbeatDurationMs: quick ? 3_000 : 15_000,
    baselineDurationMs: quick ? 3_000 : 10_000,
    warmupMs: quick ? 500 : 1_500,
    heartbeatTimeoutMs: 120_000,
    profileDir,
    // Live while measured: 2 % of the line in the room; silent visitors expire within the run.
    live: {
      capacityShare: 0.02,
      heartbeatIntervalMs: 5_000,
      heartbeatTimeoutMs: quick ? 10_000 : 30_000,
      admittedLeaveFraction: 0.8,
      abandonPerInterval: 0.002,
      seed: int("seed", values.seed, 20_240_601, 0),
    },
    pin: !values["no-pin"],
  };
  const intervalMs = int("interval-ms", values["interval-ms"], quick ? 2_000 : 5_000, 500);
  const flash: FlashSettings = {
    arrivals: int("arrivals", values.arrivals, quick ? 2_000 : 50_000, 1),
    arrivalWindowMs: int("window-ms", values["window-ms"], quick ? 4_000 : 10_000, 1),
    runMs: int("run-ms", values["run-ms"], quick ? 25_000 : 55_000, 1_000),
    capacity: int("capacity", values.capacity, quick ? 100 : 1_000, 0),
    heartbeatIntervalMs: intervalMs,
    heartbeatTimeoutMs: int("timeout-ms", values["timeout-ms"], intervalMs * 4, 1_000),
    leaveGraceMs: 2_500,
    tickMs: 100,
    sessionMinMs: 2_000,
    sessionMaxMs: 6_000,
    silentFraction: 0.1,
    refillGoalMs: 1_000,
    // Past the slot's deadline: a tick or two, and the server's event loop under the crowd.
    expiryCheckAfterMs: 2_000,
    pool: { connections: Math.max(connections, 128), pipelining },
    enterConnections: 256,
    seed: int("seed", values.seed, 20_240_601, 0),
    metricsEveryMs: 100,
    profileDir,
  };
  const costVisitors = int("cost-visitors", values["cost-visitors"], quick ? 500 : 2_000, 1);
  // A steady line: about 2.5 % of it in the room at once, sessions of 10-30 s, 2 % of the
  // waiting giving up per minute, and newcomers replacing whoever leaves the line.
  const costShape = {
    visitors: costVisitors,
    capacity: int("cost-capacity", values["cost-capacity"], Math.max(10, Math.round(costVisitors / 40)), 1),
    heartbeatIntervalMs: 5_000,
    heartbeatTimeoutMs: 20_000,
    leaveGraceMs: 2_500,
    tickMs: 100,
    sessionMinMs: 10_000,
    sessionMaxMs: 30_000,
    admittedLeaveFraction: 0.8,
    abandonPerMinute: 0.02,
    idleMs: quick ? 10_000 : 30_000,
    // Long enough for the first sessions to end: admissions and removals run at their pace.
    settleMs: quick ? 15_000 : 30_000,
    measureMs: int("cost-window-ms", values["cost-window-ms"], quick ? 60_000 : 120_000, 10_000),
    connections: 64,
    seed: int("seed", values.seed, 20_240_601, 0),
    referenceWritesPerVisitorMinute: 12,
  };
  const cost: CostSettings = { ...costShape, arrivalsPerSecond: steadyArrivalsPerSecond(costShape) };
  // A small room, so that every admission's requests to the protected path (Next.js pages)
  // can be made and counted.
  const origin: OriginSettings = {
    capacity: 10,
    arrivals: quick ? 100 : 200,
    arrivalWindowMs: 3_000,
    runMs: quick ? 25_000 : 40_000,
    // Tokens that live long past a visit: a stale admission the origin failed to refuse
    // would overlap several newcomers' and show in the count.
    heartbeatIntervalMs: 1_000,
    heartbeatTimeoutMs: 8_000,
    leaveGraceMs: 500,
    tickMs: 100,
    sessionMinMs: 2_000,
    sessionMaxMs: 5_000,
    silentFraction: 0.2,
    probeEveryMs: 250,
    seed: int("seed", values.seed, 20_240_601, 0),
  };
  const memory: MemorySettings = {
    requestsPerSecond: int("memory-rate", values["memory-rate"], 1_000, 1),
    durationMs: int("memory-seconds", values["memory-seconds"], quick ? 60 : 300, 1) * 1000,
    connections: 128,
    maxInflight: 512,
    seed: int("seed", values.seed, 20_240_601, 0),
    sampleEveryMs: 1_000,
    profileDir,
  };
  if (ci && (values.only !== undefined || values.store !== "sqlite"))
    throw new Error("--ci runs its own scenarios on both stores");
  if (values.record && ci) throw new Error("--record keeps full or quick runs, not CI's");
  return {
    mode,
    record: values.record,
    store: store as "sqlite" | "dynamodb",
    scenarios: values.only === undefined ? scenarios : [values.only],
    heartbeat,
    flash,
    // One run can be lucky: the flash goals are judged on the worst of several (CI: one, for time).
    flashRuns: int("flash-runs", values["flash-runs"], ci ? 1 : 3, 1),
    origin,
    cost,
    memory,
  };
}

function uptime(): string {
  try {
    return execFileSync("uptime", { encoding: "utf8" }).trim();
  } catch {
    return `load average: ${os.loadavg().join(", ")}`;
  }
}

const log = (line: string) => process.stdout.write(`${line}\n`);

/** Runs a scenario with a fresh dynalite of its own in DynamoDB mode (none for SQLite). */
async function withDynamo<T>(
  store: "sqlite" | "dynamodb",
  run: (dynamo: BenchDynamo | null) => Promise<T>,
): Promise<T> {
  if (store === "sqlite") return run(null);
  const dynamo = await BenchDynamo.start();
  try {
    return await run(dynamo);
  } finally {
    await dynamo.stop();
  }
}

type Cli = ReturnType<typeof parseCli>;

/**
 * One store's scenarios: runs them, prints tables and the summary, writes the results file.
 * Returns whether every correctness check passed.
 */
async function runSuite(cli: Cli, store: "sqlite" | "dynamodb", scenarios: string[], file: string): Promise<boolean> {
  const startedAt = new Date().toISOString();
  const loadAverageBefore = os.loadavg();
  const uptimeBefore = uptime();
  log(`Floodgate bench (${cli.mode}, store ${store}: ${scenarios.join(", ")}); ${uptimeBefore}`);
  const runs = (scenario: string) => scenarios.includes(scenario);
  let heartbeat: HeartbeatReport | null = null;
  const flashRuns: FlashReport[] = [];
  let cost: CostReport | null = null;
  let memory: MemoryReport | null = null;
  let origin: OriginReport | null = null;
  if (runs("heartbeat")) {
    log(`\n== heartbeat${store === "dynamodb" ? " (queue store: DynamoDB on dynalite)" : ""} ==`);
    heartbeat = await withDynamo(store, (dynamo) => runHeartbeatBench(cli.heartbeat, log, dynamo));
  }
  if (store === "sqlite" && runs("flash")) {
    for (let run = 1; run <= cli.flashRuns; run++) {
      log(`\n== flash crowd${cli.flashRuns > 1 ? `, run ${run} of ${cli.flashRuns} (a fresh server)` : ""} ==`);
      flashRuns.push(await runFlashCrowd(cli.flash, log));
    }
  }
  if (store === "sqlite" && runs("origin")) {
    log("\n== origin census (capacity counted at the protected path) ==");
    origin = await runOriginBench(cli.origin, log);
  }
  if (store === "sqlite" && runs("memory")) {
    const m = cli.memory;
    log(`\n== memory (hostile mix, ${m.requestsPerSecond} req/s for ${m.durationMs / 1000} s) ==`);
    memory = await runMemoryBench(m, log);
  }
  if (store === "dynamodb" && runs("cost")) {
    log("\n== cost (DynamoDB on dynalite, counted by the front) ==");
    cost = await withDynamo(store, (dynamo) => runCostBench(cli.cost, dynamo as BenchDynamo, log));
  }

  const results: BenchResults = {
    startedAt,
    finishedAt: new Date().toISOString(),
    mode: cli.mode,
    store,
    commit: gitCommit(),
    host: {
      node: process.version,
      cpus: os.cpus().length,
      cpuModel: os.cpus()[0]?.model ?? "unknown",
      loadAverageBefore,
      loadAverageAfter: os.loadavg(),
      uptimeBefore,
      uptimeAfter: uptime(),
    },
    heartbeat,
    flashRuns,
    origin,
    cost,
    memory,
    checks: checksFor(heartbeat, flashRuns, cost, memory, origin),
  };
  writeResults(results, file);
  log(renderTables(results));
  log(`\n${results.host.uptimeAfter}\nResults: ${path.relative(process.cwd(), file)}`);
  log(`\n---- summary ----\n${renderSummary(results)}\n-----------------`);
  if (cli.record) {
    const recorded = recordRun(results, recordFile);
    log(
      `Recorded as run ${recorded} in ${path.relative(process.cwd(), recordFile)} (npm run bench:readme renders the README's table)`,
    );
  }
  return !results.checks.some((c) => c.correctness && !c.pass);
}

async function main(): Promise<number> {
  const cli = parseCli();
  await ensureNextBuild(log);
  const resultsDir = path.join(__dirname, "results");
  if (cli.mode === "ci") {
    // The checks CI holds the code to: capacity (engine, origin, JWKS), FIFO, refill, expiry,
    // and no DynamoDB request per heartbeat. Short runs; performance goals are printed only.
    const sqlite = await runSuite(cli, "sqlite", ["flash", "origin"], path.join(resultsDir, "latest-ci.json"));
    const dynamodb = await runSuite(cli, "dynamodb", ["heartbeat"], path.join(resultsDir, "latest-ci-dynamodb.json"));
    return sqlite && dynamodb ? 0 : 1;
  }
  const file = path.join(resultsDir, cli.store === "dynamodb" ? "latest-dynamodb.json" : "latest.json");
  return (await runSuite(cli, cli.store, cli.scenarios, file)) ? 0 : 1;
}

function gitCommit(): string {
  try {
    const commit = execFileSync("git", ["rev-parse", "--short=12", "HEAD"], { encoding: "utf8" }).trim();
    const dirty = execFileSync("git", ["status", "--porcelain", "--untracked-files=no"], { encoding: "utf8" }).trim();
    return dirty ? `${commit}+changes` : commit;
  } catch {
    return "unknown";
  }
}

let interrupted = false;
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    if (interrupted) process.exit(130);
    interrupted = true;
    process.stderr.write(`\n${signal}: stopping the servers ...\n`);
    void stopAll().finally(() => process.exit(130));
  });
}

main()
  .then(async (code) => {
    await stopAll();
    process.exit(code);
  })
  .catch(async (error: unknown) => {
    console.error(error instanceof Error ? (error.stack ?? error.message) : error);
    await stopAll();
    process.exit(1);
  });
