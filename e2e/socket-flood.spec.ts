import { type ChildProcess, execFileSync } from "node:child_process";
import { once } from "node:events";
import fs from "node:fs";
import http from "node:http";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { expect, test } from "@playwright/test";
import { freePort } from "./free-port";
import { spawnServer } from "./own-server";

// An attacker holding idle sockets must not cost a visitor its place. The server runs with a
// 256 open-file limit (prlimit), and 127.0.0.1 opens 1,100 sockets that never send a byte,
// reopening each one the server closes. A visitor on 127.0.0.2 heartbeats on a new connection
// each time, and another arrives on 127.0.0.3: every request is answered. Before the guard the
// accepts failed with EMFILE and a visitor's heartbeats failed until its place expired.

const attackerSockets = 1_100;
const fileLimit = 256;
let server: ChildProcess | undefined;
let dataDir = "";
let log = () => "";

function hasPrlimit(): boolean {
  try {
    execFileSync("prlimit", ["--version"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}

/** One request on a connection of its own from `localAddress`. */
function call(port: number, localAddress: string, method: string, urlPath: string, token?: string) {
  return new Promise<{ status: number; body: string }>((resolve, reject) => {
    const req = http.request(
      {
        host: "127.0.0.1",
        port,
        localAddress,
        method,
        path: urlPath,
        agent: false,
        timeout: 5_000,
        headers: token ? { authorization: `Bearer ${token}` } : {},
      },
      (res) => {
        let body = "";
        res.on("data", (chunk: Buffer) => {
          body += chunk.toString();
        });
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
      },
    );
    req.on("timeout", () => req.destroy(new Error("timed out")));
    req.on("error", reject);
    req.end();
  });
}

test.afterAll(async () => {
  if (server && server.exitCode === null && server.signalCode === null) {
    const exited = once(server, "exit");
    server.kill("SIGTERM");
    await exited;
  }
  if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
});

test("1,100 idle sockets under a 256 file limit: visitors keep their place and get in", async () => {
  test.skip(!hasPrlimit(), "needs prlimit (util-linux) to lower the server's open-file limit");
  test.setTimeout(120_000);
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "floodgate-sockets-"));
  const port = await freePort();
  const spawned = spawnServer({
    port,
    dataDir,
    wrapper: ["prlimit", `--nofile=${fileLimit}:${fileLimit}`],
    captureOutput: true,
    env: {
      FLOODGATE_DEFAULT_ROOM_CAPACITY: "0",
      FLOODGATE_DEFAULT_ROOM_HEARTBEAT_INTERVAL_MS: "1000",
      FLOODGATE_DEFAULT_ROOM_HEARTBEAT_TIMEOUT_MS: "4000",
    },
  });
  server = spawned.child;
  log = spawned.output;
  await expect
    .poll(async () => (await call(port, "127.0.0.2", "GET", "/healthz").catch(() => null))?.status ?? 0, {
      timeout: 60_000,
    })
    .toBe(200);

  const entered = await call(port, "127.0.0.2", "POST", "/api/queue/default/enter");
  expect(entered.status).toBe(201);
  const token = (JSON.parse(entered.body) as { token: string }).token;

  // The attacker: 1,100 sockets that never send anything, each reopened 50 ms after it is closed.
  let attacking = true;
  let attackerOpen = 0;
  let attackerClosedByServer = 0;
  const attackerAll = new Set<net.Socket>();
  const openAttacker = () => {
    if (!attacking) return;
    const socket = net.connect({ host: "127.0.0.1", port, localAddress: "127.0.0.1" });
    attackerAll.add(socket);
    socket.on("connect", () => attackerOpen++);
    socket.on("error", () => {});
    socket.on("close", (hadError) => {
      attackerAll.delete(socket);
      if (socket.connecting === false && !hadError) attackerClosedByServer++;
      attackerOpen = Math.max(0, attackerOpen - 1);
      setTimeout(openAttacker, 50);
    });
  };
  for (let i = 0; i < attackerSockets; i++) {
    openAttacker();
    if (i % 100 === 99) await new Promise((r) => setTimeout(r, 20));
  }
  await new Promise((r) => setTimeout(r, 1_000));

  try {
    // The visitor already in line: a heartbeat a second, each on a new connection, for 12 s
    // (three times the room's heartbeat timeout: a place lost to failed heartbeats would show).
    const failures: string[] = [];
    for (let i = 0; i < 12; i++) {
      const answer = await call(port, "127.0.0.2", "POST", "/api/queue/default/heartbeat", token).catch(
        (error: Error) => ({ status: 0, body: error.message }),
      );
      if (answer.status !== 200) failures.push(`heartbeat ${i}: ${answer.status} ${answer.body.slice(0, 200)}`);
      else expect(["waiting", "paused"]).toContain((JSON.parse(answer.body) as { state: string }).state);
      await new Promise((r) => setTimeout(r, 1_000));
    }
    expect(failures, `attacker sockets open ${attackerOpen}, closed by the server ${attackerClosedByServer}`).toEqual(
      [],
    );
    // A newcomer from another address gets a place.
    const newcomer = await call(port, "127.0.0.3", "POST", "/api/queue/default/enter");
    expect(newcomer.status).toBe(201);
    // The limits said so: in the metrics and in the log.
    const metrics = await call(port, "127.0.0.2", "GET", "/metrics");
    const refused = [...metrics.body.matchAll(/^floodgate_connections_refused_total\{reason="(\w+)"\} (\d+)/gm)];
    expect(refused.reduce((sum, m) => sum + Number(m[2]), 0)).toBeGreaterThan(0);
    expect(log()).toContain("connection limit reached");
  } finally {
    attacking = false;
    for (const socket of attackerAll) socket.destroy();
  }
  expect(server.exitCode).toBeNull();
});
