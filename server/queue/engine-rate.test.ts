import { describe, expect, it } from "vitest";
import { enterMany, idOf, testRoom, trackEngineFixtures } from "@/server/testing/engine-fixture";

// A room limited to 6 new visitors a minute with plenty of capacity: a crowd of 20 is let in
// one every 10 s, the estimate says so, and an operator's change of the limit applies at once.

const fixtures = trackEngineFixtures();
const minute = 60_000;

describe("new users per minute", () => {
  it("lets a crowd in at the set pace, never faster, with the estimate at that pace", async () => {
    const { engine, clock } = await fixtures.fixture([
      testRoom({ capacity: 100, newUsersPerMinute: 6, heartbeatTimeoutMs: 10 * minute }),
    ]);
    const crowd = await enterMany(engine, 20);
    const admittedAt = new Map<string, number>();
    const start = clock.nowMs;
    // The first is let in on arrival; the others wait their turn.
    expect(engine.roomStats("test")).toMatchObject({ active: 1, waiting: 19 });
    const tenth = await engine.heartbeat("test", crowd[9]?.token as string);
    // Ninth in line: 9 more admissions at 6 a minute, whatever capacity says.
    expect(tenth.status.position).toBe(9);
    expect(tenth.status.etaSeconds).toBeGreaterThanOrEqual(80);
    expect(tenth.status.etaSeconds).toBeLessThanOrEqual(100);

    for (let t = 0; t <= 3 * minute; t += 100) {
      await engine.tick();
      for (const token of engine.listTokens("test", { state: "admitted", offset: 0, limit: 100 }).items) {
        if (!admittedAt.has(token.id)) admittedAt.set(token.id, clock.nowMs - start);
      }
      clock.advance(100);
    }
    const times = [...admittedAt.values()].sort((a, b) => a - b);
    // 3 minutes at 6 a minute, the first at 0: 19 by the end, first come first served.
    expect(times).toHaveLength(19);
    for (let i = 1; i < times.length; i++)
      expect((times[i] as number) - (times[i - 1] as number)).toBeGreaterThanOrEqual(10_000);
    const order = crowd.map((v) => v.id).filter((id) => admittedAt.has(id));
    expect(order).toEqual(crowd.slice(0, 19).map((v) => v.id));
  });

  it("takes a raised or removed limit at the next tick, and an operator's out-of-turn admission waits for it", async () => {
    const { engine } = await fixtures.fixture([testRoom({ capacity: 100, newUsersPerMinute: 1 })]);
    const crowd = await enterMany(engine, 5);
    expect(engine.roomStats("test").active).toBe(1);
    // Out of turn with no allowance left this minute: to the front, not in.
    const last = crowd[4] as { id: string };
    const moved = await engine.admitNow("test", last.id);
    expect(moved).toMatchObject({ state: "waiting", position: 1 });
    await engine.updateRoom("test", { newUsersPerMinute: null });
    await engine.tick();
    expect(engine.roomStats("test")).toMatchObject({ active: 5, waiting: 0 });
    expect(engine.holdsSlot("test", idOf((crowd[4] as { token: string }).token))).toBe(true);
  });
});
