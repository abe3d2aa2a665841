import { describe, expect, it } from "vitest";
import { runQueueStoreContract } from "@/server/store/queue-store.contract";
import { SqliteQueueStore } from "@/server/store/sqlite-store";
import { testRoom } from "@/server/testing/room-fixture";
import { tempDatabaseUrl } from "@/server/testing/temp-db";

runQueueStoreContract("SQLite (Prisma)", async () => SqliteQueueStore.open(tempDatabaseUrl()));

describe("SqliteQueueStore's group commit under a flood", () => {
  it("commits an admission and a removal queued behind thousands of arrivals ahead of most of them", async () => {
    const store = await SqliteQueueStore.open(tempDatabaseUrl());
    try {
      await store.ensureRoom(testRoom({ id: "r1", capacity: 10, maxQueueLength: 100_000 }));
      await store.enter(
        "r1",
        ["a", "b"].map((id) => ({ id, initialAhead: 0, enteredAtMs: 1 })),
      );
      const order: string[] = [];
      const arrivals = Array.from({ length: 3_000 }, (_, i) =>
        store.enter("r1", [{ id: `v${i}`, initialAhead: 0, enteredAtMs: 2 }]).then(() => order.push(`v${i}`)),
      );
      const admitted = store
        .admit("r1", [{ id: "a", admissionNo: 1, admittedAtMs: 3 }], 10)
        .then(() => order.push("admit"));
      const removed = store.remove("r1", [{ id: "b", reason: "left" }]).then(() => order.push("remove"));
      await Promise.all([...arrivals, admitted, removed]);
      // One commit takes at most 500 arrivals: the admission and removal ride in the first one.
      expect(order.indexOf("admit")).toBeLessThanOrEqual(500);
      expect(order.indexOf("remove")).toBeLessThanOrEqual(501);
      // Arrivals keep their order and places.
      const { entries, counters } = await store.loadRoomState("r1");
      expect(entries.filter((e) => e.id.startsWith("v")).map((e) => e.id)).toEqual(
        Array.from({ length: 3_000 }, (_, i) => `v${i}`),
      );
      expect(counters).toMatchObject({ active: 1, admittedTotal: 1, leftTotal: 1, arrivedTotal: 3_002 });
    } finally {
      await store.close();
    }
  });
});
