import { describe, expect, it } from "vitest";
import { enterMany, errorCodeOf, idOf, testRoom, trackEngineFixtures } from "@/server/testing/engine-fixture";

// A room's session time limit: an admission ends at the limit even while its page beats; with
// renewal it starts again while nobody waits, and otherwise the visitor is sent to the back.

const fixtures = trackEngineFixtures();
const limited = (overrides = {}) =>
  testRoom({ capacity: 1, sessionDurationSeconds: 60, heartbeatTimeoutMs: 30_000, ...overrides });

/** Heartbeats everyone given and ticks, in steps of `stepMs`, for `forMs`. */
async function run(f: Awaited<ReturnType<typeof fixtures.fixture>>, tokens: string[], forMs: number, stepMs = 5_000) {
  for (let t = 0; t < forMs; t += stepMs) {
    f.clock.advance(stepMs);
    for (const token of tokens) await f.engine.heartbeat("test", token).catch(() => null);
    await f.engine.tick();
  }
}

describe("session time limit", () => {
  it("ends an admission at the limit though its page beats: told why, slot to the next, token revoked", async () => {
    const f = await fixtures.fixture([limited()]);
    const [inside, next] = await enterMany(f.engine, 2);
    if (!inside || !next) throw new Error("two visitors");
    const admittedAt = f.clock.nowMs;
    const first = await f.engine.heartbeat("test", inside.token);
    expect(first.status.sessionEndsAt).toBe(admittedAt + 60_000);

    await run(f, [inside.token, next.token], 55_000);
    expect(f.engine.holdsSlot("test", inside.id)).toBe(true);
    await run(f, [inside.token, next.token], 10_000);

    expect(f.engine.holdsSlot("test", inside.id)).toBe(false);
    expect(f.engine.isAdmissionRevoked("test", inside.id)).toBe(true);
    expect(await errorCodeOf(f.engine.heartbeat("test", inside.token))).toBe("session_ended");
    const told = await f.engine.status("test", inside.token);
    expect(told).toMatchObject({ state: "expired", sessionEndsAt: admittedAt + 60_000 });
    expect(f.engine.holdsSlot("test", next.id)).toBe(true);
    expect(f.engine.roomStats("test")).toMatchObject({ sessionsTimedOutTotal: 1, leftTotal: 1, expiredTotal: 0 });
  });

  it("with renewal, starts again while nobody waits, and sends the visitor to the back when someone does", async () => {
    const f = await fixtures.fixture([limited({ sessionRenewal: true })]);
    const [inside] = await enterMany(f.engine, 1);
    if (!inside) throw new Error("a visitor");
    await run(f, [inside.token], 65_000);
    const renewed = await f.engine.heartbeat("test", inside.token);
    expect(renewed.status.state).toBe("admitted");
    expect(renewed.status.sessionEndsAt).toBeGreaterThan(f.clock.nowMs);

    const [waiting] = await enterMany(f.engine, 1);
    if (!waiting) throw new Error("a second visitor");
    await run(f, [inside.token, waiting.token], 65_000);
    // Out, as anyone whose place is gone (the page takes a new one at the back), not "time is up".
    expect(await errorCodeOf(f.engine.heartbeat("test", inside.token))).toBe("token_expired");
    expect(f.engine.holdsSlot("test", waiting.id)).toBe(true);
  });

  it("counts a limit set while people are inside from their admission, and takes a removed limit at once", async () => {
    const f = await fixtures.fixture([limited({ sessionDurationSeconds: null })]);
    const [inside] = await enterMany(f.engine, 1);
    if (!inside) throw new Error("a visitor");
    const admittedAt = f.clock.nowMs;
    await run(f, [inside.token], 30_000);
    await f.engine.updateRoom("test", { sessionDurationSeconds: 45 });
    expect((await f.engine.heartbeat("test", inside.token)).status.sessionEndsAt).toBe(admittedAt + 45_000);
    await f.engine.updateRoom("test", { sessionDurationSeconds: null });
    await run(f, [inside.token], 30_000);
    const still = await f.engine.heartbeat("test", inside.token);
    expect(still.status).toMatchObject({ state: "admitted", sessionEndsAt: null });
  });

  it("after a restart, counts each restored admission from when it was admitted", async () => {
    const f = await fixtures.fixture([limited()]);
    const [inside] = await enterMany(f.engine, 1);
    if (!inside) throw new Error("a visitor");
    const admittedAt = f.clock.nowMs;
    f.clock.advance(20_000);
    const restarted = await fixtures.restart(f);
    const beat = await restarted.engine.heartbeat("test", inside.token);
    expect(beat.status.sessionEndsAt).toBe(admittedAt + 60_000);
    await run(restarted, [inside.token], 45_000);
    expect(restarted.engine.holdsSlot("test", idOf(inside.token))).toBe(false);
  });
});
