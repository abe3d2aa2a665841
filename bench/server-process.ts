import { type ChildProcess, spawn } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { request } from "undici";

// Starts and stops the systems under test as child processes: the real app (tsx
// server/main.ts, production mode, fresh data dir) and the bare node:http baseline. Every
// child gets its own process group so that it, and whatever it spawned, can be ended by id;
// an exit hook kills any group still alive, whatever way the bench ends.

const repoRoot = path.resolve(__dirname, "..");
const tsxBin = path.join(repoRoot, "node_modules", ".bin", "tsx");

export type RoomSettings = {
  capacity: number;
  heartbeatIntervalMs: number;
  heartbeatTimeoutMs: number;
  maxQueueLength: number;
};

/** Where the app keeps queue state: its embedded SQLite file, or a table on a DynamoDB endpoint. */
export type AppStore = { kind: "sqlite" } | { kind: "dynamodb"; endpoint: string; tableName: string };

export type AppSettings = RoomSettings & {
  leaveGraceMs: number;
  tickMs: number;
  /** Write a V8 CPU profile of the server here when it stops (bench --cpu-prof). */
  profileDir?: string;
  /** SQLite when omitted. */
  store?: AppStore;
  /** More environment for the app (e.g. the first admin's credentials). */
  env?: Record<string, string>;
  /** Run it on these CPUs only (taskset -c, e.g. "0"); children inherit the mask. */
  cpus?: string;
};

export type MemoryReading = { rssMb: number; hwmMb: number };

const live = new Set<ManagedProcess>();

process.on("exit", () => {
  for (const child of live) child.killGroupNow();
});

/** Ends every child (used on SIGINT/SIGTERM and on a failed run). */
export async function stopAll(): Promise<void> {
  await Promise.all([...live].map((child) => child.stop()));
}

export class ManagedProcess {
  private readonly logTail: string[] = [];
  /** Log lines at pino level error (50) or fatal (60). */
  errorLines = 0;
  private exited = false;
  private readonly exitPromise: Promise<void>;
  private serverPid: number | null = null;

  constructor(
    readonly name: string,
    private readonly child: ChildProcess,
    readonly origin: string,
    /** The script path that identifies the real server among the tsx processes. */
    private readonly scriptMarker: string,
    readonly dataDir: string | null,
    /** How long a graceful stop may take (writing a CPU profile takes a while). */
    private readonly stopGraceMs = 15_000,
  ) {
    live.add(this);
    this.exitPromise = new Promise((resolve) => {
      child.once("exit", () => {
        this.exited = true;
        resolve();
      });
    });
    const collect = (chunk: Buffer) => {
      for (const line of chunk.toString("utf8").split("\n")) {
        if (!line.trim()) continue;
        if (/"level":(50|60)/.test(line)) this.errorLines++;
        this.logTail.push(line.length > 600 ? `${line.slice(0, 600)}...` : line);
        if (this.logTail.length > 40) this.logTail.shift();
      }
    };
    child.stdout?.on("data", collect);
    child.stderr?.on("data", collect);
  }

  get hasExited(): boolean {
    return this.exited;
  }

  recentLog(): string {
    return this.logTail.join("\n");
  }

  /**
   * The pid of the node process that runs the server: tsx starts the script in a child of
   * its own, so the spawned pid is only the launcher.
   */
  pid(): number {
    if (this.serverPid !== null) return this.serverPid;
    const root = this.child.pid ?? 0;
    let found = root;
    for (const pid of descendantsOf(root)) {
      if (readCmdline(pid).includes(this.scriptMarker)) found = pid;
    }
    if (found !== root) this.serverPid = found;
    return found;
  }

