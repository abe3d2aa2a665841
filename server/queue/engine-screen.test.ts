import { describe, expect, it } from "vitest";
import { enterMany, errorCodeOf, idOf, testRoom, trackEngineFixtures } from "@/server/testing/engine-fixture";
import { challengeOf, rejectionOf, solvedPayload } from "@/server/testing/solve-challenge";

// Screening arrivals: a pow room's challenge (one solution, one place), blocked ranges, the
// gate's suspicion, and the infinite line that takes the distrusted when the room has one.

const fixtures = trackEngineFixtures();
const fan = { address: "198.51.100.7", keyHolder: false };
const powRoom = (overrides = {}) =>
  testRoom({ capacity: 1, challenge: "pow", challengeDifficulty: 1_000, ...overrides });

describe("proof-of-work rooms", () => {
  it("give a place only for a solved challenge, once per solution", async () => {
    const { engine } = await fixtures.fixture([powRoom()]);
    const refused = await rejectionOf(engine.join("test", fan));
    expect(refused).toMatchObject({ code: "challenge_required" });
    const pow = await solvedPayload(challengeOf(refused));
    const joined = await engine.join("test", { ...fan, pow });
    expect(joined.status.state).toBe("admitted");
    // The same solution again: no second place, a new challenge instead.
    const replay = await rejectionOf(engine.join("test", { ...fan, pow }));
    expect(replay).toMatchObject({ code: "challenge_required" });
    expect(challengeOf(replay).signature).not.toBe(challengeOf(refused).signature);
    expect(engine.roomStats("test")).toMatchObject({
      arrivedTotal: 1,
      challenges: { issued: 2, solved: 1, stale: 1, forged: 0 },
    });
  });

  it("refuse a forged answer with a new challenge, and a solution for another room", async () => {
    const { engine } = await fixtures.fixture([powRoom(), powRoom({ id: "other" })]);
    const forOther = await solvedPayload(challengeOf(await rejectionOf(engine.join("other", fan))));
    const wrongRoom = await rejectionOf(engine.join("test", { ...fan, pow: forOther }));
    expect(wrongRoom).toMatchObject({ code: "challenge_failed" });
    expect(challengeOf(wrongRoom).parameters.data.room).toBe("test");
    expect(await errorCodeOf(engine.join("test", { ...fan, pow: "bm9wZQ==" }))).toBe("challenge_failed");
    expect(engine.roomStats("test").challenges.forged).toBe(2);
    expect(engine.roomStats("test").arrivedTotal).toBe(0);
  });

  it("let bypass addresses in without a challenge, and ask nothing in a room without one", async () => {
    const { engine } = await fixtures.fixture([powRoom({ bypassCidrs: ["10.0.0.0/8"] })]);
    expect((await engine.join("test", { address: "10.0.0.5", keyHolder: false })).status.state).toBe("admitted");
    await engine.updateRoom("test", { challenge: "off" });
    expect((await engine.join("test", fan)).status.state).toBe("waiting");
  });
});

