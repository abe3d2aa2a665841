import { describe, expect, it } from "vitest";
import type { HeartbeatResult } from "@/server/queue/engine";
import { enterMany, errorCodeOf, testRoom, trackEngineFixtures } from "@/server/testing/engine-fixture";

// Held heartbeats: a visitor near the front asks with `hold`, and hears of its admission the
// moment the store committed it, not at its next heartbeat.

const { fixture } = trackEngineFixtures();

/** Settles a promise's state without waiting for it: "pending" while it is still held. */
async function stateOf(promise: Promise<HeartbeatResult>): Promise<HeartbeatResult | "pending"> {
  return Promise.race([promise, new Promise<"pending">((resolve) => setTimeout(() => resolve("pending"), 20))]);
}

describe("held heartbeats", () => {
  it("answers a held heartbeat the moment its visitor is admitted, with the admission token", async () => {
    const { engine } = await fixture([testRoom({ capacity: 1 })]);
    const [inside, next] = await enterMany(engine, 2);
    if (!inside || !next) throw new Error("two visitors");
    const plain = await engine.heartbeat("test", next.token);
    expect(plain.status).toMatchObject({ state: "waiting", position: 1, hold: true });
    const held = engine.heartbeat("test", next.token, undefined, { ms: 5_000 });
    expect(await stateOf(held)).toBe("pending");
    expect(engine.heldHeartbeats()).toEqual(new Map([["test", 1]]));
    await engine.evict("test", inside.id);
    await engine.tick();
    const answer = await stateOf(held);
    expect(answer).not.toBe("pending");
    expect((answer as HeartbeatResult).status).toMatchObject({ state: "admitted", hold: false });
    expect((answer as HeartbeatResult).admissionToken).toMatch(/^ey/);
    expect(engine.heldHeartbeats().size).toBe(0);
  });

  it("answers at once, hold false, far back in the line; holds the few at the front", async () => {
    const { engine } = await fixture([testRoom({ capacity: 0 })]);
    const line = await enterMany(engine, 30);
    // No admissions yet: the floor (10) of the lookahead.
    const front = await engine.heartbeat("test", line[9]?.token as string);
    const back = await engine.heartbeat("test", line[10]?.token as string);
    expect(front.status.hold).toBe(false); // capacity 0: paused, nobody is admitted
    expect(back.status.hold).toBe(false);
    await engine.updateRoom("test", { capacity: 1 });
    await engine.tick(); // the head goes in; the rest wait
    const tenth = await engine.heartbeat("test", line[10]?.token as string);
    const far = engine.heartbeat("test", line[29]?.token as string, undefined, { ms: 5_000 });
    expect(tenth.status).toMatchObject({ position: 10, hold: true });
    const farAnswer = await stateOf(far);
    expect(farAnswer).not.toBe("pending");
    expect((farAnswer as HeartbeatResult).status).toMatchObject({ position: 29, hold: false });
  });

  it("answers with the status when the hold runs out, capped at the heartbeat interval", async () => {
    const { engine } = await fixture([testRoom({ capacity: 0, heartbeatIntervalMs: 60 })]);
    await engine.updateRoom("test", { capacity: 1 });
    const [, waiting] = await enterMany(engine, 2);
    await engine.tick();
    const startedAt = performance.now();
    const answer = await engine.heartbeat("test", waiting?.token as string, undefined, { ms: 600_000 });
    const tookMs = performance.now() - startedAt;
    expect(answer.status).toMatchObject({ state: "waiting", position: 1, hold: true });
    expect(answer.admissionToken).toBeNull();
    expect(tookMs).toBeGreaterThanOrEqual(50);
    expect(tookMs).toBeLessThan(1_000);
  });

  it("answers token_expired when the visitor is evicted while holding", async () => {
    const { engine } = await fixture([testRoom({ capacity: 1 })]);
    const [, only] = await enterMany(engine, 2);
    const held = engine.heartbeat("test", only?.token as string, undefined, { ms: 5_000 });
    expect(await stateOf(held)).toBe("pending");
    await engine.evict("test", only?.id as string);
    expect(await errorCodeOf(held)).toBe("token_expired");
    expect(engine.heldHeartbeats().size).toBe(0);
  });

  it("answers every hold at once on a room's deletion and on shutdown", async () => {
    const { engine } = await fixture([testRoom({ capacity: 1 }), testRoom({ id: "other", capacity: 1 })]);
    const [, a] = await enterMany(engine, 2);
    const [, b] = await enterMany(engine, 2, "other");
    const heldA = engine.heartbeat("test", a?.token as string, undefined, { ms: 60_000 });
    const heldB = engine.heartbeat("other", b?.token as string, undefined, { ms: 60_000 });
    expect(await stateOf(heldA)).toBe("pending");
    await engine.deleteRoom("test", { force: true });
    expect(await stateOf(heldA)).toMatchObject({ status: { hold: false }, admissionToken: null });
    expect(await stateOf(heldB)).toBe("pending");
    engine.releaseHeldHeartbeats();
    expect(await stateOf(heldB)).toMatchObject({ status: { state: "waiting", position: 1 } });
    expect(engine.heldHeartbeats().size).toBe(0);
  });

  it("holds no more than the bound per room: beyond it, answered at once with hold false", async () => {
    const { engine } = await fixture([testRoom({ capacity: 1 })], undefined, undefined, undefined, {
      heldHeartbeats: { maxPerRoom: 2, maxTotal: 100 },
    });
    const line = (await enterMany(engine, 4)).slice(1);
    const holds = line.map((v) => engine.heartbeat("test", v.token, undefined, { ms: 60_000 }));
    expect(await stateOf(holds[0] as Promise<HeartbeatResult>)).toBe("pending");
    expect(await stateOf(holds[1] as Promise<HeartbeatResult>)).toBe("pending");
    expect(await stateOf(holds[2] as Promise<HeartbeatResult>)).toMatchObject({ status: { hold: false } });
    expect(engine.heldHeartbeats()).toEqual(new Map([["test", 2]]));
    engine.releaseHeldHeartbeats();
    await Promise.all(holds);
  });

  it("lets go of a hold whose client hung up; the visitor still expires if it sends nothing more", async () => {
    const { engine, clock } = await fixture([testRoom({ capacity: 1, heartbeatTimeoutMs: 20_000 })]);
    const [, only] = await enterMany(engine, 2);
    const controller = new AbortController();
    const held = engine.heartbeat("test", only?.token as string, undefined, { ms: 60_000, signal: controller.signal });
    expect(await stateOf(held)).toBe("pending");
    controller.abort();
    await held;
    expect(engine.heldHeartbeats().size).toBe(0);
    clock.advance(20_000);
    await engine.tick();
    expect(await errorCodeOf(engine.heartbeat("test", only?.token as string))).toBe("token_expired");
  });
});