  /** Resident memory now and its high-water mark, from /proc/<pid>/status. */
  memory(): MemoryReading | null {
    try {
      const status = fs.readFileSync(`/proc/${this.pid()}/status`, "utf8");
      const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+)`, "m").exec(status)?.[1] ?? 0);
      return { rssMb: kb("VmRSS") / 1024, hwmMb: kb("VmHWM") / 1024 };
    } catch {
      return null;
    }
  }

  /** CPU seconds (user + system) the server process has used so far. */
  cpuSeconds(): number | null {
    return processCpuSeconds(this.pid());
  }

  /** CPU seconds of the whole process tree (the launcher, the server and whatever it spawned). */
  treeCpuSeconds(): number | null {
    const root = this.child.pid;
    if (!root) return null;
    let total = 0;
    for (const pid of [root, ...descendantsOf(root)]) total += processCpuSeconds(pid) ?? 0;
    return total;
  }

  /** SIGTERM to the launcher (tsx relays it), then SIGKILL to the whole group if it lingers. */
  async stop(): Promise<void> {
    if (!live.has(this)) return;
    if (!this.exited) {
      try {
        this.child.kill("SIGTERM");
      } catch {
        // Already gone.
      }
      await Promise.race([this.exitPromise, sleep(this.stopGraceMs)]);
    }
    this.killGroupNow();
    live.delete(this);
    if (this.dataDir) fs.rmSync(this.dataDir, { recursive: true, force: true });
  }

  killGroupNow(): void {
    const group = this.child.pid;
    if (!group) return;
    try {
      process.kill(-group, "SIGKILL");
    } catch {
      // No process left in the group.
    }
  }
}

/** A TCP port nobody listens on right now (the child binds it a moment later). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.unref();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const address = probe.address();
      const port = typeof address === "object" && address ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

/** Makes sure a Next production build exists, waiting for one in progress or running one. */
export async function ensureNextBuild(log: (line: string) => void): Promise<void> {
  const nextDir = path.join(repoRoot, ".next");
  const buildId = path.join(nextDir, "BUILD_ID");
  if (fs.existsSync(buildId)) return;
  // Someone else may be building right now (this box is shared): give them a while first.
  const recentlyTouched = () => {
    try {
      return Date.now() - fs.statSync(nextDir).mtimeMs < 60_000;
    } catch {
      return false;
    }
  };
  if (recentlyTouched()) {
    log("A Next build seems to be in progress; waiting up to 3 minutes for .next/BUILD_ID ...");
    const until = Date.now() + 180_000;
    while (Date.now() < until && !fs.existsSync(buildId) && recentlyTouched()) await sleep(2_000);
    if (fs.existsSync(buildId)) return;
  }
  log("No Next production build (.next/BUILD_ID); running `npx next build` ...");
  const output: string[] = [];
  const code = await new Promise<number | null>((resolve) => {
    const build = spawn("npx", ["next", "build"], {
      cwd: repoRoot,
      env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1" },
      stdio: ["ignore", "pipe", "pipe"],
      detached: true,
    });
    const keep = (chunk: Buffer) => {
      output.push(chunk.toString("utf8"));
      if (output.length > 200) output.shift();
    };
    build.stdout.on("data", keep);
    build.stderr.on("data", keep);
    const timer = setTimeout(() => {
      if (build.pid) process.kill(-build.pid, "SIGKILL");
    }, 600_000);
    build.once("exit", (exitCode) => {
      clearTimeout(timer);
      resolve(exitCode);
    });
  });
  if (code !== 0 || !fs.existsSync(buildId)) {
    throw new Error(`next build failed (exit ${code}):\n${output.join("").slice(-4000)}`);
  }
}

/** Starts the real app on a free port with a fresh data dir; resolves once /healthz answers. */
export async function startApp(settings: AppSettings): Promise<ManagedProcess> {
  const port = await freePort();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "floodgate-bench-"));
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: "production",
    NEXT_TELEMETRY_DISABLED: "1",
    PORT: String(port),
    HOSTNAME: "127.0.0.1",
    LOG_LEVEL: "warn",
    FLOODGATE_DATA_DIR: dataDir,
    FLOODGATE_TICK_MS: String(settings.tickMs),
    FLOODGATE_LEAVE_GRACE_MS: String(settings.leaveGraceMs),
    FLOODGATE_DEFAULT_ROOM_CAPACITY: String(settings.capacity),
    FLOODGATE_DEFAULT_ROOM_HEARTBEAT_INTERVAL_MS: String(settings.heartbeatIntervalMs),
    FLOODGATE_DEFAULT_ROOM_HEARTBEAT_TIMEOUT_MS: String(settings.heartbeatTimeoutMs),
    FLOODGATE_DEFAULT_ROOM_MAX_QUEUE_LENGTH: String(settings.maxQueueLength),
    // Every simulated visitor comes from 127.0.0.1: no per-address limit on new places or sockets.
    FLOODGATE_NEW_PLACES_PER_MINUTE_PER_IP: "0",
    FLOODGATE_MAX_CONNECTIONS_PER_IP: "0",
    FLOODGATE_STORE: "sqlite",
  };
  const store = settings.store ?? { kind: "sqlite" };
  if (store.kind === "dynamodb") {
    Object.assign(env, {
      FLOODGATE_STORE: "dynamodb",
      FLOODGATE_DYNAMODB_ENDPOINT: store.endpoint,
      FLOODGATE_DYNAMODB_TABLE: store.tableName,
      FLOODGATE_DYNAMODB_CREATE_TABLE: "1",
      FLOODGATE_DYNAMODB_REGION: "us-east-1",
      // dynalite checks no signature, but the SDK signs every request and needs something to sign with.
      AWS_ACCESS_KEY_ID: "bench",
      AWS_SECRET_ACCESS_KEY: "bench",
      AWS_REGION: "us-east-1",
    });
    delete env.AWS_SESSION_TOKEN;
    delete env.AWS_PROFILE;
  }
  delete env.FLOODGATE_CLUSTER;
  // Settings that must come from the bench, not from whoever runs it.
  delete env.DATABASE_URL;
  delete env.FLOODGATE_METRICS_TOKEN;
  Object.assign(env, settings.env);
  const nodeFlags = [...startNodeFlags()];
  if (settings.profileDir) nodeFlags.push("--cpu-prof", `--cpu-prof-dir=${settings.profileDir}`);
  const child = spawn(...pinned(settings.cpus, tsxBin, [...nodeFlags, "server/main.ts"]), {
    cwd: repoRoot,
    env,
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  const stopGraceMs = settings.profileDir ? 120_000 : 15_000;
  const app = new ManagedProcess("app", child, `http://127.0.0.1:${port}`, "server/main.ts", dataDir, stopGraceMs);
  await waitUntilReady(app, "/healthz", 120_000);
  return app;
}

/**
 * The Node flags `npm start` runs the server with (package.json's "start" script, the flags
 * between `tsx` and `server/main.ts`): the bench measures the app as it is deployed.
 */
export function startNodeFlags(): string[] {
  const pkg = JSON.parse(fs.readFileSync(path.join(repoRoot, "package.json"), "utf8")) as {
    scripts: Record<string, string>;
  };
  const match = /\btsx\s+(.*?)\s*server\/main\.ts/.exec(pkg.scripts.start ?? "");
  return (match?.[1] ?? "").split(/\s+/).filter((flag) => flag.startsWith("--"));
}

/** dynalite behind the counting front (scripts/dynalite.ts), in its own process group. */
export type DynamoProcess = { proc: ManagedProcess; endpoint: string };

/** Starts scripts/dynalite.ts; resolves with its endpoint once it has announced it. */
export async function startDynamoProcess(): Promise<DynamoProcess> {
  const child = spawn(tsxBin, ["scripts/dynalite.ts"], {
    cwd: repoRoot,
    env: { ...process.env, NODE_NO_WARNINGS: "1" },
    // stdin is its lifeline: it exits when the bench does, however the bench ends.
    stdio: ["pipe", "pipe", "pipe"],
    detached: true,
  });
  const announced = new Promise<string>((resolve, reject) => {
    let out = "";
    const onData = (chunk: Buffer) => {
      out += chunk.toString("utf8");
      const newline = out.indexOf("\n");
      if (newline < 0) return;
      child.stdout?.off("data", onData);
      try {
        resolve(String((JSON.parse(out.slice(0, newline)) as { endpoint: unknown }).endpoint));
      } catch {
        reject(new Error(`scripts/dynalite.ts printed no endpoint: ${out.slice(0, newline)}`));
      }
    };
    child.stdout?.on("data", onData);
    child.once("exit", (code) => reject(new Error(`scripts/dynalite.ts exited (${code}) before listening`)));
  });
  const proc = new ManagedProcess("dynalite", child, "", "scripts/dynalite.ts", null);
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error("scripts/dynalite.ts did not announce an endpoint within 30 s")), 30_000);
  });
  try {
    const endpoint = await Promise.race([announced, timeout]);
    return { proc, endpoint };
  } catch (error) {
    await proc.stop();
    throw new Error(`${error instanceof Error ? error.message : error}\n${proc.recentLog()}`);
  } finally {
    clearTimeout(timer);
  }
}

