import { execFile } from "node:child_process";
import { randomUUID } from "node:crypto";
import fs from "node:fs";
import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import {
  DynamoDBDocumentClient,
  GetCommand,
  QueryCommand,
  ScanCommand,
  TransactWriteCommand,
  UpdateCommand,
} from "@aws-sdk/lib-dynamodb";
import pino from "pino";
import { describe, expect, it } from "vitest";
import { emptyBranding } from "@/server/queue/branding";
import { QueueEngine } from "@/server/queue/engine";
import type { RoomConfig } from "@/server/queue/types";
import { DynamoLease } from "@/server/store/dynamodb-lease";
import { DynamoQueueStore, type DynamoQueueStoreOptions, StoreFencedError } from "@/server/store/dynamodb-store";
import { ensureTable } from "@/server/store/dynamodb-table";
import { StoreConflictError } from "@/server/store/queue-store";
import { runQueueStoreContract } from "@/server/store/queue-store.contract";
import { ManualClock, testRoom } from "@/server/testing/room-fixture";
import { dynamoTestbed, foreignDynamoEndpoint, suiteDynamoFaults } from "@/server/testing/test-dynamodb";
import { createAdmissionTokens } from "@/server/tokens/admission-token";
import { createQueueTokens } from "@/server/tokens/queue-token";
import { loadSecrets, placeReferencesFor } from "@/server/tokens/secrets";

const bed = dynamoTestbed();
const connection = () => bed.connection();
const freshTable = () => bed.freshTable();
const node = (tableName: string, options: Partial<DynamoQueueStoreOptions> = {}) => bed.openStore(tableName, options);

const room = (overrides: Partial<RoomConfig> = {}): RoomConfig => ({
  id: "r1",
  name: "Room r1",
  capacity: 5,
  heartbeatIntervalMs: 5_000,
  heartbeatTimeoutMs: 20_000,
  maxQueueLength: 10_000,
  mode: "fifo",
  protectedPaths: ["/shop"],
  newUsersPerMinute: null,
  sessionDurationSeconds: null,
  sessionRenewal: false,
  typicalVisitSeconds: null,
  bypassCidrs: [],
  bypassApiKeys: false,
  bypassUncounted: false,
  challenge: "off",
  challengeDifficulty: 50_000,
  blockedCidrs: [],
  infiniteLine: false,
  defaultLanguage: null,
  branding: emptyBranding,
  ...overrides,
});
const enteredAtMs = 1_800_000_000_000;
const arrival = (id: string) => ({ id, initialAhead: 0, enteredAtMs });
const ids = (n: number, prefix = "v") => Array.from({ length: n }, (_, i) => `${prefix}${i}`);

runQueueStoreContract(
  "DynamoDB (dynalite)",
  async () => DynamoQueueStore.open({ tableName: await freshTable(), ...connection() }),
  // 13 s measured here with the box busy (load 6): 2,500 entries are 25 transactions of 100
  // items and 100 batch writes through dynalite.
  { bulkTimeoutMs: 90_000 },
);

