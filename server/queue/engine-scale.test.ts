import { describe, expect, it } from "vitest";
import type { QueueEngine } from "@/server/queue/engine";
import { enterMany, testRoom, trackEngineFixtures } from "@/server/testing/engine-fixture";

// What scale events and surges ask of the engine: a capacity override on top of the room's
// own, and a pre-queue whose arrivals are held and then released in a drawn order.

const { fixture, restart } = trackEngineFixtures();

/** Waiting visitors' ids in admission order: admits them one per tick with capacity raised by one. */
async function admissionOrder(engine: QueueEngine, count: number): Promise<string[]> {
  const order: string[] = [];
  for (let i = 0; i < count; i++) {
    engine.setCapacityOverride("test", engine.roomStats("test").active + 1);
    await engine.tick();
  }
  const { items } = engine.listTokens("test", { state: "admitted", offset: 0, limit: 10_000 });
  for (const item of items) order.push(item.id);
  return order;
}

describe("QueueEngine: capacity override", () => {
  it("admits up to the higher of the room's capacity and the override, and back to the room's when cleared", async () => {
    const { engine } = await fixture([testRoom({ capacity: 1 })]);
    await enterMany(engine, 5);
    await engine.tick();
    expect(engine.roomStats("test")).toMatchObject({ active: 1, capacity: 1, baseCapacity: 1 });

    engine.setCapacityOverride("test", 3);
    expect(engine.effectiveCapacity("test")).toBe(3);
    await engine.tick();
    expect(engine.roomStats("test")).toMatchObject({ active: 3, waiting: 2, capacity: 3, baseCapacity: 1 });

    // An override below the room's own capacity does not lower it.
    engine.setCapacityOverride("test", 0);
    expect(engine.effectiveCapacity("test")).toBe(1);

    engine.setCapacityOverride("test", null);
    expect(engine.roomStats("test")).toMatchObject({ capacity: 1, active: 3 });
    await engine.tick();
    // Nobody is evicted by the end of a raise: admission waits until active is below capacity.
    expect(engine.roomStats("test")).toMatchObject({ active: 3, waiting: 2, evictedTotal: 0 });
  });

  it("follows a raise of the room's own capacity above the override", async () => {
    const { engine } = await fixture([testRoom({ capacity: 1 })]);
    await enterMany(engine, 6);
    engine.setCapacityOverride("test", 2);
    await engine.updateRoom("test", { capacity: 4 });
    await engine.tick();
    expect(engine.roomStats("test")).toMatchObject({ active: 4, capacity: 4, baseCapacity: 4 });
  });

  it("never lets the store admit past the effective capacity", async () => {
    const { engine, store } = await fixture([testRoom({ capacity: 0 })]);
    await enterMany(engine, 10);
    engine.setCapacityOverride("test", 7);
    await engine.tick();
    await engine.tick();
    expect((await store.loadRoomState("test")).counters.active).toBe(7);
    expect(engine.roomStats("test").maxActiveObserved).toBe(7);
  });
});