/** Starts the bare node:http baseline (bench/bare-server.ts) on a free port, on `cpus` if given. */
export async function startBareServer(cpus?: string): Promise<ManagedProcess> {
  const port = await freePort();
  const child = spawn(...pinned(cpus, tsxBin, ["bench/bare-server.ts"]), {
    cwd: repoRoot,
    env: { ...process.env, PORT: String(port), HOSTNAME: "127.0.0.1" },
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  const bare = new ManagedProcess("bare", child, `http://127.0.0.1:${port}`, "bench/bare-server.ts", null);
  await waitUntilReady(bare, "/", 30_000);
  return bare;
}

/**
 * Starts the enter floor (bench/enter-floor-server.ts: the least a durable arrival costs) on a
 * free port with a fresh database, on `cpus` if given.
 */
export async function startEnterFloorServer(cpus?: string): Promise<ManagedProcess> {
  const port = await freePort();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "floodgate-floor-"));
  const child = spawn(...pinned(cpus, tsxBin, ["bench/enter-floor-server.ts"]), {
    cwd: repoRoot,
    env: {
      ...process.env,
      PORT: String(port),
      HOSTNAME: "127.0.0.1",
      DATABASE_FILE: path.join(dataDir, "floor.db"),
    },
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  const floor = new ManagedProcess(
    "enter floor",
    child,
    `http://127.0.0.1:${port}`,
    "bench/enter-floor-server.ts",
    dataDir,
  );
  await waitUntilReady(floor, "/", 30_000);
  return floor;
}

/** The command line, behind `taskset -c <cpus>` when CPUs are given (taskset execs it: same pid). */
function pinned(cpus: string | undefined, command: string, args: string[]): [string, string[]] {
  return cpus === undefined ? [command, args] : ["taskset", ["-c", cpus, command, ...args]];
}

async function waitUntilReady(proc: ManagedProcess, probePath: string, timeoutMs: number): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (proc.hasExited) {
      await proc.stop();
      throw new Error(`${proc.name} exited before it was ready:\n${proc.recentLog()}`);
    }
    try {
      const res = await request(`${proc.origin}${probePath}`, { method: "GET", headersTimeout: 2_000 });
      await res.body.dump();
      if (res.statusCode === 200) return;
    } catch {
      // Not listening yet.
    }
    await sleep(200);
  }
  await proc.stop();
  throw new Error(`${proc.name} was not ready after ${timeoutMs} ms:\n${proc.recentLog()}`);
}

