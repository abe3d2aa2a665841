import { beforeEach, describe, expect, it } from "vitest";
import type { DynamoQueueStore } from "@/server/store/dynamodb-store";
import { StoreConflictError } from "@/server/store/queue-store";
import { testRoom } from "@/server/testing/room-fixture";
import { dynamoTestbed, foreignDynamoEndpoint } from "@/server/testing/test-dynamodb";

// What an arrival is billed, counted by the dynalite front by DynamoDB's on-demand rules
// (server/testing/dynalite-billing.ts). At a long line's steady pace arrivals come one at a
// time: a one-item transaction would bill the entry twice.

const bed = dynamoTestbed();

beforeEach((ctx) => {
  if (foreignDynamoEndpoint) ctx.skip("reads the dynalite front's counters");
});

async function openRoom(): Promise<DynamoQueueStore> {
  const store = bed.openStore(await bed.freshTable("floodgate-cost"));
  await store.ensureRoom(testRoom({ id: "r1", capacity: 5, maxQueueLength: 10_000 }));
  bed.server.setFaults({});
  bed.server.resetCounters();
  return store;
}

const arrival = (id: string) => ({ id, initialAhead: 0, enteredAtMs: 1_800_000_000_000 });

describe("what an arrival costs on DynamoDB", () => {
  it("bills a lone arrival 2 write units: the place counter and one conditional put, no transaction", async () => {
    const store = await openRoom();
    expect(await store.enter("r1", [arrival("a")])).toEqual([1]);
    const counters = bed.server.counters();
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

  it("keeps a lone arrival whose put landed but whose answer was lost (the SDK's retry meets its own item)", async () => {
    const store = await openRoom();
    bed.server.setFaults({ lostReply: 1, only: ["PutItem"] });
    expect(await store.enter("r1", [arrival("a")])).toEqual([1]);
    bed.server.setFaults({});
    expect(bed.server.counters().operations.PutItem?.requests).toBeGreaterThanOrEqual(2);
    // A later arrival with the same id is still refused: it holds another place.
    await expect(store.enter("r1", [arrival("a")])).rejects.toBeInstanceOf(StoreConflictError);
    const { entries } = await store.loadRoomState("r1");
    expect(entries.map((e) => [e.id, e.seq])).toEqual([["a", 1]]);
  });

  it("writes arrivals that come together as one transaction, all or none", async () => {
    const store = await openRoom();
    const places = await Promise.all(["a", "b", "c"].map((id) => store.enter("r1", [arrival(id)])));
    expect(places.flat().sort()).toEqual([1, 2, 3]);
    const counters = bed.server.counters();
    expect(counters.operations.TransactWriteItems?.items).toBe(3);
    expect(counters.operations.PutItem).toBeUndefined();
  });
});
