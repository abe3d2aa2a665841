import { describe, expect, it } from "vitest";
import { openDatabase } from "@/server/db/database";
import { WalSync } from "@/server/db/wal-sync";
import { emptyBranding } from "@/server/queue/branding";
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
  it("answers no arrival before the WAL is synced; arrivals meanwhile commit together once it ends", async (context) => {
    const url = tempDatabaseUrl();
    if (!url.startsWith("file:")) context.skip();
    const syncs: (() => void)[] = [];
    const walSync = new WalSync(() => new Promise<void>((resolve) => syncs.push(resolve)));
    const db = await openDatabase(url);
    const store = new SqliteQueueStore(db, { walSync });
    const ids = async () =>
      (await db.queueEntry.findMany({ where: { roomId: "r1" }, select: { id: true } })).map((r) => r.id).sort();
    try {
      await store.ensureRoom(testRoom({ id: "r1", capacity: 10 }));
      const answered: string[] = [];
      const first = store.enter("r1", [{ id: "a", initialAhead: 0, enteredAtMs: 1 }]).then(() => answered.push("a"));
      await new Promise((resolve) => setTimeout(resolve, 20));
      expect(await ids()).toEqual(["a"]);
      // Arriving while a's sync runs: held, and committed as one when it ends.
      const later = ["b", "c"].map((id) =>
        store.enter("r1", [{ id, initialAhead: 0, enteredAtMs: 1 }]).then(() => answered.push(id)),
      );
      await new Promise((resolve) => setTimeout(resolve, 20));
      expect(await ids()).toEqual(["a"]);
      expect(answered).toEqual([]);
      syncs.shift()?.();
      await first;
      expect(answered).toEqual(["a"]);
      await new Promise((resolve) => setTimeout(resolve, 20));
      // Committed, and not answered before their own sync.
      expect(await ids()).toEqual(["a", "b", "c"]);
      expect(answered).toEqual(["a"]);
      expect(syncs).toHaveLength(1);
      syncs.shift()?.();
      await Promise.all(later);
      expect(answered).toEqual(["a", "b", "c"]);
    } finally {
      await store.close();
    }
  });

  it("puts a slow disk's flood of arrivals into one commit per sync", async (context) => {
    const url = tempDatabaseUrl();
    if (!url.startsWith("file:")) context.skip();
    let commits = 0;
    // Every commit asks for a sync; each sync takes 30 ms, as on a slow disk.
    const walSync = new (class extends WalSync {
      override request(path: string): Promise<void> {
        commits++;
        return super.request(path);
      }
    })(() => new Promise<void>((resolve) => setTimeout(resolve, 30)));
    const store = new SqliteQueueStore(await openDatabase(url), { walSync });
    try {
      await store.ensureRoom(testRoom({ id: "r1", capacity: 10, maxQueueLength: 10_000 }));
      // 300 arrivals, a few each millisecond over 100 ms: about four syncs' worth.
      const arrivals: Promise<unknown>[] = [];
      for (let ms = 0; ms < 100; ms++) {
        for (let k = 0; k < 3; k++) {
          arrivals.push(store.enter("r1", [{ id: `v${ms}-${k}`, initialAhead: 0, enteredAtMs: ms }]));
        }
        await new Promise((resolve) => setTimeout(resolve, 1));
      }
      await Promise.all(arrivals);
      // One commit per sync (and the first, before any sync ran): a commit per turn would be dozens.
      expect(commits).toBeGreaterThanOrEqual(2);
      expect(commits).toBeLessThanOrEqual(8);
      const { entries } = await store.loadRoomState("r1");
      expect(entries).toHaveLength(300);
    } finally {
      await store.close();
    }
  });
});

describe("SqliteQueueStore and a stored branding that fails its check", () => {
  it("loads the room without it and says so once", async () => {
    const url = tempDatabaseUrl();
    const warnings: unknown[] = [];
    const db = await openDatabase(url);
    const store = new SqliteQueueStore(db, { logger: { warn: (...args: unknown[]) => warnings.push(args) } });
    try {
      await store.ensureRoom(testRoom({ id: "r1" }));
      // What a hand edit, or a rollback to a build with other rules, could leave behind.
      await db.room.update({
        where: { id: "r1" },
        data: { branding: '{"logoUrl":"javascript:alert(1)"}', defaultLanguage: "tlh" },
      });
      const [loaded] = await store.listRooms();
      expect(loaded).toMatchObject({ id: "r1", defaultLanguage: null, branding: emptyBranding });
      await store.listRooms();
      expect(warnings).toHaveLength(2);
      expect(JSON.stringify(warnings)).toMatch(/branding: logoUrl/);
      expect(JSON.stringify(warnings)).toMatch(/tlh.{0,4} is not a language/);
    } finally {
      await store.close();
    }
  });
});