function processCpuSeconds(pid: number): number | null {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    const ticks = Number(fields[11]) + Number(fields[12]);
    return ticks / 100;
  } catch {
    return null;
  }
}

function descendantsOf(root: number): number[] {
  const childrenOf = new Map<number, number[]>();
  for (const entry of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, "utf8");
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      const list = childrenOf.get(ppid) ?? [];
      list.push(Number(entry));
      childrenOf.set(ppid, list);
    } catch {
      // The process ended while we looked.
    }
  }
  const found: number[] = [];
  const queue = [root];
  while (queue.length) {
    const pid = queue.shift() as number;
    for (const child of childrenOf.get(pid) ?? []) {
      found.push(child);
      queue.push(child);
    }
  }
  return found;
}

function readCmdline(pid: number): string {
  try {
    return fs.readFileSync(`/proc/${pid}/cmdline`, "utf8").replaceAll("\0", " ");
  } catch {
    return "";
  }
}

/** CPU over one phase, in % of one core: the server, this generator, and everything else. */
export type PhaseCpu = {
  serverCpuPercent: number | null;
  generatorCpuPercent: number;
  /** Other processes on the box (other people's builds and tests skew the figures). */
  otherCpuPercent: number | null;
};

export function startCpuWatch(server: ManagedProcess): { stop(elapsedMs: number): PhaseCpu } {
  const serverStart = server.cpuSeconds();
  const generatorStart = process.cpuUsage();
  const boxStart = boxBusySeconds();
  return {
    stop(elapsedMs) {
      const serverEnd = server.cpuSeconds();
      const boxEnd = boxBusySeconds();
      const generator = process.cpuUsage(generatorStart);
      const seconds = Math.max(elapsedMs, 1) / 1000;
      const generatorSeconds = (generator.user + generator.system) / 1e6;
      const serverSeconds = serverStart !== null && serverEnd !== null ? serverEnd - serverStart : null;
      const boxSeconds = boxStart !== null && boxEnd !== null ? boxEnd - boxStart : null;
      return {
        serverCpuPercent: serverSeconds === null ? null : (serverSeconds / seconds) * 100,
        generatorCpuPercent: (generatorSeconds / seconds) * 100,
        otherCpuPercent:
          boxSeconds === null || serverSeconds === null
            ? null
            : (Math.max(0, boxSeconds - serverSeconds - generatorSeconds) / seconds) * 100,
      };
    },
  };
}

/** CPU seconds the whole box has been busy (all cores), from /proc/stat. */
function boxBusySeconds(): number | null {
  try {
    const [, ...fields] = (fs.readFileSync("/proc/stat", "utf8").split("\n")[0] ?? "").trim().split(/\s+/);
    // user, nice, system, (idle, iowait), irq, softirq; steal is the hypervisor's, not ours.
    const [user = 0, nice = 0, system = 0, , , irq = 0, softirq = 0] = fields.map(Number);
    return (user + nice + system + irq + softirq) / 100;
  } catch {
    return null;
  }
}
