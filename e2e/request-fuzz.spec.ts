import type { ChildProcess } from "node:child_process";
import { once } from "node:events";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { expect, test } from "@playwright/test";
import { freePort } from "./free-port";
import { generateRequest, type Secrets, seededRandom } from "./fuzz/request-generator";
import { spawnServer } from "./own-server";

// A hostile client's view of the whole server: thousands of seeded random requests (methods,
// request targets, headers, cookies, bodies, framing) over raw TCP, across every public and
// admin route, signed in and not. No answer may be a 5xx, no request may hang, the process
// must not die, and nothing a client sends may put a stack trace in the log.
// Runs its own server (production build, its own data dir) so it can read that server's log.
// FUZZ_SEED=<n> replays a run; FUZZ_REQUESTS=<n> changes its size.

const requestCount = Number(process.env.FUZZ_REQUESTS ?? 3_000);
const concurrency = 16;
const perRequestTimeoutMs = 15_000;
const budgetMs = 50_000;
const admin = { email: "fuzz@e2e.test", password: "fuzz admin password, not a secret" };
const metricsToken = "fuzz-metrics-token-not-a-secret";

let server: ChildProcess | undefined;
let dataDir = "";
let log = () => "";

function startServer(port: number): ChildProcess {
  const spawned = spawnServer({
    port,
    dataDir,
    captureOutput: true,
    env: {
      LOG_LEVEL: "info",
      FLOODGATE_PUBLIC_URL: `http://127.0.0.1:${port}`,
      FLOODGATE_ADMIN_EMAIL: admin.email,
      FLOODGATE_ADMIN_PASSWORD: admin.password,
      FLOODGATE_METRICS_TOKEN: metricsToken,
      FLOODGATE_DEFAULT_ROOM_CAPACITY: "1",
      // The fuzz signs in wrong on purpose, often: it must not lock its own address out of the test.
      FLOODGATE_LOGIN_FAILURES_PER_IP: "10000",
      FLOODGATE_LOGIN_FAILURES_PER_ACCOUNT: "1000",
    },
  });
  log = spawned.output;
  return spawned.child;
}

async function signIn(base: string): Promise<string> {
  const csrf = await fetch(`${base}/api/auth/csrf`);
  const { csrfToken } = (await csrf.json()) as { csrfToken: string };
  const csrfCookie = csrf.headers
    .getSetCookie()
    .map((c) => c.split(";")[0])
    .join("; ");
  const answer = await fetch(`${base}/api/auth/callback/credentials`, {
    method: "POST",
    redirect: "manual",
    headers: { "content-type": "application/x-www-form-urlencoded", cookie: csrfCookie },
    body: new URLSearchParams({ csrfToken, email: admin.email, password: admin.password, json: "true" }),
  });
  const session = answer.headers
    .getSetCookie()
    .map((c) => c.split(";")[0] ?? "")
    .find((c) => c.startsWith("next-auth.session-token="));
  expect(session, "signed in").toBeDefined();
  return (session as string).slice("next-auth.session-token=".length);
}

type Outcome = { status: number | null; closedWithoutAnswer: boolean; hung: boolean };

/** Sends the bytes and reads the first final status line (1xx skipped). */
function send(port: number, bytes: Buffer): Promise<Outcome> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: "127.0.0.1", port });
    let received = "";
    let settled = false;
    const finish = (outcome: Outcome) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      resolve(outcome);
    };
    const timer = setTimeout(
      () => finish({ status: null, closedWithoutAnswer: false, hung: true }),
      perRequestTimeoutMs,
    );
    socket.on("connect", () => socket.write(bytes, () => {}));
    socket.on("data", (chunk: Buffer) => {
      received += chunk.toString("latin1");
      for (;;) {
        const match = /^HTTP\/1\.[01] (\d{3})[^\r\n]*\r\n/.exec(received);
        if (!match) return;
        const status = Number(match[1]);
        if (status >= 200) return finish({ status, closedWithoutAnswer: false, hung: false });
        const end = received.indexOf("\r\n\r\n");
        if (end < 0) return;
        received = received.slice(end + 4);
      }
    });
    // The server may stop reading a refused body and close: what it answered before counts.
    socket.on("error", () => finish({ status: null, closedWithoutAnswer: true, hung: false }));
    socket.on("close", () => finish({ status: null, closedWithoutAnswer: true, hung: false }));
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

