import { randomUUID } from "node:crypto";
import fs from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import pino from "pino";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { ClusterNode } from "@/server/cluster/cluster-node";
import { createClusterRouter } from "@/server/cluster/cluster-router";
import { callsPath, clusterAuthHeader } from "@/server/cluster/remote-engine";
import { createGate, type GateOptions } from "@/server/gate/gate";
import { createMetricsRegistry } from "@/server/metrics/prometheus";
import { QueueEngine } from "@/server/queue/engine";
import { DynamoLease, type LeaseStore } from "@/server/store/dynamodb-lease";
import { DynamoQueueStore } from "@/server/store/dynamodb-store";
import { createDynamoClient, ensureTable } from "@/server/store/dynamodb-table";
import type { DynaliteServer } from "@/server/testing/dynalite";
import { testRoom } from "@/server/testing/room-fixture";
import { startRelay } from "@/server/testing/tcp-relay";
import { startTestDynamo } from "@/server/testing/test-dynamodb";
import { type AdmissionTokens, createAdmissionTokens } from "@/server/tokens/admission-token";
import { createQueueTokens } from "@/server/tokens/queue-token";
import { loadSecrets, placeReferencesFor, type Secrets } from "@/server/tokens/secrets";

// Two cluster nodes in one process, each with its own engine, store client, lease keeper and
// HTTP server, on one dynalite table: who leads, what a follower forwards, and a takeover when
// the leader goes dark (its lease writes and its HTTP both stop; the real SIGKILL is in
// e2e/cluster.spec.ts).

const secret = "s".repeat(40);
const leaseTtlMs = 1_500;
const logger = pino({ level: "silent" });

let dynalite: DynaliteServer;
/** Every node reaches DynamoDB through this, so a test can take DynamoDB away from all of them. */
let relay: Awaited<ReturnType<typeof startRelay>>;
let secrets: Secrets;
let admissionTokens: AdmissionTokens;
const cleanups: (() => Promise<void> | void)[] = [];

const connection = () => ({
  endpoint: relay.endpoint,
  region: "us-east-1",
  credentials: { accessKeyId: "test", secretAccessKey: "test" },
});

beforeAll(async () => {
  dynalite = await startTestDynamo();
  relay = await startRelay(Number(new URL(dynalite.endpoint).port));
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "floodgate-cluster-"));
  secrets = await loadSecrets({ dataDir });
  admissionTokens = await createAdmissionTokens(secrets);
});

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

afterAll(async () => {
  await relay?.cut();
  await dynalite?.stop();
});

async function freshTable(): Promise<string> {
  const tableName = `floodgate-cluster-${randomUUID()}`;
  const client = createDynamoClient(connection());
  await ensureTable(client, tableName);
  client.destroy();
  return tableName;
}

/** A lease store that can be cut off, as a node whose network went away. */
function severableLease(lease: DynamoLease) {
  let severed = false;
  const cut = () => Promise.reject(new Error("network unreachable"));
  const store: LeaseStore = {
    tryAcquire: (...args) => (severed ? cut() : lease.tryAcquire(...args)),
    renew: (...args) => (severed ? cut() : lease.renew(...args)),
    release: (...args) => (severed ? cut() : lease.release(...args)),
  };
  return { store, sever: () => (severed = true) };
}

