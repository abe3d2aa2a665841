import { describe, expect, it } from "vitest";
import type { RoomConfig } from "@/server/queue/types";
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
});

const arrival = (id: string) => ({ id, initialAhead: 0, enteredAtMs: 1_800_000_000_000 });

export function runQueueStoreContract(name: string, openStore: () => Promise<QueueStore>) {
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
