import pino from "pino";
import { afterEach, describe, expect, it } from "vitest";
import { QueueEngine } from "@/server/queue/engine";
import type { Admission, QueueStore } from "@/server/store/queue-store";
import { SqliteQueueStore } from "@/server/store/sqlite-store";
import { ManualClock, testRoom } from "@/server/testing/engine-fixture";
import { tempDatabaseUrl, testDataDir } from "@/server/testing/temp-db";
import { createAdmissionTokens } from "@/server/tokens/admission-token";
import { createQueueTokens } from "@/server/tokens/queue-token";
import { loadSecrets, placeReferencesFor } from "@/server/tokens/secrets";

// A store that writes at most a few admissions atomically (DynamoDB: 99 per transaction) is
// never handed more at once; the rest follow on the next ticks.

const stores: QueueStore[] = [];
afterEach(async () => {
  for (const store of stores.splice(0)) await store.close();
});

async function engineOn(maxAdmissionBatch: number | undefined) {
  const databaseUrl = tempDatabaseUrl();
  const inner = await SqliteQueueStore.open(databaseUrl);
  const batches: number[] = [];
  // The SQLite store with a declared limit, recording the size of every admission write.
  const store: QueueStore = Object.assign(Object.create(inner) as QueueStore, {
    maxAdmissionBatch,
    admit(roomId: string, admissions: Admission[], capacity: number) {
      batches.push(admissions.length);
      return inner.admit(roomId, admissions, capacity);
    },
  });
  stores.push(store);
  const secrets = await loadSecrets({ dataDir: testDataDir(databaseUrl) });
  const engine = new QueueEngine({
    store,
    queueTokens: createQueueTokens(secrets.queueSecret),
    placeReferences: placeReferencesFor(secrets),
    admissionTokens: await createAdmissionTokens(secrets),
    logger: pino({ level: "silent" }),
    initialRooms: [testRoom({ capacity: 0 })],
    etaWindowMs: 300_000,
    clock: new ManualClock().now,
  });
  await engine.start();
  for (let i = 0; i < 10; i++) await engine.enter("test", undefined);
  return { engine, batches };
}

describe("QueueEngine admission batches", () => {
  it("admits at most the store's declared batch per write", async () => {
    const { engine, batches } = await engineOn(3);
    await engine.updateRoom("test", { capacity: 8 });
    await engine.tick();
    expect(engine.roomStats("test").active).toBe(3);
    await engine.tick();
    await engine.tick();
    expect(batches).toEqual([3, 3, 2]);
    expect(engine.roomStats("test")).toMatchObject({ active: 8, waiting: 2 });
  });

  it("caps passthrough admissions the same way", async () => {
    const { engine, batches } = await engineOn(4);
    await engine.updateRoom("test", { mode: "passthrough" });
    for (let i = 0; i < 3; i++) await engine.tick();
    expect(batches).toEqual([4, 4, 2]);
    expect(engine.roomStats("test")).toMatchObject({ active: 10, waiting: 0 });
  });

  it("takes a whole capacity raise in one write when the store declares no limit", async () => {
    const { engine, batches } = await engineOn(undefined);
    await engine.updateRoom("test", { capacity: 8 });
    await engine.tick();
    expect(batches).toEqual([8]);
  });
});
