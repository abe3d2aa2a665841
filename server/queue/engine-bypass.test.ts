import { describe, expect, it } from "vitest";
import { enterMany, errorCodeOf, idOf, testRoom, trackEngineFixtures } from "@/server/testing/engine-fixture";

// Bypass rules: an arrival from the room's address ranges, or holding an API key where the room
// allows it, skips the line: a slot at once when one is free, else the next one, ahead of
// everyone waiting. Capacity stays exact either way.

const fixtures = trackEngineFixtures();
const office = { address: "10.1.2.3", keyHolder: false };
const outsider = { address: "203.0.113.9", keyHolder: false };
const keyHolder = { address: "203.0.113.10", keyHolder: true };
const room = (overrides = {}) => testRoom({ capacity: 1, bypassCidrs: ["10.0.0.0/8"], ...overrides });

describe("bypass rules", () => {
  it("let an office address in at once when a slot is free, and count it", async () => {
    const { engine } = await fixtures.fixture([room({ capacity: 2 })]);
    await enterMany(engine, 1);
    const joined = await engine.join("test", office);
    expect(joined.status.state).toBe("admitted");
    expect(joined.admissionToken).toBeTruthy();
    expect(engine.roomStats("test")).toMatchObject({ active: 2, bypassedTotal: 1 });
    const listed = engine.listTokens("test", { offset: 0, limit: 10 }).items.find((t) => t.id === idOf(joined.token));
    expect(listed?.bypassed).toBe(true);
  });

  it("put an office address first in line when the room is full, never over capacity", async () => {
    const { engine } = await fixtures.fixture([room()]);
    const [inside, ...waiting] = await enterMany(engine, 3);
    const joined = await engine.join("test", office);
    expect(joined.status).toMatchObject({ state: "waiting", position: 1 });
    expect(engine.roomStats("test")).toMatchObject({ active: 1, waiting: 3 });
    // The next slot is theirs, ahead of the two who came first.
    await engine.endSession("test", inside?.id as string, "site");
    await engine.tick();
    expect(engine.holdsSlot("test", idOf(joined.token))).toBe(true);
    for (const visitor of waiting) expect(engine.holdsSlot("test", visitor.id)).toBe(false);
    expect(engine.roomStats("test").maxActiveObserved).toBe(1);
  });

  it("leave everyone else in turn, and take API-key holders only where the room allows them", async () => {
    const { engine } = await fixtures.fixture([room()]);
    await enterMany(engine, 2);
    expect((await engine.join("test", outsider)).status.position).toBe(2);
    expect((await engine.join("test", keyHolder)).status.position).toBe(3);
    await engine.updateRoom("test", { bypassApiKeys: true });
    expect((await engine.join("test", keyHolder)).status.position).toBe(1);
    await engine.updateRoom("test", { bypassCidrs: [] });
    expect((await engine.join("test", office)).status.position).toBe(5);
    expect(engine.roomStats("test").bypassedTotal).toBe(1);
  });

  it("apply no bypass during a pre-queue: everyone's order there is drawn", async () => {
    const f = await fixtures.fixture([room()]);
    await enterMany(f.engine, 1);
    f.engine.openPreQueue("test", { opensAtMs: f.clock.nowMs - 1, startsAtMs: f.clock.nowMs + 60_000 });
    const joined = await f.engine.join("test", office);
    expect(joined.status.state).toBe("prequeue");
  });
});

describe("bypass beyond capacity (bypassUncounted)", () => {
  it("let a bypass arrival in at once into a full room, outside its slots, and keep the room's own capacity exact", async () => {
    const f = await fixtures.fixture([room({ bypassUncounted: true, bypassApiKeys: true })]);
    const { engine } = f;
    const [inside, first] = await enterMany(engine, 2);
    const staff = await engine.join("test", office);
    expect(staff.status.state).toBe("admitted");
    expect(staff.admissionToken).toBeTruthy();
    const staffId = idOf(staff.token);
    expect(engine.holdsSlot("test", staffId)).toBe(true);
    const byKey = await engine.join("test", keyHolder);
    expect(byKey.status.state).toBe("admitted");
    // The room's books: one inside, one waiting, as before; two beyond capacity.
    expect(engine.roomStats("test")).toMatchObject({
      active: 1,
      waiting: 1,
      bypassBeyondCapacity: 2,
      bypassedTotal: 2,
    });
    expect(engine.listTokens("test", { offset: 0, limit: 10 }).total).toBe(2);
    // The one inside leaves: the slot goes to the first in line, not to anyone beyond capacity.
    await engine.endSession("test", inside?.id as string, "site");
    await engine.tick();
    expect(engine.holdsSlot("test", first?.id as string)).toBe(true);
    expect(engine.roomStats("test")).toMatchObject({ active: 1, maxActiveObserved: 1 });
    // A pass beats like any admission and gets a fresh admission token.
    const beat = await engine.heartbeat("test", staff.token);
    expect(beat.status.state).toBe("admitted");
    expect(beat.admissionToken).toBeTruthy();
    // Ending it (the page's "done") frees nothing of the room's, and the pass no longer opens anything.
    await engine.endSessionByToken("test", staff.token);
    expect(engine.holdsSlot("test", staffId)).toBe(false);
    expect(engine.roomStats("test")).toMatchObject({ active: 1, bypassBeyondCapacity: 1 });
  });

  it("end passes when they go silent or the room stops granting them, and know them after a restart", async () => {
    const f = await fixtures.fixture([room({ bypassUncounted: true, heartbeatTimeoutMs: 20_000 })]);
    const staff = await f.engine.join("test", office);
    const restarted = await fixtures.restart(f);
    expect((await restarted.engine.heartbeat("test", staff.token)).status.state).toBe("admitted");
    expect(restarted.engine.holdsSlot("test", idOf(staff.token))).toBe(true);
    restarted.clock.advance(25_000);
    await restarted.engine.tick();
    expect(restarted.engine.holdsSlot("test", idOf(staff.token))).toBe(false);
    expect((await restarted.engine.heartbeat("test", staff.token)).status.state).toBe("admitted");
    await restarted.engine.updateRoom("test", { bypassUncounted: false });
    expect(restarted.engine.holdsSlot("test", idOf(staff.token))).toBe(false);
    expect(await errorCodeOf(restarted.engine.heartbeat("test", staff.token))).toBe("invalid_token");
    // Now bypass takes a slot like anyone: the room is empty, so the one free slot.
    expect((await restarted.engine.join("test", office)).status.state).toBe("admitted");
    expect(restarted.engine.roomStats("test")).toMatchObject({ active: 1, bypassBeyondCapacity: 0 });
  });
});
