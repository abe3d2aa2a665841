import { describe, expect, it } from "vitest";
import { openDatabase } from "@/server/db/database";
import { WalSync } from "@/server/db/wal-sync";
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

describe("SqliteQueueStore's durability (WAL, synchronous=FULL)", () => {
  it("answers no arrival before the WAL is synced, and commits the next batch meanwhile", async (context) => {
    const url = tempDatabaseUrl();
    if (!url.startsWith("file:")) context.skip();
    const syncs: (() => void)[] = [];
    const walSync = new WalSync(() => new Promise<void>((resolve) => syncs.push(resolve)));
    const db = await openDatabase(url);
    const store = new SqliteQueueStore(db, { walSync });
    try {
      await store.ensureRoom(testRoom({ id: "r1", capacity: 10 }));
      const answered: string[] = [];
      const first = store.enter("r1", [{ id: "a", initialAhead: 0, enteredAtMs: 1 }]).then(() => answered.push("a"));
      await new Promise((resolve) => setTimeout(resolve, 20));
      // Committed while its sync runs: the second arrival commits too, and waits for the next sync.
      const second = store.enter("r1", [{ id: "b", initialAhead: 0, enteredAtMs: 1 }]).then(() => answered.push("b"));
      await new Promise((resolve) => setTimeout(resolve, 20));
      const rows = await db.queueEntry.findMany({ where: { roomId: "r1" }, select: { id: true } });
      expect(rows.map((r) => r.id).sort()).toEqual(["a", "b"]);
      expect(answered).toEqual([]);
      syncs.shift()?.();
      await first;
      expect(answered).toEqual(["a"]);
      await new Promise((resolve) => setTimeout(resolve, 20));
      syncs.shift()?.();
      await second;
      expect(answered).toEqual(["a", "b"]);
    } finally {
      await store.close();
    }
  });
});