describe("QueueEngine: pre-queue", () => {
  const opensAtOffsetMs = 0;

  it("holds arrivals while open: nobody from it is admitted, those in line before it still are", async () => {
    const { engine, clock } = await fixture([testRoom({ capacity: 0 })]);
    const [early] = await enterMany(engine, 1);
    clock.advance(1_000);
    const opensAtMs = clock.nowMs + opensAtOffsetMs;
    engine.openPreQueue("test", { opensAtMs, startsAtMs: opensAtMs + 60_000 });
    const held = await enterMany(engine, 3);
    engine.setCapacityOverride("test", 10);
    await engine.tick();

    expect((await engine.status("test", early?.token ?? ""))?.state).toBe("admitted");
    for (const visitor of held) {
      const status = await engine.status("test", visitor.token);
      expect(status).toMatchObject({
        state: "prequeue",
        position: null,
        startsAt: opensAtMs + 60_000,
        etaSeconds: null,
      });
    }
    expect(engine.roomStats("test")).toMatchObject({ active: 1, waiting: 3 });
    expect(engine.preQueueOf("test")).toMatchObject({ waiting: 3 });
    expect(engine.roomSummary("test")?.etaSeconds).toBeNull();
  });

  it("releases the held into the line in an order drawn from the seed, ahead of later arrivals", async () => {
    const { engine, clock } = await fixture([testRoom({ capacity: 0 })]);
    const opensAtMs = clock.nowMs;
    engine.openPreQueue("test", { opensAtMs, startsAtMs: opensAtMs + 10_000 });
    const held = await enterMany(engine, 40);
    clock.advance(10_000);
    expect(engine.releasePreQueue("test", "a".repeat(64))).toEqual({ shuffled: 40 });
    expect(engine.preQueueOf("test")).toBeNull();
    const [late] = await enterMany(engine, 1);

    const order = await admissionOrder(engine, 40);
    const arrival = held.map((v) => v.id);
    expect(new Set(order)).toEqual(new Set(arrival));
    expect(order).not.toEqual(arrival);
    // The later arrival is behind all of them.
    expect((await engine.status("test", late?.token ?? ""))?.position).toBe(1);
  });

  it("draws a different order from a different seed", async () => {
    const orders: string[][] = [];
    for (const seed of ["1".repeat(64), "2".repeat(64)]) {
      const { engine, clock } = await fixture([testRoom({ capacity: 0 })]);
      engine.openPreQueue("test", { opensAtMs: clock.nowMs, startsAtMs: clock.nowMs + 1_000 });
      const held = await enterMany(engine, 20);
      engine.releasePreQueue("test", seed);
      const ids = held.map((v) => v.id);
      // Places in arrival order, since visitor ids differ between fixtures.
      orders.push((await admissionOrder(engine, 20)).map((id) => String(ids.indexOf(id))));
    }
    expect(orders[0]).not.toEqual(orders[1]);
  });

  it("keeps arrival order when released without a seed (the event was cancelled)", async () => {
    const { engine, clock } = await fixture([testRoom({ capacity: 0 })]);
    engine.openPreQueue("test", { opensAtMs: clock.nowMs, startsAtMs: clock.nowMs + 60_000 });
    const held = await enterMany(engine, 10);
    expect(engine.releasePreQueue("test", null)).toEqual({ shuffled: 0 });
    expect(await admissionOrder(engine, 10)).toEqual(held.map((v) => v.id));
  });

  it("rebuilds the same shuffled order after a restart from the window and the seed", async () => {
    const first = await fixture([testRoom({ capacity: 0 })]);
    const opensAtMs = first.clock.nowMs;
    const window = { opensAtMs, startsAtMs: opensAtMs + 30_000 };
    first.engine.openPreQueue("test", window);
    const held = await enterMany(first.engine, 25);
    first.clock.advance(30_000);
    const seed = "c0ffee".repeat(10);
    first.engine.releasePreQueue("test", seed);
    const [late] = await enterMany(first.engine, 1);
    const before = await Promise.all(held.map(async (v) => (await first.engine.status("test", v.token))?.position));

    const second = await restart(first);
    // What the scheduler does on boot for an event past its start with a stored seed.
    second.engine.openPreQueue("test", window);
    second.engine.releasePreQueue("test", seed);
    const after = await Promise.all(held.map(async (v) => (await second.engine.status("test", v.token))?.position));
    expect(after).toEqual(before);
    expect((await second.engine.status("test", late?.token ?? ""))?.position).toBe(26);
  });

  it("re-holds, after a restart during the pre-queue, exactly those who arrived in its window", async () => {
    const first = await fixture([testRoom({ capacity: 0 })]);
    const [early] = await enterMany(first.engine, 1);
    first.clock.advance(5_000);
    const window = { opensAtMs: first.clock.nowMs, startsAtMs: first.clock.nowMs + 60_000 };
    first.engine.openPreQueue("test", window);
    const held = await enterMany(first.engine, 3);

    const second = await restart(first);
    second.engine.openPreQueue("test", window);
    expect(second.engine.preQueueOf("test")).toMatchObject({ waiting: 3 });
    expect((await second.engine.status("test", early?.token ?? ""))?.state).toBe("paused");
    for (const visitor of held) expect((await second.engine.status("test", visitor.token))?.state).toBe("prequeue");
  });

  it("lets expiry, eviction, drain and admission out of turn reach the held", async () => {
    const { engine, clock } = await fixture([testRoom({ capacity: 1 })]);
    engine.openPreQueue("test", { opensAtMs: clock.nowMs, startsAtMs: clock.nowMs + 600_000 });
    const [a, b, c, d] = await enterMany(engine, 4);
    const admitted = await engine.admitNow("test", a?.id ?? "");
    expect(admitted.state).toBe("admitted");
    await engine.evict("test", b?.id ?? "");
    expect(engine.preQueueOf("test")?.waiting).toBe(2);
    expect(engine.listTokens("test", { state: "waiting", offset: 0, limit: 10 }).items.map((t) => t.id)).toEqual([
      c?.id,
      d?.id,
    ]);
    // d keeps sending heartbeats; c goes silent and expires.
    clock.advance(15_000);
    await engine.heartbeat("test", d?.token ?? "");
    clock.advance(10_000);
    await engine.tick();
    expect(engine.preQueueOf("test")?.waiting).toBe(1);
    expect(await engine.drain("test")).toBe(1);
    expect(engine.preQueueOf("test")?.waiting).toBe(0);
  });

  it("lists the held after the line, a page at a time, in arrival order", async () => {
    const { engine, clock } = await fixture([testRoom({ capacity: 0 })]);
    const lined = await enterMany(engine, 3);
    clock.advance(1_000);
    engine.openPreQueue("test", { opensAtMs: clock.nowMs, startsAtMs: clock.nowMs + 60_000 });
    const held = await enterMany(engine, 5);
    const page = engine.listTokens("test", { state: "waiting", offset: 2, limit: 3 });
    expect(page.total).toBe(8);
    expect(page.items.map((t) => [t.id, t.position])).toEqual([
      [lined[2]?.id, 3],
      [held[0]?.id, 4],
      [held[1]?.id, 5],
    ]);
    const last = engine.listTokens("test", { state: "waiting", offset: 6, limit: 10 });
    expect(last.items.map((t) => [t.id, t.position])).toEqual([
      [held[3]?.id, 7],
      [held[4]?.id, 8],
    ]);
  });

  it("reports how long the middle of the line has waited, for the alerts", async () => {
    const { engine, clock } = await fixture([testRoom({ capacity: 0 })]);
    expect(engine.medianTimeInLineMs("test")).toBeNull();
    await enterMany(engine, 1);
    clock.advance(10_000);
    await enterMany(engine, 1);
    clock.advance(5_000);
    await enterMany(engine, 1);
    // Three waiting: the middle one arrived 5 s ago.
    expect(engine.medianTimeInLineMs("test")).toBe(5_000);
  });
});
