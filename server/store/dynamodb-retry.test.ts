import { randomUUID } from "node:crypto";
import type { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient, QueryCommand } from "@aws-sdk/lib-dynamodb";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { DynamoQueueStore } from "@/server/store/dynamodb-store";
import { createDynamoClient, ensureTable } from "@/server/store/dynamodb-table";
import type { DynaliteServer, DynamoCounters } from "@/server/testing/dynalite";
import { parseFaultSpec } from "@/server/testing/dynalite-faults";
import { testRoom } from "@/server/testing/room-fixture";
import { foreignDynamoEndpoint, startTestDynamo } from "@/server/testing/test-dynamodb";

// Every retry path of the DynamoDB store, driven through by faults the dynalite front injects
// (server/testing/dynalite-faults.ts), each test asserting the fault happened and the outcome
// is exact. Who retries what (server/store/README.md, "Retries"):
// - the SDK (maxAttempts 4, dynamodb-table.ts): throttled plain requests, dropped connections,
//   5xx; a TransactWriteItems retried by it carries the same ClientRequestToken;
// - the store: transactions cancelled by TransactionConflict / ThrottlingError /
//   ProvisionedThroughputExceeded, single writes refused with TransactionConflictException,
//   unprocessed BatchGetItem / BatchWriteItem items, and removals whose entries changed
//   after they were read.

let server: DynaliteServer;
let admin: DynamoDBClient;
const opened: { close(): Promise<void> | void }[] = [];
const clients: DynamoDBClient[] = [];

const connection = (endpoint = server.endpoint) => ({
  endpoint,
  region: "us-east-1",
  credentials: { accessKeyId: "test", secretAccessKey: "test" },
});

beforeAll(async () => {
  if (foreignDynamoEndpoint) return;
  server = await startTestDynamo();
  admin = createDynamoClient(connection());
});

beforeEach((ctx) => {
  if (foreignDynamoEndpoint) ctx.skip("injects faults through the dynalite front");
});

afterEach(async () => {
  server?.setFaults({});
  for (const store of opened.splice(0)) await store.close();
});

afterAll(async () => {
  for (const c of clients) c.destroy();
  admin?.destroy();
  await server?.stop();
});

async function freshTable(): Promise<string> {
  const tableName = `floodgate-retry-${randomUUID()}`;
  await ensureTable(admin, tableName);
  return tableName;
}

/** A store on its own client (as a node has), which the test may instrument. */
function node(tableName: string): { store: DynamoQueueStore; client: DynamoDBClient } {
  const client = createDynamoClient(connection());
  clients.push(client);
  const store = new DynamoQueueStore(client, { tableName });
  opened.push(store);
  return { store, client };
}

const room = (capacity: number) =>
  testRoom({ id: "r1", name: "Room r1", capacity, maxQueueLength: 10_000, protectedPaths: [] });
const enteredAtMs = 1_800_000_000_000;
const arrival = (id: string) => ({ id, initialAhead: 0, enteredAtMs });
const ids = (n: number, prefix = "v") => Array.from({ length: n }, (_, i) => `${prefix}${i}`);
const admission = (id: string, admissionNo: number) => ({ id, admissionNo, admittedAtMs: enteredAtMs });

/** Faults on from now (after the table and room exist), counters zeroed. */
function inject(spec: string): void {
  server.setFaults(parseFaultSpec(spec));
  server.resetCounters();
}
const events = (): DynamoCounters["events"] => server.counters().events;

/**
 * A room's life through the store: 99 arrivals (one transaction), 20 admissions one by one, 10
 * of them leaving and 5 waiting ones expiring, a room setting changed; then checks it all.
 */
async function roomLife(store: DynamoQueueStore): Promise<void> {
  const seqs = await store.enter("r1", ids(99).map(arrival));
  expect(seqs).toEqual(Array.from({ length: 99 }, (_, i) => i + 1));
  for (const [i, id] of ids(20).entries()) await store.admit("r1", [admission(id, i + 1)], 20);
  await store.remove("r1", [
    ...ids(10).map((id) => ({ id, reason: "left" as const })),
    ...ids(99)
      .slice(90)
      .slice(0, 5)
      .map((id) => ({ id, reason: "expired" as const })),
  ]);
  await store.updateRoom("r1", { capacity: 30 });
  const state = await store.loadRoomState("r1");
  expect(state.counters).toMatchObject({ active: 10, admittedTotal: 20, leftTotal: 10, expiredTotal: 5 });
  expect(state.entries).toHaveLength(84);
  expect(state.entries.filter((e) => e.state === "admitted").map((e) => e.id)).toEqual(ids(20).slice(10));
  expect((await store.listRooms())[0]?.capacity).toBe(30);
}