describe("blocked ranges and the infinite line", () => {
  it("refuse a blocked range without the infinite line, and the gate's suspect with its wait", async () => {
    const { engine } = await fixtures.fixture([testRoom({ blockedCidrs: ["198.51.100.0/24"] })]);
    expect(await errorCodeOf(engine.join("test", fan))).toBe("blocked");
    const suspect = {
      address: "203.0.113.1",
      keyHolder: false,
      suspect: { reason: "rate_limited" as const, retryAfterSeconds: 17 },
    };
    const limited = await rejectionOf(engine.join("test", suspect));
    expect(limited).toMatchObject({ code: "rate_limited", retryAfterSeconds: 17 });
    expect((await engine.join("test", { address: "203.0.113.1", keyHolder: false })).status.state).toBe("admitted");
  });

  it("give the distrusted a place that looks real, never moves and is never admitted", async () => {
    const { engine } = await fixtures.fixture([
      testRoom({ capacity: 1, infiniteLine: true, blockedCidrs: ["198.51.100.0/24"] }),
    ]);
    const [inside] = await enterMany(engine, 3);
    const shadow = await engine.join("test", fan);
    expect(shadow.status).toMatchObject({ state: "waiting", position: 3, ahead: 2, progress: 0 });
    expect(shadow.status.reference).toMatch(/^[2-9A-Z]{4}-[2-9A-Z]{2}$/);
    expect(shadow.token.split(".")).toHaveLength(3);
    // Those really waiting move up and get in; the infinite line's place stays where it was.
    await engine.endSession("test", inside?.id as string, "site");
    await engine.tick();
    const later = await engine.heartbeat("test", shadow.token);
    expect(later.status).toMatchObject({ state: "waiting", position: 3 });
    expect(later.admissionToken).toBeNull();
    expect(engine.heartbeatInLine("test", shadow.token)?.position).toBe(3);
    expect(await engine.status("test", shadow.token)).toMatchObject({ position: 3 });
    expect(engine.holdsSlot("test", idOf(shadow.token))).toBe(false);
    // Counted apart: not among those waiting, not an arrival; not in the console's list.
    expect(engine.roomStats("test")).toMatchObject({
      waiting: 1,
      arrivedTotal: 3,
      infiniteLine: { held: 1, blocked: 1, rate_limited: 0, challenge_failed: 0 },
    });
    expect(engine.listTokens("test", { offset: 0, limit: 50 }).total).toBe(2);
    // Not even an operator's admission reaches it: it is not a visitor of the room.
    expect(await errorCodeOf(engine.admitNow("test", idOf(shadow.token)))).toBe("token_not_found");
  });

  it("send forged answers and the over-limit there, keep them after a restart, and forget the silent", async () => {
    const f = await fixtures.fixture([powRoom({ infiniteLine: true, heartbeatTimeoutMs: 20_000 })]);
    const forged = await f.engine.join("test", { ...fan, pow: "bm9wZQ==" });
    expect(forged.status.state).toBe("waiting");
    const suspect = { ...fan, suspect: { reason: "rate_limited" as const, retryAfterSeconds: 30 } };
    expect((await f.engine.join("test", suspect)).status.state).toBe("waiting");
    expect(f.engine.roomStats("test").infiniteLine).toMatchObject({ held: 2, challenge_failed: 1, rate_limited: 1 });

    // Another process (same secrets) knows the token for what it is, not as an expired place.
    const restarted = await fixtures.restart(f);
    const again = await restarted.engine.heartbeat("test", forged.token);
    expect(again.status).toMatchObject({ state: "waiting", reference: forged.status.reference });
    expect(await errorCodeOf(restarted.engine.endSessionByToken("test", forged.token))).toBe("ok");

    // Silent past the timeout: forgotten, like any silent place (and still known by signature).
    const other = await restarted.engine.join("test", suspect);
    restarted.clock.advance(25_000);
    await restarted.engine.tick();
    expect(restarted.engine.roomStats("test").infiniteLine.held).toBe(0);
    expect((await restarted.engine.heartbeat("test", other.token)).status.state).toBe("waiting");
  });

  it("never take a genuine visitor's token for the infinite line, nor the other way round", async () => {
    const { engine } = await fixtures.fixture([
      testRoom({ capacity: 0, infiniteLine: true, blockedCidrs: ["198.51.100.0/24"] }),
    ]);
    const [real] = await enterMany(engine, 1);
    const shadow = await engine.join("test", fan);
    await engine.evict("test", real?.id as string);
    expect(await errorCodeOf(engine.heartbeat("test", real?.token as string))).toBe("token_expired");
    expect(await errorCodeOf(engine.heartbeat("test", `${shadow.token.slice(0, -2)}AA`))).toBe("invalid_token");
    expect(await errorCodeOf(engine.heartbeat("test", shadow.token))).toBe("ok");
  });
});
