import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect } from "@playwright/test";

// A server process of a spec's own (not the shared one from playwright.config.ts): its own
// port and data directory, so the spec can kill and restart it on the same data.

export type SpawnedServer = { child: ChildProcess /** What it printed so far (when captured). */; output(): string };

/**
 * server/main.ts in production mode on 127.0.0.1:`port` over `dataDir`: node itself with tsx as
 * a loader (the tsx CLI would be a wrapper whose SIGKILL leaves the real server running, and
 * holding the port, as an orphan). `wrapper` runs it under another command (e.g. prlimit).
 */
export function spawnServer(options: {
  port: number;
  dataDir: string;
  env?: Record<string, string>;
  wrapper?: string[];
  captureOutput?: boolean;
}): SpawnedServer {
  const { port, dataDir, env = {}, wrapper = [], captureOutput = false } = options;
  const argv = [...wrapper, process.execPath, "--import", "tsx", "server/main.ts"];
  const child = spawn(argv[0] as string, argv.slice(1), {
    env: {
      ...process.env,
      NODE_ENV: "production",
      NEXT_TELEMETRY_DISABLED: "1",
      PORT: String(port),
      HOSTNAME: "127.0.0.1",
      LOG_LEVEL: "warn",
      FLOODGATE_DATA_DIR: dataDir,
      DATABASE_URL: `file:${path.join(dataDir, "floodgate.db")}`,
      ...env,
    },
    stdio: captureOutput ? ["ignore", "pipe", "pipe"] : "ignore",
  });
  let output = "";
  const keep = (chunk: Buffer) => {
    output += chunk.toString();
  };
  child.stdout?.on("data", keep);
  child.stderr?.on("data", keep);
  return { child, output: () => output };
}

export type OwnServer = {
  readonly base: string;
  /** Starts the process (making the data directory on first start) and waits for /healthz. */
  start(): Promise<void>;
  /** Kills the process (SIGKILL by default: no shutdown work at all) and waits for it to exit. */
  kill(signal?: NodeJS.Signals): Promise<void>;
  /** Kills it if still running and removes the data directory. */
  dispose(): Promise<void>;
};

export function ownServer(port: number, env: Record<string, string>, dataDirPrefix = "floodgate-own-"): OwnServer {
  const base = `http://127.0.0.1:${port}`;
  // Made at first start, not at load: spec files are also loaded by the runner to list tests.
  let dataDir = "";
  let child: ChildProcess | undefined;

  const running = () => child !== undefined && child.exitCode === null && child.signalCode === null;

  async function kill(signal: NodeJS.Signals = "SIGKILL") {
    if (!child || !running()) return;
    const exited = once(child, "exit");
    child.kill(signal);
    await exited;
  }

  return {
    base,
    async start() {
      if (!dataDir) {
        // Nothing may be listening yet, or the spec would talk to someone else's server.
        expect(await fetch(`${base}/healthz`).catch(() => null), `port ${port} is free`).toBeNull();
        dataDir = fs.mkdtempSync(path.join(os.tmpdir(), dataDirPrefix));
      }
      child = spawnServer({ port, dataDir, env }).child;
      await expect
        .poll(async () => (await fetch(`${base}/healthz`).catch(() => null))?.status ?? 0, { timeout: 60_000 })
        .toBe(200);
    },
    kill,
    async dispose() {
      await kill();
      if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
