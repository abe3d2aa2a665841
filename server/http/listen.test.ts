import { spawn } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

// A port already in use stops the process at once with one line naming the port and what to
// do (it used to log an uncaught exception and keep running with nothing listening). The port
// is bound before anything else starts: a cluster node that cannot listen fails before it ever
// reaches the store or the lease (here both point at a closed port, and are never tried).

let holder: net.Server;
let port = 0;
let dataDir = "";

beforeAll(async () => {
  holder = net.createServer();
  await new Promise<void>((resolve) => holder.listen(0, "127.0.0.1", resolve));
  port = (holder.address() as net.AddressInfo).port;
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "floodgate-listen-"));
});

afterAll(() => {
  holder.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

function startOnHeldPort(extraEnv: Record<string, string>) {
  const child = spawn(process.execPath, ["--import", "tsx", "server/main.ts"], {
    env: {
      PATH: process.env.PATH,
      NODE_ENV: "production",
      NEXT_TELEMETRY_DISABLED: "1",
      PORT: String(port),
      HOSTNAME: "127.0.0.1",
      LOG_LEVEL: "warn",
      FLOODGATE_DATA_DIR: dataDir,
      ...extraEnv,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout.on("data", (chunk: Buffer) => {
    output += chunk.toString();
  });
  child.stderr.on("data", (chunk: Buffer) => {
    output += chunk.toString();
  });
  return new Promise<{ code: number | null; output: string }>((resolve) => {
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      resolve({ code: null, output: `${output}\n(still running after 20 s)` });
    }, 20_000);
    child.once("exit", (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}

describe("start-up on a port in use", () => {
  it("exits non-zero with one line naming the port", async () => {
    const { code, output } = await startOnHeldPort({ DATABASE_URL: `file:${path.join(dataDir, "floodgate.db")}` });
    expect(code, output).not.toBe(0);
    expect(code, output).not.toBeNull();
    const lines = output.trim().split("\n");
    expect(lines, output).toHaveLength(1);
    expect(lines[0]).toContain(`port ${port} on 127.0.0.1 is already in use`);
    expect(lines[0]).toContain("set PORT");
  }, 30_000);

  it("in cluster mode, fails before it touches the store or the lease", async () => {
    const { code, output } = await startOnHeldPort({
      FLOODGATE_CLUSTER: "1",
      FLOODGATE_STORE: "dynamodb",
      // Nothing listens on port 9: reaching the database or DynamoDB would fail differently (or hang).
      DATABASE_URL: "postgresql://floodgate:x@127.0.0.1:9/floodgate",
      FLOODGATE_DYNAMODB_ENDPOINT: "http://127.0.0.1:9",
      FLOODGATE_DYNAMODB_REGION: "us-east-1",
      AWS_ACCESS_KEY_ID: "test-not-a-key",
      AWS_SECRET_ACCESS_KEY: "test-not-a-secret",
      FLOODGATE_NODE_URL: `http://127.0.0.1:${port}`,
      FLOODGATE_PUBLIC_URL: `http://127.0.0.1:${port}`,
      FLOODGATE_CLUSTER_SECRET: "c".repeat(32),
      FLOODGATE_QUEUE_SECRET: "q".repeat(32),
      FLOODGATE_ADMISSION_PRIVATE_JWK: "{}",
    });
    expect(code, output).not.toBe(0);
    expect(code, output).not.toBeNull();
    expect(output.trim().split("\n"), output).toEqual([
      expect.stringContaining(`port ${port} on 127.0.0.1 is already in use`),
    ]);
  }, 30_000);
});
