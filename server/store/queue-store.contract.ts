import { describe, expect, it } from "vitest";
import { emptyBranding } from "@/server/queue/branding";
import { type RoomConfig, roomModes } from "@/server/queue/types";
import { type QueueStore, StoreConflictError } from "@/server/store/queue-store";

// One behaviour contract for every QueueStore implementation; each store's test file runs it.

const room = (id: string): RoomConfig => ({
  id,
  name: `Room ${id}`,
  capacity: 3,
  heartbeatIntervalMs: 5_000,
  heartbeatTimeoutMs: 20_000,
  maxQueueLength: 100,
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
});

const arrival = (id: string) => ({ id, initialAhead: 0, enteredAtMs: 1_800_000_000_000 });

/**
 * `bulkTimeoutMs`: the time the thousands-of-rows test may take. An emulator in the test process
 * (dynalite, a JavaScript DynamoDB behind a transaction front) spends seconds where a real store
 * spends milliseconds, more on a busy CI box.
 */
export function runQueueStoreContract(
  name: string,
  openStore: () => Promise<QueueStore>,
  options: { bulkTimeoutMs?: number } = {},
) {
  describe(`QueueStore contract: ${name}`, () => {
    async function withStore(test: (store: QueueStore) => Promise<void>) {
      const store = await openStore();
      try {
        await test(store);
      } finally {
        await store.close();
      }
    }

    it("creates a room once and keeps its stored settings", () =>
      withStore(async (store) => {
        const created = await store.ensureRoom(room("r1"));
        expect(created).toEqual(room("r1"));
        const again = await store.ensureRoom({ ...room("r1"), capacity: 99 });
        expect(again.capacity).toBe(3);
        expect((await store.listRooms()).map((r) => r.id)).toEqual(["r1"]);
      }));

    it("hands out consecutive, unique places under concurrent arrivals", () =>
      withStore(async (store) => {
        await store.ensureRoom(room("r1"));
        const results = await Promise.all(Array.from({ length: 50 }, (_, i) => store.enter("r1", [arrival(`v${i}`)])));
        const seqs = results.flat().sort((a, b) => a - b);
        expect(seqs).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
        const state = await store.loadRoomState("r1");
        expect(state.entries).toHaveLength(50);
        expect(state.counters).toMatchObject({ nextSeq: 51, arrivedTotal: 50, active: 0 });
      }));

    it("admits only within capacity and only waiting entries; a conflict writes nothing", () =>
      withStore(async (store) => {
        await store.ensureRoom(room("r1"));
        await store.enter("r1", ["a", "b", "c", "d", "e"].map(arrival));
        const admission = (id: string, no: number) => ({ id, admissionNo: no, admittedAtMs: 1_800_000_001_000 });
        await store.admit("r1", [admission("a", 1), admission("b", 2)], 3);
        await expect(store.admit("r1", [admission("c", 3), admission("d", 4)], 3)).rejects.toBeInstanceOf(
          StoreConflictError,
        );
        await expect(store.admit("r1", [admission("a", 3)], 3)).rejects.toBeInstanceOf(StoreConflictError);
        await expect(store.admit("r1", [admission("ghost", 3)], 3)).rejects.toBeInstanceOf(StoreConflictError);
        const state = await store.loadRoomState("r1");
        expect(state.counters).toMatchObject({ active: 2, admittedTotal: 2, nextAdmission: 3 });
        expect(state.entries.filter((e) => e.state === "admitted").map((e) => e.id)).toEqual(["a", "b"]);
        expect(state.entries.find((e) => e.id === "b")).toMatchObject({
          admissionNo: 2,
          admittedAtMs: 1_800_000_001_000,
        });
        expect(state.entries.find((e) => e.id === "c")).toMatchObject({ admissionNo: null, admittedAtMs: null });
        await store.admit("r1", [admission("c", 3)], 3);
        expect((await store.loadRoomState("r1")).counters.active).toBe(3);
      }));

    it("removes entries, freeing capacity only for admitted ones, and counts why", () =>
      withStore(async (store) => {
        await store.ensureRoom(room("r1"));
        await store.enter("r1", ["a", "b", "c"].map(arrival));
        await store.admit("r1", [{ id: "a", admissionNo: 1, admittedAtMs: 1 }], 3);
        await store.remove("r1", [
          { id: "a", reason: "left" },
          { id: "b", reason: "expired" },
          { id: "missing", reason: "expired" },
        ]);
        const state = await store.loadRoomState("r1");
        expect(state.entries.map((e) => e.id)).toEqual(["c"]);
        expect(state.counters).toMatchObject({ active: 0, leftTotal: 1, expiredTotal: 1 });
      }));

    it("fails only the bad write when concurrent writes share a commit", () =>
      withStore(async (store) => {
        await store.ensureRoom(room("r1"));
        const results = await Promise.allSettled([
          store.enter("r1", [arrival("dup")]),
          store.enter("r1", [arrival("dup")]),
          store.enter("r1", [arrival("fine")]),
        ]);
        expect(results.map((r) => r.status)).toEqual(["fulfilled", "rejected", "fulfilled"]);
        const state = await store.loadRoomState("r1");
        expect(state.entries.map((e) => e.id).sort()).toEqual(["dup", "fine"]);
        expect(state.counters.arrivedTotal).toBe(2);
      }));

    it("counts evictions apart from expiries and departures", () =>
      withStore(async (store) => {
        await store.ensureRoom(room("r1"));
        await store.enter("r1", ["a", "b", "c"].map(arrival));
        await store.admit("r1", [{ id: "a", admissionNo: 1, admittedAtMs: 1 }], 3);
        await store.remove("r1", [
          { id: "a", reason: "evicted" },
          { id: "b", reason: "evicted" },
        ]);
        // Filed twice (a retry): counted once.
        await store.remove("r1", [{ id: "b", reason: "evicted" }]);
        const state = await store.loadRoomState("r1");
        expect(state.entries.map((e) => e.id)).toEqual(["c"]);
        expect(state.counters).toMatchObject({ active: 0, evictedTotal: 2, expiredTotal: 0, leftTotal: 0 });
      }));

    it("admits without a capacity limit (passthrough), still only waiting entries", () =>
      withStore(async (store) => {
        await store.ensureRoom({ ...room("r1"), capacity: 0 });
        await store.enter("r1", ["a", "b"].map(arrival));
        await store.admit("r1", [{ id: "a", admissionNo: 1, admittedAtMs: 1 }], Number.MAX_SAFE_INTEGER);
        await expect(
          store.admit("r1", [{ id: "a", admissionNo: 2, admittedAtMs: 1 }], Number.MAX_SAFE_INTEGER),
        ).rejects.toBeInstanceOf(StoreConflictError);
        expect((await store.loadRoomState("r1")).counters).toMatchObject({ active: 1, admittedTotal: 1 });
      }));

    it(
      "admits and removes thousands in one write",
      () =>
        withStore(async (store) => {
          const n = 2_500;
          await store.ensureRoom({ ...room("r1"), capacity: n });
          const ids = Array.from({ length: n }, (_, i) => `v${i}`);
          await store.enter("r1", ids.map(arrival));
          await store.admit(
            "r1",
            ids.map((id, i) => ({ id, admissionNo: i + 1, admittedAtMs: 1_800_000_001_000 })),
            n,
          );
          let state = await store.loadRoomState("r1");
          expect(state.counters).toMatchObject({ active: n, admittedTotal: n, nextAdmission: n + 1 });
          expect(state.entries.find((e) => e.id === "v2499")).toMatchObject({ state: "admitted", admissionNo: n });
          await store.remove(
            "r1",
            ids.map((id) => ({ id, reason: "evicted" as const })),
          );
          state = await store.loadRoomState("r1");
          expect(state.entries).toHaveLength(0);
          expect(state.counters).toMatchObject({ active: 0, evictedTotal: n });
        }),
      options.bulkTimeoutMs,
    );

    it("creates a room once, with fresh counters", () =>
      withStore(async (store) => {
        await store.ensureRoom(room("r1"));
        const created = await store.createRoom({ ...room("r2"), protectedPaths: ["/a", "/b"], newUsersPerMinute: 30 });
        expect(created).toEqual({ ...room("r2"), protectedPaths: ["/a", "/b"], newUsersPerMinute: 30 });
        await expect(store.createRoom({ ...room("r2"), capacity: 9 })).rejects.toBeInstanceOf(StoreConflictError);
        await expect(store.createRoom(room("r1"))).rejects.toBeInstanceOf(StoreConflictError);
        expect((await store.listRooms()).map((r) => r.id)).toEqual(["r1", "r2"]);
        expect((await store.listRooms())[1]?.capacity).toBe(3);
        const state = await store.loadRoomState("r2");
        expect(state.entries).toEqual([]);
        expect(state.counters).toMatchObject({
          nextSeq: 1,
          nextAdmission: 1,
          arrivedTotal: 0,
          evictedTotal: 0,
          active: 0,
        });
        const [seq] = await store.enter("r2", [arrival("a")]);
        expect(seq).toBe(1);
      }));

    it("updates only the given settings and returns the whole room; every mode round-trips", () =>
      withStore(async (store) => {
        await store.ensureRoom(room("r1"));
        const updated = await store.updateRoom("r1", { capacity: 7, name: undefined, protectedPaths: ["/x"] });
        expect(updated).toEqual({ ...room("r1"), capacity: 7, protectedPaths: ["/x"] });
        for (const mode of roomModes) {
          expect((await store.updateRoom("r1", { mode })).mode).toBe(mode);
          expect((await store.listRooms())[0]?.mode).toBe(mode);
        }
        expect((await store.updateRoom("r1", {})).capacity).toBe(7);
        // The new-users limit: set, kept by a patch that leaves it out, and removed with null.
        expect((await store.updateRoom("r1", { newUsersPerMinute: 120 })).newUsersPerMinute).toBe(120);
        expect((await store.updateRoom("r1", { capacity: 8 })).newUsersPerMinute).toBe(120);
        expect((await store.listRooms())[0]?.newUsersPerMinute).toBe(120);
        expect((await store.updateRoom("r1", { newUsersPerMinute: null })).newUsersPerMinute).toBeNull();
        expect((await store.listRooms())[0]?.newUsersPerMinute).toBeNull();
        await expect(store.updateRoom("missing", { capacity: 1 })).rejects.toBeInstanceOf(StoreConflictError);
        expect((await store.listRooms()).map((r) => r.id)).toEqual(["r1"]);
      }));

    it("keeps a room's branding and default language: created, replaced, kept by other patches, cleared", () =>
      withStore(async (store) => {
        const branding = {
          displayName: { en: "Acme <spring> drop", ko: "애크미 봄 드롭" },
          message: { ko: "1인 1켤레.\n줄을 지켜 주세요." },
          logoUrl: "https://cdn.example.com/acme.png",
          accentColor: "#0f766e",
        };
        const created = await store.ensureRoom({ ...room("r1"), defaultLanguage: "ko", branding });
        expect(created).toMatchObject({ defaultLanguage: "ko", branding });
        expect((await store.listRooms())[0]).toMatchObject({ defaultLanguage: "ko", branding });
        expect((await store.updateRoom("r1", { capacity: 9 })).branding).toEqual(branding);
        const replaced = { ...emptyBranding, accentColor: "#112233" };
        expect(await store.updateRoom("r1", { branding: replaced, defaultLanguage: null })).toMatchObject({
          defaultLanguage: null,
          branding: replaced,
        });
        expect((await store.listRooms())[0]).toMatchObject({ defaultLanguage: null, branding: replaced });
      }));

    it("deletes a room with its entries and counters, leaving other rooms alone", () =>
      withStore(async (store) => {
        await store.ensureRoom(room("r1"));
        await store.ensureRoom(room("r2"));
        await store.enter("r1", ["a", "b"].map(arrival));
        await store.enter("r2", [arrival("c")]);
        await store.admit("r1", [{ id: "a", admissionNo: 1, admittedAtMs: 1 }], 3);
        await store.deleteRoom("r1");
        await store.deleteRoom("r1");
        expect((await store.listRooms()).map((r) => r.id)).toEqual(["r2"]);
        expect((await store.loadRoomState("r2")).entries.map((e) => e.id)).toEqual(["c"]);
        // Same id again: nothing of the old room comes back.
        await store.createRoom(room("r1"));
        const state = await store.loadRoomState("r1");
        expect(state.entries).toEqual([]);
        expect(state.counters).toMatchObject({ nextSeq: 1, arrivedTotal: 0, active: 0 });
        // The old room's place ids are free again.
        expect(await store.enter("r1", [arrival("a")])).toEqual([1]);
      }));

    it("orders a room deletion with the writes queued around it", () =>
      withStore(async (store) => {
        await store.ensureRoom(room("r1"));
        await store.ensureRoom(room("r2"));
        await store.enter("r1", [arrival("a")]);
        const results = await Promise.allSettled([
          store.enter("r1", [arrival("before")]),
          store.remove("r1", [{ id: "a", reason: "expired" }]),
          store.enter("r2", [arrival("other")]),
          store.deleteRoom("r1"),
          store.enter("r1", [arrival("after")]),
          store.remove("r1", [{ id: "before", reason: "evicted" }]),
          store.admit("r1", [{ id: "before", admissionNo: 1, admittedAtMs: 1 }], 3),
          store.createRoom(room("r1")),
          store.enter("r1", [arrival("new")]),
        ]);
        expect(results.map((r) => r.status)).toEqual([
          "fulfilled",
          "fulfilled",
          "fulfilled",
          "fulfilled",
          "rejected", // its room is gone
          "fulfilled", // nothing left to remove
          "rejected",
          "fulfilled",
          "fulfilled",
        ]);
        expect((results[6] as PromiseRejectedResult).reason).toBeInstanceOf(StoreConflictError);
        expect((results[8] as PromiseFulfilledResult<number[]>).value).toEqual([1]);
        const state = await store.loadRoomState("r1");
        expect(state.entries.map((e) => e.id)).toEqual(["new"]);
        expect(state.counters).toMatchObject({ arrivedTotal: 1, expiredTotal: 0, evictedTotal: 0 });
        expect((await store.loadRoomState("r2")).entries.map((e) => e.id)).toEqual(["other"]);
      }));

    it("keeps rooms apart", () =>
      withStore(async (store) => {
        await store.ensureRoom(room("r1"));
        await store.ensureRoom(room("r2"));
        await store.enter("r1", [arrival("a")]);
        const [seq] = await store.enter("r2", [arrival("b")]);
        expect(seq).toBe(1);
        expect((await store.loadRoomState("r1")).entries.map((e) => e.id)).toEqual(["a"]);
      }));
  });
}