describe("DynamoQueueStore on a shared table", () => {
  const raw = () => DynamoDBDocumentClient.from(bed.admin);

  it("never admits past capacity when two nodes admit at once", async () => {
    const table = await freshTable();
    const [a, b] = [node(table), node(table)];
    await a.ensureRoom(room({ capacity: 5 }));
    await a.enter("r1", ids(20).map(arrival));
    const results = await Promise.allSettled(
      ids(20).map((id, i) => (i % 2 ? b : a).admit("r1", [{ id, admissionNo: i + 1, admittedAtMs: enteredAtMs }], 5)),
    );
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(5);
    for (const r of results) if (r.status === "rejected") expect(r.reason).toBeInstanceOf(StoreConflictError);
    const state = await b.loadRoomState("r1");
    expect(state.counters).toMatchObject({ active: 5, admittedTotal: 5 });
    expect(state.entries.filter((e) => e.state === "admitted")).toHaveLength(5);
  });

  it("hands out unique places and counts each removal once when two nodes race", async () => {
    const table = await freshTable();
    const [a, b] = [node(table), node(table)];
    await a.ensureRoom(room({ capacity: 100 }));
    const seqs = await Promise.all(
      ids(100).map((id, i) => (i % 2 ? b : a).enter("r1", [arrival(id)]).then(([seq]) => seq)),
    );
    expect([...seqs].sort((x, y) => (x ?? 0) - (y ?? 0))).toEqual(Array.from({ length: 100 }, (_, i) => i + 1));
    await a.admit(
      "r1",
      ids(30).map((id, i) => ({ id, admissionNo: i + 1, admittedAtMs: enteredAtMs })),
      100,
    );
    // Overlapping removals (v40..v59 filed by both nodes), admitted and waiting alike.
    await Promise.all([
      a.remove(
        "r1",
        ids(60).map((id) => ({ id, reason: "expired" as const })),
      ),
      b.remove(
        "r1",
        ids(100)
          .slice(40)
          .map((id) => ({ id, reason: "expired" as const })),
      ),
    ]);
    const state = await a.loadRoomState("r1");
    expect(state.entries).toEqual([]);
    expect(state.counters).toMatchObject({ arrivedTotal: 100, active: 0, expiredTotal: 100, admittedTotal: 30 });
  });

  it("loads a room whose stored branding fails its check without it, and says so once", async () => {
    const table = await freshTable();
    const warnings: unknown[] = [];
    const store = node(table, { logger: { warn: (...args: unknown[]) => warnings.push(args) } });
    await store.ensureRoom(room());
    await raw().send(
      new UpdateCommand({
        TableName: table,
        Key: { pk: "ROOMS", sk: "ROOM#r1" },
        UpdateExpression: "SET branding = :b, defaultLanguage = :l",
        ExpressionAttributeValues: { ":b": { accentColor: "red" }, ":l": "tlh" },
      }),
    );
    expect((await store.listRooms())[0]).toMatchObject({ id: "r1", defaultLanguage: null, branding: emptyBranding });
    await store.listRooms();
    expect(warnings).toHaveLength(2);
    expect(JSON.stringify(warnings)).toMatch(/branding: accentColor/);
  });

  it("writes a TTL attribute on entries and renews it on admission", async () => {
    const table = await freshTable();
    const store = node(table);
    await store.ensureRoom(room());
    await store.enter("r1", [arrival("a")]);
    const key = { pk: "ROOM#r1", sk: "ENTRY#a" };
    const read = async () =>
      (await raw().send(new GetCommand({ TableName: table, Key: key, ConsistentRead: true }))).Item;
    expect((await read())?.expiresAt).toBe(enteredAtMs / 1000 + 86_400);
    await store.admit("r1", [{ id: "a", admissionNo: 1, admittedAtMs: enteredAtMs + 60_000 }], 5);
    expect(await read()).toMatchObject({ state: "admitted", expiresAt: enteredAtMs / 1000 + 60 + 86_400 });
  });

  it("pages, batches and splits beyond DynamoDB's per-call limits, and a deletion leaves nothing", async () => {
    const table = await freshTable();
    const store = node(table, { queryPageSize: 100 });
    await store.ensureRoom(room({ capacity: 1_000 }));
    await store.ensureRoom(room({ id: "other" }));
    // Only the dynalite front counts transactions; elsewhere the counts go unchecked.
    // Exact counts only without injected faults: a retried transaction is one more request.
    const exact = !foreignDynamoEndpoint && !suiteDynamoFaults;
    const transactionsSoFar = exact ? bed.server.transactions() : 0;
    const expectTransactions = (count: number) => {
      if (exact) expect(bed.server.transactions() - transactionsSoFar).toBe(count);
    };
    const one = await store.enter("r1", ids(250, "a").map(arrival));
    expectTransactions(3);
    // Concurrent single arrivals share one place reservation (a batch), in order, 100 per transaction.
    const many = await Promise.all(ids(250, "b").map((id) => store.enter("r1", [arrival(id)])));
    expectTransactions(6);
    expect(one).toEqual(Array.from({ length: 250 }, (_, i) => i + 1));
    expect(many.flat()).toEqual(Array.from({ length: 250 }, (_, i) => 251 + i));
    // 150 admissions in one call: two transactions.
    await store.admit(
      "r1",
      ids(150, "a").map((id, i) => ({ id, admissionNo: i + 1, admittedAtMs: enteredAtMs })),
      1_000,
    );
    expectTransactions(8);
    let state = await store.loadRoomState("r1");
    expect(state.entries).toHaveLength(500);
    expect(state.entries.map((e) => e.seq)).toEqual(Array.from({ length: 500 }, (_, i) => i + 1));
    expect(state.counters).toMatchObject({ active: 150, admittedTotal: 150, nextAdmission: 151, nextSeq: 501 });
    await store.remove(
      "r1",
      ids(200, "a").map((id) => ({ id, reason: "left" as const })),
    );
    state = await store.loadRoomState("r1");
    expect(state.entries).toHaveLength(300);
    expect(state.counters).toMatchObject({ active: 0, leftTotal: 200 });

    await store.deleteRoom("r1");
    const left = await raw().send(
      new QueryCommand({
        TableName: table,
        KeyConditionExpression: "pk = :pk",
        ExpressionAttributeValues: { ":pk": "ROOM#r1" },
      }),
    );
    expect(left.Items).toEqual([]);
    const everything = await raw().send(new ScanCommand({ TableName: table }));
    expect(everything.Items?.map((item) => `${item.pk}/${item.sk}`).sort()).toEqual([
      "ROOM#other/ARRIVALS",
      "ROOM#other/COUNTERS",
      "ROOMS/ROOM#other",
      "ROOMS/SEQUENCE",
    ]);
  });

  it("takes back the first part of a long admission when a later part is refused", async () => {
    const table = await freshTable();
    const store = node(table);
    await store.ensureRoom(room({ capacity: 1_000 }));
    await store.enter("r1", ids(150).map(arrival));
    await store.admit("r1", [{ id: "v120", admissionNo: 1, admittedAtMs: enteredAtMs }], 1_000);
    await expect(
      store.admit(
        "r1",
        ids(150).map((id, i) => ({ id, admissionNo: i + 2, admittedAtMs: enteredAtMs })),
        1_000,
      ),
    ).rejects.toBeInstanceOf(StoreConflictError);
    const state = await store.loadRoomState("r1");
    expect(state.counters).toMatchObject({ active: 1, admittedTotal: 1 });
    expect(state.entries.filter((e) => e.state === "admitted").map((e) => e.id)).toEqual(["v120"]);
    expect(state.entries.find((e) => e.id === "v0")).toMatchObject({ admissionNo: null, admittedAtMs: null });
  });

  it("declares the admissions it can write in one transaction, with room for the fence", () => {
    expect(node("unused").maxAdmissionBatch).toBe(98);
  });

  it("refuses every write of a node fenced with a lease another node has taken over, and writes nothing", async () => {
    const table = await freshTable();
    const [a, b] = [node(table), node(table)];
    const leases = DynamoLease.open({ tableName: table, ...connection() });
    try {
      const first = await leases.tryAcquire("CLUSTER", "node-a", 1_000, 1_000);
      if (!first.held) throw new Error("node-a should hold the lease");
      const fenced: StoreFencedError[] = [];
      await a.setFence({ leaseName: "CLUSTER", holderId: "node-a", fencingToken: first.fencingToken }, (e) =>
        fenced.push(e),
      );
      await a.ensureRoom(room({ capacity: 10 }));
      await a.enter("r1", ids(250).map(arrival));
      await a.admit("r1", [{ id: "v0", admissionNo: 1, admittedAtMs: enteredAtMs }], 10);

      // node-a stalls past its lease; node-b takes over (token + 1).
      const second = await leases.tryAcquire("CLUSTER", "node-b", 1_000, 5_000);
      if (!second.held) throw new Error("node-b should have taken the lease over");
      await b.setFence({ leaseName: "CLUSTER", holderId: "node-b", fencingToken: second.fencingToken });
      const before = await b.loadRoomState("r1");

      await expect(a.admit("r1", [{ id: "v1", admissionNo: 2, admittedAtMs: enteredAtMs }], 10)).rejects.toBeInstanceOf(
        StoreFencedError,
      );
      await expect(a.remove("r1", [{ id: "v2", reason: "left" }])).rejects.toBeInstanceOf(StoreFencedError);
      await expect(a.enter("r1", [arrival("late")])).rejects.toBeInstanceOf(StoreFencedError);
      expect(fenced.length).toBeGreaterThanOrEqual(3);
      const after = await b.loadRoomState("r1");
      expect(after.entries).toEqual(before.entries);
      expect(after.counters).toMatchObject({ active: 1, admittedTotal: 1, leftTotal: 0 });

      // The new holder writes as usual, with no extra item in its transactions: the fence is
      // a condition on the room's counters, which they write anyway.
      bed.server.resetCounters();
      await b.enter("r1", [arrival("w1")]);
      await b.admit("r1", [{ id: "v1", admissionNo: 2, admittedAtMs: enteredAtMs }], 10);
      await b.remove(
        "r1",
        ids(250)
          .slice(100)
          .map((id) => ({ id, reason: "left" as const })),
      );
      expect((await b.loadRoomState("r1")).counters).toMatchObject({ active: 2, leftTotal: 150 });
      if (!foreignDynamoEndpoint && !suiteDynamoFaults) {
        expect(bed.server.counters().transactionItems.ConditionCheck).toBeUndefined();
        // The lone arrival is a plain conditional put (dynamodb-cost.test.ts), fenced by the
        // place counter's update before it.
        expect(bed.server.counters().transactionItems.Put).toBeUndefined();
        expect(bed.server.counters().operations.PutItem?.items).toBe(1);
      }
    } finally {
      leases.close();
    }
  });
});

