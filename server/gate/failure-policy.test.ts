import http from "node:http";
import type { AddressInfo } from "node:net";
import pino from "pino";
import { Registry } from "prom-client";
import { afterEach, describe, expect, it } from "vitest";
import { AppError } from "@/server/api/errors";
import { FailurePolicy } from "@/server/gate/failure-policy";
import { createGate } from "@/server/gate/gate";
import { emptyBranding } from "@/server/queue/branding";
import type { VisitorEngine } from "@/server/queue/engine";
import type { QueueStatus } from "@/server/queue/types";
import type { StoreFailureMode, SystemStatus } from "@/server/store/system-status";
import { createEngineFixture, type EngineFixture, idOf, testRoom } from "@/server/testing/engine-fixture";
import { testDataDir } from "@/server/testing/temp-db";
import { createAdmissionTokens } from "@/server/tokens/admission-token";
import { createQueueTokens } from "@/server/tokens/queue-token";
import { loadSecrets } from "@/server/tokens/secrets";

// The gate's failure policy over HTTP: fail-closed answers 503 + Retry-After and keeps
// everyone waiting; fail-open lets visitors through with an admission token, counted.

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
});

/** An engine whose leader cannot be reached (a cluster follower's view): every call "unavailable". */
function unreachableEngine(): VisitorEngine {
  const refuse = async (): Promise<never> => {
    throw new AppError("unavailable", "No node running the rooms can be reached.", 5);
  };
  return {
    roomSummary: (room) => ({
      room,
      name: "Shop",
      mode: "fifo",
      waiting: 0,
      full: false,
      etaSeconds: null,
      heartbeatIntervalMs: 5_000,
      defaultLanguage: null,
      branding: emptyBranding,
      challenge: "off",
    }),
    heartbeatInLine: () => null,
    resume: refuse,
    join: refuse,
    heartbeat: refuse,
    leave: refuse,
    endSessionByToken: refuse,
    requireStatus: refuse,
  };
}