test("seeded request fuzz: no 5xx, no hang, no crash, no stack trace", async () => {
  test.setTimeout(150_000);
  // Drawn here, not at load: the runner and the worker both load this file.
  const seed = Number(process.env.FUZZ_SEED ?? Math.floor(Math.random() * 2 ** 31));
  test.info().annotations.push({ type: "seed", description: `FUZZ_SEED=${seed}` });
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "floodgate-fuzz-"));
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  server = startServer(port);
  await expect
    .poll(async () => (await fetch(`${base}/healthz`).catch(() => null))?.status ?? 0, { timeout: 60_000 })
    .toBe(200);
  const entered = await fetch(`${base}/api/queue/default/enter`, { method: "POST" });
  const secrets: Secrets = {
    sessionCookie: await signIn(base),
    queueToken: ((await entered.json()) as { token: string }).token,
    metricsToken,
  };
  const logBefore = log().length;

  const random = seededRandom(seed);
  const failures: string[] = [];
  const statuses = new Map<number, number>();
  let sent = 0;
  let unanswered = 0;
  const startedAt = Date.now();
  const worker = async () => {
    while (sent < requestCount && Date.now() - startedAt < budgetMs && failures.length < 20) {
      const request = generateRequest(random, secrets, port);
      const index = sent++;
      const outcome = await send(port, request.bytes);
      if (outcome.status !== null) statuses.set(outcome.status, (statuses.get(outcome.status) ?? 0) + 1);
      if (outcome.hung) failures.push(`#${index} hung (${perRequestTimeoutMs} ms): ${request.summary}`);
      else if (outcome.status !== null && outcome.status >= 500) {
        failures.push(`#${index} answered ${outcome.status}: ${request.summary}`);
      } else if (outcome.closedWithoutAnswer) unanswered++;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  const elapsedMs = Date.now() - startedAt;

  // Still alive and answering.
  const health = await fetch(`${base}/healthz`).catch(() => null);
  const fuzzLog = log().slice(logBefore);
  // A stack frame, a pino error with its stack, or Next's error marker; with the line before it.
  const logLines = fuzzLog.split("\n");
  const stackLines = logLines.flatMap((line, i) =>
    /"stack"|^\s+at \S|⨯/.test(line) ? [`${logLines[i - 1]?.slice(0, 300)} | ${line.slice(0, 500)}`] : [],
  );
  const summary = [...statuses]
    .sort(([a], [b]) => a - b)
    .map(([status, n]) => `${status}:${n}`)
    .join(" ");
  const report = `seed ${seed} (replay: FUZZ_SEED=${seed}), ${sent} requests in ${elapsedMs} ms, statuses ${summary}, closed without answer ${unanswered}`;
  test.info().annotations.push({ type: "request fuzz", description: report });
  process.stdout.write(`request fuzz: ${report}\n`);

  expect(failures, `${report}\n${failures.join("\n")}`).toEqual([]);
  expect(server.exitCode, `server exited during the fuzz; ${report}\n${fuzzLog.slice(-2_000)}`).toBeNull();
  expect(health?.status, `server stopped answering; ${report}`).toBe(200);
  expect(stackLines.slice(0, 10), `stack traces in the server log; ${report}`).toEqual([]);
  expect(sent, `too few requests within ${budgetMs} ms; ${report}`).toBeGreaterThanOrEqual(
    Math.min(requestCount, 2_000),
  );
});