describe("the store's own retries", () => {
  it("retries transactions cancelled by TransactionConflict", async () => {
    const { store } = node(await freshTable());
    await store.ensureRoom(room(20));
    inject("conflict=0.3,only=TransactWriteItems,seed=11");
    await roomLife(store);
    expect(events().injectedConflicts).toBeGreaterThan(3);
  });

  it("retries transactions cancelled by ThrottlingError", async () => {
    const { store } = node(await freshTable());
    await store.ensureRoom(room(20));
    inject("throttle=0.3,only=TransactWriteItems,seed=12");
    await roomLife(store);
    expect(events().injectedThrottles).toBeGreaterThan(3);
  });

  it("retries single writes refused with TransactionConflictException (place reservations, room updates)", async () => {
    const { store } = node(await freshTable());
    await store.ensureRoom(room(20));
    inject("conflict=0.3,only=UpdateItem,seed=13");
    const seqs: number[] = [];
    for (const id of ids(30)) seqs.push(...(await store.enter("r1", [arrival(id)])));
    expect(seqs).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
    for (const capacity of [21, 22, 23, 24, 25]) await store.updateRoom("r1", { capacity });
    expect((await store.listRooms())[0]?.capacity).toBe(25);
    expect(events().injectedConflicts).toBeGreaterThan(3);
  });

  it("reads again the entries a BatchGetItem left unprocessed before removing them", async () => {
    const { store } = node(await freshTable());
    await store.ensureRoom(room(50));
    await store.enter("r1", ids(99).map(arrival));
    await store.admit(
      "r1",
      ids(40).map((id, i) => admission(id, i + 1)),
      50,
    );
    inject("unprocessed=0.25,only=BatchGetItem,seed=14");
    await store.remove(
      "r1",
      ids(99).map((id) => ({ id, reason: "expired" as const })),
    );
    expect(events().injectedUnprocessed).toBeGreaterThan(0);
    const state = await store.loadRoomState("r1");
    expect(state.entries).toEqual([]);
    expect(state.counters).toMatchObject({ active: 0, expiredTotal: 99, admittedTotal: 40 });
  });

  it("sends again the deletions a BatchWriteItem left unprocessed when a room is deleted", async () => {
    const table = await freshTable();
    const { store } = node(table);
    await store.ensureRoom(room(5));
    await store.enter("r1", ids(99).map(arrival));
    inject("unprocessed=0.15,only=BatchWriteItem,seed=15");
    await store.deleteRoom("r1");
    expect(events().injectedUnprocessed).toBeGreaterThan(0);
    const left = await DynamoDBDocumentClient.from(admin).send(
      new QueryCommand({
        TableName: table,
        KeyConditionExpression: "pk = :pk",
        ExpressionAttributeValues: { ":pk": "ROOM#r1" },
        ConsistentRead: true,
      }),
    );
    expect(left.Items).toEqual([]);
  });

  it("reads an entry again when it changed between the read and the removal (another node admitted it)", async () => {
    const table = await freshTable();
    const a = node(table);
    const b = node(table);
    await a.store.ensureRoom(room(5));
    await a.store.enter("r1", ids(3).map(arrival));
    // Node b admits v1 right after node a has read the states it is about to remove.
    let interleave: (() => Promise<void>) | null = () => b.store.admit("r1", [admission("v1", 1)], 5);
    a.client.middlewareStack.add(
      (next, context) => async (args) => {
        const out = await next(args);
        if (context.commandName === "BatchGetItemCommand" && interleave) {
          const run = interleave;
          interleave = null;
          await run();
        }
        return out;
      },
      { step: "initialize", name: "admitAfterRead" },
    );
    server.resetCounters();
    await a.store.remove(
      "r1",
      ids(3).map((id) => ({ id, reason: "left" as const })),
    );
    expect(interleave).toBeNull();
    // One removal cancelled (v1 no longer waiting), then read again and removed as admitted.
    expect(server.counters().cancelledTransactions).toBe(1);
    const state = await a.store.loadRoomState("r1");
    expect(state.entries).toEqual([]);
    expect(state.counters).toMatchObject({ active: 0, admittedTotal: 1, leftTotal: 3 });
  });
});

describe("the SDK's retries, which the store relies on", () => {
  it("throttled plain requests (ThrottlingException, ProvisionedThroughputExceededException)", async () => {
    const { store } = node(await freshTable());
    await store.ensureRoom(room(20));
    inject("throttle=0.2,only=GetItem+Query+UpdateItem+BatchGetItem+BatchWriteItem,seed=16");
    for (const id of ids(10)) await store.enter("r1", [arrival(id)]);
    await store.admit("r1", [admission("v0", 1)], 20);
    await store.remove("r1", [{ id: "v0", reason: "left" }]);
    const state = await store.loadRoomState("r1");
    expect(state.counters).toMatchObject({ nextSeq: 11, active: 0, leftTotal: 1 });
    await store.deleteRoom("r1");
    expect(await store.listRooms()).toEqual([]);
    expect(events().injectedThrottles).toBeGreaterThan(1);
  });

  it("a transaction whose answer was lost: retried with the same token, applied once", async () => {
    const { store } = node(await freshTable());
    await store.ensureRoom(room(10));
    inject("lostReply=0.5,only=TransactWriteItems,seed=17");
    await store.enter("r1", ids(30).map(arrival));
    // Replayed admissions must not read as "no longer waiting", nor count twice.
    for (const [i, id] of ids(10).entries()) await store.admit("r1", [admission(id, i + 1)], 10);
    await store.remove(
      "r1",
      ids(5).map((id) => ({ id, reason: "left" as const })),
    );
    const state = await store.loadRoomState("r1");
    expect(state.counters).toMatchObject({ active: 5, admittedTotal: 10, leftTotal: 5, arrivedTotal: 30 });
    expect(state.entries).toHaveLength(25);
    expect(events().injectedLostReplies).toBeGreaterThan(2);
    expect(events().idempotentReplays).toBe(events().injectedLostReplies);
  });
});