async function startGate(options: {
  mode: StoreFailureMode;
  engine?: VisitorEngine;
  storeDegraded?: () => boolean;
  systemStatus?: () => SystemStatus;
}) {
  const fixture: EngineFixture = await createEngineFixture([testRoom({ id: "default", capacity: 1 })]);
  const secrets = await loadSecrets({ dataDir: testDataDir(fixture.databaseUrl) });
  const admissionTokens = await createAdmissionTokens(secrets);
  const lines: { level: number; msg: string }[] = [];
  const logger = pino({ level: "info" }, { write: (line: string) => lines.push(JSON.parse(line)) });
  const queueTokens = createQueueTokens(secrets.queueSecret);
  const policy = new FailurePolicy({
    mode: options.mode,
    admissionTokens,
    queueTokens,
    logger,
    storeDegraded: options.storeDegraded ?? (() => false),
  });
  const metrics = new Registry();
  const gate = createGate({
    engine: options.engine ?? fixture.engine,
    admissionTokens,
    logger,
    queueCookieMaxAgeS: 3600,
    publicUrlIsHttps: false,
    trustProxy: false,
    allowedOrigins: [],
    metrics,
    metricsToken: undefined,
    newPlacesPerMinutePerIp: 0,
    failurePolicy: policy,
    systemStatus: options.systemStatus,
  });
  const server = http.createServer((req, res) => {
    if (!gate.handle(req, res, () => res.writeHead(299).end("next"))) res.writeHead(298).end();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  closers.push(async () => {
    server.close();
    await fixture.store.close();
  });
  const call = async (path: string, init: RequestInit = {}) => {
    const res = await fetch(`${base}${path}`, { redirect: "manual", ...init });
    const text = await res.text();
    const json = res.headers.get("content-type")?.startsWith("application/json") ? JSON.parse(text) : null;
    return { res, text, json: json as Reply };
  };
  return { call, policy, admissionTokens, queueTokens, fixture, lines };
}

/** What the tests read from JSON answers (enter, heartbeat and error bodies together). */
type Reply = Record<string, unknown> & { token: string; admissionToken: string; state: string; status: QueueStatus };

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

describe("failure policy: fail-closed", () => {
  it("answers enter and heartbeat with 503, Retry-After and the error shape; nobody is let in", async () => {
    const { call, policy, queueTokens } = await startGate({ mode: "closed", engine: unreachableEngine() });
    const entered = await call("/api/queue/default/enter", { method: "POST" });
    expect(entered.res.status).toBe(503);
    expect(entered.res.headers.get("retry-after")).toBe("5");
    expect(entered.json).toEqual({ error: { code: "unavailable", message: expect.any(String) } });
    expect(entered.res.headers.get("set-cookie")).toBeNull();
    const beat = await call("/api/queue/default/heartbeat", {
      method: "POST",
      headers: bearer(queueTokens.issue({ jti: "visitor-1", room: "default", seq: 3 })),
    });
    expect(beat.res.status).toBe(503);
    expect(policy.failOpenAdmissions()).toBe(0);
  });
});

describe("failure policy: fail-open", () => {
  it("lets a new arrival through with an admission cookie, counted once, in the Prometheus counter", async () => {
    const { call, policy, admissionTokens, lines } = await startGate({ mode: "open", engine: unreachableEngine() });
    const entered = await call("/api/queue/default/enter", { method: "POST" });
    expect(entered.res.status).toBe(201);
    expect(entered.json.status).toMatchObject({ room: "default", state: "admitted", position: null });
    const cookies = entered.res.headers.getSetCookie();
    expect(cookies.some((c) => c.startsWith("fgq_default="))).toBe(true);
    expect(cookies.some((c) => c.startsWith("fga_default="))).toBe(true);
    expect(await admissionTokens.verifiedVisitor(entered.json.admissionToken, "default")).toBe(
      idOf(entered.json.token),
    );

    // Its heartbeats renew the pass without counting it again.
    const beat = await call("/api/queue/default/heartbeat", { method: "POST", headers: bearer(entered.json.token) });
    expect(beat.res.status).toBe(200);
    expect(beat.json).toMatchObject({ state: "admitted", admissionToken: expect.any(String) });
    expect(policy.failOpenAdmissions()).toBe(1);
    await call("/api/queue/default/enter", { method: "POST" });
    expect(policy.admissionCounts().get("default")).toBe(2);

    const metrics = await call("/metrics");
    expect(metrics.text).toContain('floodgate_fail_open_admissions_total{room="default"} 2');
    // One warning for the period, not one per visitor.
    expect(lines.filter((l) => l.level === 40).map((l) => l.msg)).toEqual([expect.stringContaining("failing open")]);
  });

  it("on the node whose store is down, lets those waiting through and gives their place back afterwards", async () => {
    let degraded = false;
    const { call, policy, fixture, lines } = await startGate({ mode: "open", storeDegraded: () => degraded });
    const inside = await call("/api/queue/default/enter", { method: "POST" });
    const waiting = await call("/api/queue/default/enter", { method: "POST" });
    expect([inside.json.status.state, waiting.json.status.state]).toEqual(["admitted", "waiting"]);
    const beat = () => call("/api/queue/default/heartbeat", { method: "POST", headers: bearer(waiting.json.token) });
    expect((await beat()).json.state).toBe("waiting");

    degraded = true;
    const passed = await beat();
    expect(passed.json).toMatchObject({ state: "admitted", admissionToken: expect.any(String) });
    expect(passed.res.headers.getSetCookie().some((c) => c.startsWith("fga_default="))).toBe(true);
    expect(policy.failOpenAdmissions()).toBe(1);
    // Not admitted by the engine: no slot taken, the place is still there.
    expect(fixture.engine.roomStats("default")).toMatchObject({ active: 1, waiting: 1 });

    degraded = false;
    expect((await beat()).json).toMatchObject({ state: "waiting", position: 1 });
    expect(lines.some((l) => l.msg.startsWith("fail-open over: 1 let through"))).toBe(true);
  });

  it("keeps failing closed for everything but 'unavailable'", async () => {
    const { call, policy } = await startGate({ mode: "open" });
    const forged = await call("/api/queue/default/heartbeat", { method: "POST", headers: bearer("x".repeat(30)) });
    expect(forged.res.status).toBe(401);
    expect(policy.failOpenAdmissions()).toBe(0);
  });
});

describe("/healthz", () => {
  it("answers 200 with the store's and the cluster's state, degraded included", async () => {
    const status: SystemStatus = {
      status: "degraded",
      store: {
        kind: "dynamodb",
        state: "degraded",
        breaker: "open",
        sinceMs: 1_800_000_000_000,
        consecutiveFailures: 5,
        lastError: "connect ECONNREFUSED",
        lastErrorAtMs: 1_800_000_000_000,
        failureMode: "closed",
      },
      cluster: { role: "single", nodeId: null, leaderUrl: null, fencingToken: null, sinceMs: 1 },
      failureMode: "closed",
      failOpenAdmissions: 0,
    };
    const { call } = await startGate({ mode: "closed", systemStatus: () => status });
    const health = await call("/healthz");
    expect(health.res.status).toBe(200);
    expect(health.json).toEqual(status);
  });
});