describe("the engine on DynamoDB", () => {
  it("admits within capacity, frees a slot on eviction and restores its line after a restart", async () => {
    const table = await freshTable();
    const clock = new ManualClock();
    const start = async () => {
      const secrets = await loadSecrets({ dataDir: secretsDir });
      const engine = new QueueEngine({
        store: node(table),
        queueTokens: createQueueTokens(secrets.queueSecret),
        placeReferences: placeReferencesFor(secrets),
        admissionTokens: await createAdmissionTokens(secrets),
        logger: pino({ level: "silent" }),
        initialRooms: [testRoom({ capacity: 2 })],
        etaWindowMs: 300_000,
        clock: clock.now,
      });
      await engine.start();
      return engine;
    };
    const secretsDir = fs.mkdtempSync(path.join(os.tmpdir(), "floodgate-dynamo-engine-"));
    const engine = await start();
    const visitors = [];
    for (let i = 0; i < 5; i++) visitors.push(await engine.enter("test", undefined));
    expect(visitors.map((v) => v.status.state)).toEqual(["admitted", "admitted", "waiting", "waiting", "waiting"]);
    const first = engine.listTokens("test", { state: "admitted", offset: 0, limit: 10 }).items[0];
    await engine.evict("test", first?.id ?? "");
    await engine.tick();
    expect(engine.roomStats("test")).toMatchObject({ active: 2, waiting: 2, evictedTotal: 1 });

    const restarted = await start();
    expect(restarted.roomStats("test")).toMatchObject({ active: 2, waiting: 2, arrivedTotal: 5, admittedTotal: 3 });
    const last = await restarted.heartbeat("test", visitors[4]?.token ?? "");
    expect(last.status).toMatchObject({ state: "waiting", position: 2 });
  });
});

