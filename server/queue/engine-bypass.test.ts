import { describe, expect, it } from "vitest";
import { enterMany, idOf, testRoom, trackEngineFixtures } from "@/server/testing/engine-fixture";

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
