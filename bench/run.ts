import { execFileSync } from "node:child_process";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { type FlashReport, type FlashSettings, runFlashCrowd } from "@/bench/flash-crowd";
import { type HeartbeatReport, type HeartbeatSettings, runHeartbeatBench } from "@/bench/heartbeat";
import { type BenchResults, checksFor, renderSummary, renderTables, writeResults } from "@/bench/report";
import { ensureNextBuild, stopAll } from "@/bench/server-process";

// npm run bench [-- --quick] [-- --only heartbeat|flash] [-- --interval-ms N --timeout-ms N]
// Runs the heartbeat-vs-bare and flash-crowd scenarios against the real app (child process,
// loopback only), prints tables and a summary, writes bench/results/latest.json. Exits 1 when
// a correctness invariant fails (capacity, FIFO) or the run itself broke; performance goals
// are reported as PASS/FAIL without failing the exit code.

const usage = `usage: npm run bench -- [--quick] [--only heartbeat|flash]
  [--interval-ms N] [--timeout-ms N]   flash crowd heartbeat interval / timeout
  [--arrivals N] [--window-ms N] [--run-ms N] [--capacity N]   flash crowd shape
  [--connections N] [--pipelining N] [--inflight N]   generator settings
  [--seed N]
  [--cpu-prof]   write V8 CPU profiles of the app to bench/results/profiles/`;

function parseCli() {
  const { values } = parseArgs({
    options: {
      quick: { type: "boolean", default: false },
      only: { type: "string" },
      "interval-ms": { type: "string" },
      arrivals: { type: "string" },
      "window-ms": { type: "string" },
      "run-ms": { type: "string" },
      capacity: { type: "string" },
      "timeout-ms": { type: "string" },
      connections: { type: "string" },
      pipelining: { type: "string" },
      inflight: { type: "string" },
      seed: { type: "string" },
      "cpu-prof": { type: "boolean", default: false },
      help: { type: "boolean", default: false },
    },
    strict: true,
  });
  if (values.help) {
    process.stdout.write(`${usage}\n`);
    process.exit(0);
  }
  if (values.only !== undefined && values.only !== "heartbeat" && values.only !== "flash") {
    throw new Error(`--only must be "heartbeat" or "flash"\n${usage}`);
  }
  const int = (name: string, raw: string | undefined, fallback: number, min: number) => {
    if (raw === undefined) return fallback;
    const n = Number(raw);
    if (!Number.isInteger(n) || n < min) throw new Error(`--${name} must be an integer ≥ ${min}`);
    return n;
  };
  const quick = values.quick;
  const profileDir = values["cpu-prof"] ? path.join(__dirname, "results", "profiles") : undefined;
  const connections = int("connections", values.connections, 64, 1);
  const pipelining = int("pipelining", values.pipelining, 1, 1);
  const pool = { connections, pipelining };
  const inflight = int("inflight", values.inflight, connections * pipelining, 1);
  const heartbeat: HeartbeatSettings = {
    visitors: quick ? 10_000 : 100_000,
    enterInflight: 128,
    pool,
    inflight,
    heartbeatDurationMs: quick ? 3_000 : 15_000,
    baselineDurationMs: quick ? 3_000 : 10_000,
    warmupMs: quick ? 500 : 1_500,
    heartbeatTimeoutMs: 120_000,
    profileDir,
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
    pool: { connections: Math.max(connections, 128), pipelining },
    enterConnections: 256,
    seed: int("seed", values.seed, 20_240_601, 0),
    metricsEveryMs: 100,
    profileDir,
  };
  return { quick, only: values.only, heartbeat, flash };
}

function uptime(): string {
  try {
    return execFileSync("uptime", { encoding: "utf8" }).trim();
  } catch {
    return `load average: ${os.loadavg().join(", ")}`;
  }
}

const log = (line: string) => process.stdout.write(`${line}\n`);

async function main(): Promise<number> {
  const cli = parseCli();
  const startedAt = new Date().toISOString();
  const loadAverageBefore = os.loadavg();
  const uptimeBefore = uptime();
  log(`Floodgate bench (${cli.quick ? "quick" : "full"}); ${uptimeBefore}`);
  await ensureNextBuild(log);

  let heartbeat: HeartbeatReport | null = null;
  let flash: FlashReport | null = null;
  if (cli.only !== "flash") {
    log("\n== heartbeat ==");
    heartbeat = await runHeartbeatBench(cli.heartbeat, log);
  }
  if (cli.only !== "heartbeat") {
    log("\n== flash crowd ==");
    flash = await runFlashCrowd(cli.flash, log);
  }

  const results: BenchResults = {
    startedAt,
    finishedAt: new Date().toISOString(),
    mode: cli.quick ? "quick" : "full",
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
    flash,
    checks: checksFor(heartbeat, flash),
  };
  const file = path.join(__dirname, "results", "latest.json");
  writeResults(results, file);
  log(renderTables(results));
  log(`\n${results.host.uptimeAfter}\nResults: ${path.relative(process.cwd(), file)}`);
  log(`\n---- summary ----\n${renderSummary(results)}\n-----------------`);
  const brokenInvariant = results.checks.some((c) => c.correctness && !c.pass);
  return brokenInvariant ? 1 : 0;
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
