import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect, test } from "@playwright/test";

// kill -9 loses nothing: every place and admission a visitor was told about is there after a
// restart, and the capacity still holds. Runs its own server process (not the shared one).

const port = 3322;
const base = `http://127.0.0.1:${port}`;
// Made in the test, not at load: spec files are also loaded by the runner to list tests.
let dataDir = "";

function startServer(): ChildProcess {
  // node itself, with tsx as a loader: the tsx CLI would be a wrapper whose SIGKILL leaves
  // the real server running (and holding the port) as an orphan.
  const child = spawn(process.execPath, ["--import", "tsx", "server/main.ts"], {
    env: {
      ...process.env,
      NODE_ENV: "production",
      PORT: String(port),
      HOSTNAME: "127.0.0.1",
      LOG_LEVEL: "warn",
      FLOODGATE_DATA_DIR: dataDir,
      DATABASE_URL: `file:${path.join(dataDir, "floodgate.db")}`,
      FLOODGATE_DEFAULT_ROOM_CAPACITY: "3",
      FLOODGATE_DEFAULT_ROOM_HEARTBEAT_INTERVAL_MS: "1000",
      FLOODGATE_DEFAULT_ROOM_HEARTBEAT_TIMEOUT_MS: "30000",
    },
    stdio: "ignore",
  });
  return child;
}

async function waitUntilUp() {
  await expect
    .poll(async () => (await fetch(`${base}/healthz`).catch(() => null))?.status ?? 0, { timeout: 60_000 })
    .toBe(200);
}

async function heartbeat(token: string) {
  const res = await fetch(`${base}/api/queue/default/heartbeat`, {
    method: "POST",
    headers: { authorization: `Bearer ${token}` },
  });
  return { status: res.status, body: (await res.json()) as { state?: string; position?: number | null } };
}

let server: ChildProcess | undefined;

async function killServer() {
  if (!server || server.exitCode !== null || server.signalCode !== null) return;
  const exited = once(server, "exit");
  server.kill("SIGKILL");
  await exited;
}

test.afterAll(async () => {
  await killServer();
  if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
});

test("a SIGKILL loses no place and no admission, and capacity holds after restart", async () => {
  test.setTimeout(120_000);
  // Nothing may be listening yet, or the test would talk to someone else's server.
  expect(await fetch(`${base}/healthz`).catch(() => null), `port ${port} is free`).toBeNull();
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "floodgate-crash-"));
  server = startServer();
  await waitUntilUp();

  const tokens: string[] = [];
  for (let i = 0; i < 12; i++) {
    const res = await fetch(`${base}/api/queue/default/enter`, { method: "POST" });
    expect(res.status).toBe(201);
    tokens.push(((await res.json()) as { token: string }).token);
  }
  await expect.poll(async () => (await heartbeat(tokens[2] as string)).body.state).toBe("admitted");
  const before = await Promise.all(tokens.map(heartbeat));
  expect(before.map((b) => b.body.state)).toEqual([...Array(3).fill("admitted"), ...Array(9).fill("waiting")]);

  // Arrivals in flight when the process dies: whoever got an answer must still have a place.
  const inFlight = Array.from({ length: 40 }, () =>
    fetch(`${base}/api/queue/default/enter`, { method: "POST" })
      .then(async (res) => (res.status === 201 ? ((await res.json()) as { token: string }).token : null))
      .catch(() => null),
  );
  await new Promise((resolve) => setTimeout(resolve, 30));
  await killServer();
  const answered = (await Promise.all(inFlight)).filter((t): t is string => t !== null);

  server = startServer();
  await waitUntilUp();
  const after = await Promise.all(tokens.map(heartbeat));
  expect(after.map((a) => a.body.state)).toEqual(before.map((b) => b.body.state));
  expect(after.map((a) => a.body.position)).toEqual(before.map((b) => b.body.position));
  for (const token of answered) expect((await heartbeat(token)).status).toBe(200);

  const metrics = await (await fetch(`${base}/metrics`)).text();
  expect(metrics).toMatch(/floodgate_room_active\{room="default"\} 3\b/);
  expect(metrics).toMatch(/floodgate_room_max_active_observed\{room="default"\} 3\b/);
});