async function startNode(tableName: string, capacity: number) {
  const store = DynamoQueueStore.open({ tableName, ...connection() });
  const engine = new QueueEngine({
    store,
    queueTokens: createQueueTokens(secrets.queueSecret),
    placeReferences: placeReferencesFor(secrets),
    admissionTokens,
    logger,
    etaWindowMs: 60_000,
    initialRooms: [testRoom({ id: "shop", capacity, heartbeatTimeoutMs: 20_000 })],
  });
  const leases = DynamoLease.open({ tableName, ...connection() });
  const lease = severableLease(leases);
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const node = new ClusterNode({
    nodeUrl: url,
    secret,
    leaseTtlMs,
    lease: lease.store,
    engine,
    setFence: (fence, onFenced) => store.setFence(fence, onFenced),
    lead: () => engine.start(),
    follow: () => engine.unload(),
    logger,
  });
  const gateOptions: GateOptions = {
    engine,
    admissionTokens,
    logger,
    queueCookieMaxAgeS: 3600,
    publicUrlIsHttps: false,
    trustProxy: false,
    allowedOrigins: [],
    metrics: createMetricsRegistry(engine),
    metricsToken: undefined,
    newPlacesPerMinutePerIp: 0,
  };
  const gate = createGate(gateOptions);
  const router = createClusterRouter({
    node,
    followerGate: createGate({ ...gateOptions, engine: node.remote }),
    secret,
    logger,
  });
  server.on("request", (req, res) =>
    router.route(req, res, "203.0.113.9", () => {
      if (!gate.handle(req, res, () => res.writeHead(200).end(`page from ${url}`))) res.writeHead(404).end();
    }),
  );
  const ticker = setInterval(() => void engine.tick().catch(() => undefined), 50);
  let dark = false;
  let stopped = false;
  const stop = async () => {
    clearInterval(ticker);
    router.close();
    if (!dark && !stopped) await node.stop();
    server.closeAllConnections();
    server.close();
    await store.close();
    leases.close();
  };
  cleanups.push(stop);
  await node.start();
  let forwardedRequests = 0;
  server.on("request", (req) => {
    if (req.url === callsPath) forwardedRequests++;
  });
  return {
    url,
    node,
    engine,
    forwardedRequests: () => forwardedRequests,
    /** Stops as on SIGTERM: steps down and releases the lease (HTTP stays up to see the rest). */
    async stopGracefully() {
      stopped = true;
      await node.stop();
    },
    /** Goes dark: no HTTP, no lease writes; its keeper steps down when its lease could expire. */
    goDark() {
      dark = true;
      lease.sever();
      server.closeAllConnections();
      server.close();
    },
  };
}

type Node = Awaited<ReturnType<typeof startNode>>;

async function post(base: string, route: string, token?: string) {
  const res = await fetch(`${base}${route}`, {
    method: "POST",
    headers: token ? { authorization: `Bearer ${token}` } : {},
  });
  const text = await res.text();
  return { status: res.status, body: JSON.parse(text || "null"), retryAfter: res.headers.get("retry-after") };
}

async function until<T>(what: () => T | Promise<T>, timeoutMs = 10_000): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await what();
    if (value) return value as NonNullable<T>;
    if (Date.now() > deadline) throw new Error("timed out waiting");
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function leaderAndFollower(tableName: string, capacity: number): Promise<[Node, Node]> {
  const a = await startNode(tableName, capacity);
  const b = await startNode(tableName, capacity);
  await until(() => a.node.isLeading() && b.node.status().role === "follower");
  return [a, b];
}

