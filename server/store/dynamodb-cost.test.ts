import { randomUUID } from "node:crypto";
import type { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { DynamoQueueStore } from "@/server/store/dynamodb-store";
import { createDynamoClient, ensureTable } from "@/server/store/dynamodb-table";
import { StoreConflictError } from "@/server/store/queue-store";
import type { DynaliteServer } from "@/server/testing/dynalite";
import { testRoom } from "@/server/testing/room-fixture";
import { foreignDynamoEndpoint, startTestDynamo } from "@/server/testing/test-dynamodb";

// What an arrival is billed, counted by the dynalite front by DynamoDB's on-demand rules
// (server/testing/dynalite-billing.ts). At a long line's steady pace arrivals come one at a
// time: a one-item transaction would bill the entry twice.

let server: DynaliteServer;
let client: DynamoDBClient;

beforeAll(async () => {
  if (foreignDynamoEndpoint) return;
  server = await startTestDynamo();
  client = createDynamoClient({
    endpoint: server.endpoint,
    region: "us-east-1",
    credentials: { accessKeyId: "test", secretAccessKey: "test" },
  });
});

beforeEach((ctx) => {
  if (foreignDynamoEndpoint) ctx.skip("reads the dynalite front's counters");
});

afterAll(async () => {
  client?.destroy();
  await server?.stop();
});

async function openRoom(): Promise<DynamoQueueStore> {
  const tableName = `floodgate-cost-${randomUUID()}`;
  await ensureTable(client, tableName);
  const store = new DynamoQueueStore(client, { tableName });
  await store.ensureRoom(testRoom({ id: "r1", capacity: 5, maxQueueLength: 10_000 }));
  server.setFaults({});
  server.resetCounters();
  return store;
}

const arrival = (id: string) => ({ id, initialAhead: 0, enteredAtMs: 1_800_000_000_000 });

describe("what an arrival costs on DynamoDB", () => {
  it("bills a lone arrival 2 write units: the place counter and one conditional put, no transaction", async () => {
    const store = await openRoom();
    expect(await store.enter("r1", [arrival("a")])).toEqual([1]);
    const counters = server.counters();
    expect(counters.operations.TransactWriteItems).toBeUndefined();
    expect(counters.operations.PutItem).toMatchObject({ requests: 1, writeUnits: 1 });
    expect(counters.writeUnits).toBe(2);
    expect((await store.loadRoomState("r1")).entries.map((e) => [e.id, e.seq])).toEqual([["a", 1]]);
  });

  it("refuses a second place for the same visitor alone as it did in a transaction, writing no entry", async () => {
    const store = await openRoom();
    await store.enter("r1", [arrival("a")]);
    await expect(store.enter("r1", [arrival("a")])).rejects.toBeInstanceOf(StoreConflictError);
    const { entries } = await store.loadRoomState("r1");
    expect(entries.map((e) => [e.id, e.seq])).toEqual([["a", 1]]);
  });

  it("writes arrivals that come together as one transaction, all or none", async () => {
    const store = await openRoom();
    const places = await Promise.all(["a", "b", "c"].map((id) => store.enter("r1", [arrival(id)])));
    expect(places.flat().sort()).toEqual([1, 2, 3]);
    const counters = server.counters();
    expect(counters.operations.TransactWriteItems?.items).toBe(3);
    expect(counters.operations.PutItem).toBeUndefined();
  });
});