describe("DynamoDB table setup", () => {
  it("creates the table once, and says the TTL API is missing on dynalite", async () => {
    const tableName = `floodgate-setup-${randomUUID()}`;
    // dynalite has no TTL API; a foreign endpoint (moto, DynamoDB) has one.
    const timeToLive = foreignDynamoEndpoint ? expect.stringMatching(/^enabl/) : "unsupported";
    expect(await ensureTable(bed.admin, tableName)).toEqual({ created: true, timeToLive });
    expect(await ensureTable(bed.admin, tableName)).toEqual({ created: false, timeToLive });
  });

  it("runs as npm run dynamodb:setup", async () => {
    const tableName = `floodgate-cli-${randomUUID()}`;
    const { stdout } = await promisify(execFile)(
      process.execPath,
      [
        createRequire(import.meta.url).resolve("tsx/cli"),
        "server/cli/dynamodb-setup.ts",
        "--table",
        tableName,
        "--endpoint",
        bed.server.endpoint,
        "--region",
        "us-east-1",
      ],
      { env: { ...process.env, AWS_ACCESS_KEY_ID: "test", AWS_SECRET_ACCESS_KEY: "test" }, timeout: 20_000 },
    );
    expect(stdout).toContain(`Created DynamoDB table ${tableName}`);
    expect(await ensureTable(bed.admin, tableName)).toMatchObject({ created: false });
  });
});

describe("the dynalite test server's transactions", () => {
  it("are all or nothing, with a reason per item", async () => {
    const table = await freshTable();
    const doc = DynamoDBDocumentClient.from(bed.admin);
    await expect(
      doc.send(
        new TransactWriteCommand({
          TransactItems: [
            { Put: { TableName: table, Item: { pk: "t", sk: "1", n: 1 } } },
            { Put: { TableName: table, Item: { pk: "t", sk: "2" }, ConditionExpression: "attribute_exists(pk)" } },
          ],
        }),
      ),
    ).rejects.toMatchObject({
      name: "TransactionCanceledException",
      CancellationReasons: [{ Code: "None" }, { Code: "ConditionalCheckFailed" }],
    });
    expect((await doc.send(new ScanCommand({ TableName: table }))).Items).toEqual([]);
    await expect(
      doc.send(
        new TransactWriteCommand({
          TransactItems: [
            { Put: { TableName: table, Item: { pk: "t", sk: "1" } } },
            { Delete: { TableName: table, Key: { pk: "t", sk: "1" } } },
          ],
        }),
      ),
    ).rejects.toMatchObject({ name: "ValidationException" });
    await expect(
      doc.send(
        new TransactWriteCommand({
          TransactItems: ids(101).map((id) => ({ Put: { TableName: table, Item: { pk: "t", sk: id } } })),
        }),
      ),
    ).rejects.toMatchObject({ name: "ValidationException" });
  });
});