describe("a cluster of two nodes", () => {
  it("has one leader; the follower serves the queue API through it and passes other requests on", async () => {
    const [leader, follower] = await leaderAndFollower(await freshTable(), 1);
    expect(follower.node.isLeading()).toBe(false);
    expect(follower.node.leaderUrl()).toBe(leader.url);
    expect(follower.engine.roomIds()).toEqual([]);
    expect(leader.node.status()).toMatchObject({ role: "leader", leaderUrl: leader.url, fencingToken: 1 });

    // Visitors on both nodes share one line: places in order, one admitted (capacity 1).
    const first = await post(leader.url, "/api/queue/shop/enter");
    const second = await post(follower.url, "/api/queue/shop/enter");
    const third = await post(follower.url, "/api/queue/shop/enter");
    expect([first.status, second.status, third.status]).toEqual([201, 201, 201]);
    expect(first.body.status.state).toBe("admitted");
    expect(second.body.status).toMatchObject({ state: "waiting", position: 1 });
    expect(third.body.status).toMatchObject({ state: "waiting", position: 2 });
    // A heartbeat through the other node than the one entered: the same place.
    const beat = await post(leader.url, "/api/queue/shop/heartbeat", third.body.token);
    expect(beat.body).toMatchObject({ state: "waiting", position: 2 });
    expect(beat.body.hold).toBe(true);
    const beatHere = await post(follower.url, "/api/queue/shop/heartbeat", second.body.token);
    expect(beatHere.body).toMatchObject({ state: "waiting", position: 1 });
    // A follower holds nothing: it answers a held heartbeat at once and says so (hold: false),
    // so the page goes back to its plain heartbeat instead of asking again at once.
    const heldAt = Date.now();
    const heldHere = await post(follower.url, "/api/queue/shop/heartbeat?hold=5000", second.body.token);
    expect(heldHere.body).toMatchObject({ state: "waiting", position: 1, hold: false });
    expect(Date.now() - heldAt).toBeLessThan(2_000);
    expect(leader.engine.roomStats("shop")).toMatchObject({ waiting: 2, active: 1 });

    // Errors keep their code and status through the forwarding.
    const unknownRoom = await post(follower.url, "/api/queue/nope/enter");
    expect(unknownRoom.status).toBe(404);
    expect(unknownRoom.body.error.code).toBe("room_not_found");

    // The admitted visitor leaves through the follower; the next in line goes in.
    await post(follower.url, "/api/queue/shop/leave", first.body.token);
    await until(
      async () => (await post(follower.url, "/api/queue/shop/heartbeat", second.body.token)).body.state === "admitted",
    );

    // Room summaries come from the leader's list.
    await until(async () => (await fetch(`${follower.url}/api/queue/shop`)).status === 200);
    // Pages are the leader's.
    expect(await (await fetch(`${follower.url}/wait/shop`)).text()).toBe(`page from ${leader.url}`);
  });

  it("forwards the calls made together in one request, not one each", async () => {
    const [leader, follower] = await leaderAndFollower(await freshTable(), 0);
    const tokens: string[] = [];
    for (let i = 0; i < 20; i++) tokens.push((await post(follower.url, "/api/queue/shop/enter")).body.token);
    const before = leader.forwardedRequests();
    // 400 heartbeats filed in the same moment (as a busy follower's requests are).
    const beats = await Promise.all(
      Array.from({ length: 400 }, (_, i) => follower.node.remote.heartbeat("shop", tokens[i % 20] as string)),
    );
    expect(leader.forwardedRequests() - before).toBe(1);
    expect(beats.every((b) => b.status.state === "paused")).toBe(true);
    expect(beats.slice(0, 20).map((b) => b.status.position)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    // And over HTTP, many at once: the same answers.
    const overHttp = await Promise.all(tokens.map((t) => post(follower.url, "/api/queue/shop/heartbeat", t)));
    expect(overHttp.map((b) => b.body.position)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
  });

  it("refuses node-to-node calls without the cluster secret, and on a node that does not lead", async () => {
    const [leader, follower] = await leaderAndFollower(await freshTable(), 1);
    const calls = JSON.stringify({ calls: [{ op: "join", room: "shop" }] });
    const headers = { "content-type": "application/json" };
    const noSecret = await fetch(`${leader.url}${callsPath}`, { method: "POST", body: calls, headers });
    expect(noSecret.status).toBe(401);
    const wrong = await fetch(`${leader.url}${callsPath}`, {
      method: "POST",
      body: calls,
      headers: { ...headers, [clusterAuthHeader]: "x".repeat(40) },
    });
    expect(wrong.status).toBe(401);
    const notLeader = await fetch(`${follower.url}${callsPath}`, {
      method: "POST",
      body: calls,
      headers: { ...headers, [clusterAuthHeader]: secret },
    });
    expect(notLeader.status).toBe(503);
    const bad = await fetch(`${leader.url}${callsPath}`, {
      method: "POST",
      body: JSON.stringify({ calls: [{ op: "drop-table", room: "shop" }] }),
      headers: { ...headers, [clusterAuthHeader]: secret },
    });
    expect(bad.status).toBe(400);
    expect((await bad.json()).error.code).toBe("invalid_body");
    const notJson = await fetch(`${leader.url}${callsPath}`, {
      method: "POST",
      body: "calls=join",
      headers: { ...headers, [clusterAuthHeader]: secret },
    });
    expect(notJson.status).toBe(400);
    const tooLarge = await fetch(`${leader.url}${callsPath}`, {
      method: "POST",
      body: JSON.stringify({ calls: [{ op: "join", room: "shop" }], pad: "x".repeat(3 * 1024 * 1024) }),
      headers: { ...headers, [clusterAuthHeader]: secret },
    });
    expect(tooLarge.status).toBe(413);
    expect((await tooLarge.json()).error.code).toBe("payload_too_large");
    expect(leader.engine.roomStats("shop").arrivedTotal).toBe(0);
  });

  it("moves to the other node when the leader goes dark; every place is kept and nobody is let in twice", async () => {
    const [leader, follower] = await leaderAndFollower(await freshTable(), 2);
    const entered: { token: string; status: { state: string } }[] = [];
    for (let i = 0; i < 6; i++)
      entered.push((await post(i % 2 ? follower.url : leader.url, "/api/queue/shop/enter")).body);
    expect(entered.map((e) => e.status.state)).toEqual(["admitted", "admitted", ...Array(4).fill("waiting")]);

    leader.goDark();
    // Until the new leader has loaded the rooms, the follower asks visitors to retry.
    const during = await post(follower.url, "/api/queue/shop/heartbeat", (entered[2] as { token: string }).token);
    expect([200, 503]).toContain(during.status);
    if (during.status === 503) expect(during.retryAfter).toBe("2");

    const startedAt = Date.now();
    await until(() => follower.node.isLeading(), 10_000);
    // Within the lease's ttl and one attempt (and the load), as documented.
    expect(Date.now() - startedAt).toBeLessThan(leaseTtlMs * 2 + 1_000);
    expect(follower.node.status()).toMatchObject({ role: "leader", fencingToken: 2 });
    await until(() => !leader.node.isLeading());

    // The same places, in the same order; the two inside are still inside.
    const statuses = await Promise.all(
      entered.map(async (e) => (await post(follower.url, "/api/queue/shop/heartbeat", e.token)).body),
    );
    expect(statuses.map((s) => s.state)).toEqual(["admitted", "admitted", "waiting", "waiting", "waiting", "waiting"]);
    expect(statuses.slice(2).map((s) => s.position)).toEqual([1, 2, 3, 4]);
    expect(follower.engine.roomStats("shop")).toMatchObject({ active: 2, waiting: 4, admittedTotal: 2 });

    // The old leader stepped down on its own and forgot the rooms (its writes are fenced anyway).
    expect(leader.engine.roomIds()).toEqual([]);
  });

  it("hands the rooms over at once when the leader stops (a rolling restart)", async () => {
    const [leader, follower] = await leaderAndFollower(await freshTable(), 1);
    const first = await post(follower.url, "/api/queue/shop/enter");
    const second = await post(leader.url, "/api/queue/shop/enter");
    const stoppedAt = Date.now();
    await leader.stopGracefully();
    expect(leader.engine.roomIds()).toEqual([]);
    await until(() => follower.node.isLeading(), 5_000);
    // The released lease is taken at the next attempt (every ttl / 3), not after it expires.
    expect(Date.now() - stoppedAt).toBeLessThan(leaseTtlMs);
    const after = await post(follower.url, "/api/queue/shop/heartbeat", second.body.token);
    expect(after.body).toMatchObject({ state: "waiting", position: 1 });
    expect((await post(follower.url, "/api/queue/shop/heartbeat", first.body.token)).body.state).toBe("admitted");
  });

  it("survives DynamoDB going away for everyone: no leader meanwhile, then every place kept", async () => {
    const [leader, follower] = await leaderAndFollower(await freshTable(), 1);
    const entered: { token: string; status: { state: string } }[] = [];
    for (let i = 0; i < 4; i++)
      entered.push((await post(i % 2 ? follower.url : leader.url, "/api/queue/shop/enter")).body);
    expect(entered.map((e) => e.status.state)).toEqual(["admitted", "waiting", "waiting", "waiting"]);

    await relay.cut();
    // Nobody can renew the lease: the leader steps down before it could expire, and no node leads.
    await until(() => !leader.node.isLeading() && !follower.node.isLeading(), 5_000);
    await until(() => leader.node.status().role === "electing" && follower.node.status().role === "electing", 5_000);
    const meanwhile = await post(follower.url, "/api/queue/shop/heartbeat", (entered[1] as { token: string }).token);
    expect(meanwhile.status).toBe(503);
    expect(meanwhile.body.error.code).toBe("unavailable");
    expect(meanwhile.retryAfter).toBe("2");
    const newcomer = await post(leader.url, "/api/queue/shop/enter");
    expect(newcomer.status).toBe(503);

    await relay.restore();
    const next = await until(() => [leader, follower].find((n) => n.node.isLeading()), 10_000);
    const other = next === leader ? follower : leader;
    expect(next.node.status().fencingToken).toBeGreaterThan(1);
    // Every place as it was: the one inside is still inside, the line in the same order.
    const statuses = await until(async () => {
      const answers = await Promise.all(entered.map((e) => post(other.url, "/api/queue/shop/heartbeat", e.token)));
      return answers.every((a) => a.status === 200) ? answers.map((a) => a.body) : null;
    }, 10_000);
    expect(statuses.map((s) => s.state)).toEqual(["admitted", "waiting", "waiting", "waiting"]);
    expect(statuses.slice(1).map((s) => s.position)).toEqual([1, 2, 3]);
    expect(next.engine.roomStats("shop")).toMatchObject({ active: 1, waiting: 3, arrivedTotal: 4 });
  });
});
