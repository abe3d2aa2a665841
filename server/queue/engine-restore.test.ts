import { describe, expect, it } from "vitest";
import { restoreGraceMsFor } from "@/server/queue/engine";
import { errorCodeOf, testRoom, trackEngineFixtures } from "@/server/testing/engine-fixture";

// After a restart (or a cluster takeover) every visitor's page is still retrying on its own
// schedule: at most a quarter of the timeout apart (components/waiting/retry-delay.ts), counted
// from when the server is back, and the server is back some seconds after it loaded the rooms.
// One timeout from load time is not enough for that; the restore grace is.

const { fixture, restart } = trackEngineFixtures();
const timeoutMs = 20_000;

describe("QueueEngine restore grace", () => {
  it.each([
    [20_000, 50_000],
    [6_000, 36_000],
    [120_000, 240_000],
  ])("defaults, for a %i ms timeout, to %i ms: the retry bound plus start-up", (timeout, grace) => {
    expect(restoreGraceMsFor(timeout)).toBe(grace);
    // Pages come back at most a quarter of the timeout after the server listens.
    expect(grace - timeout / 4).toBeGreaterThanOrEqual(timeout + 25_000);
  });

  it("keeps every restored place for visitors who come back after one timeout but within the grace", async () => {
    const first = await fixture([testRoom({ capacity: 1, heartbeatTimeoutMs: timeoutMs })]);
    const visitors = [];
    for (let i = 0; i < 4; i++) visitors.push(await first.engine.enter("test", undefined));
    await first.engine.tick();
    const { engine, clock } = await restart(first);
    // The server took a while to listen, and each page's retry came at the end of its window.
    clock.advance(timeoutMs * 1.5);
    await engine.tick();
    const after = await Promise.all(visitors.map((v) => engine.heartbeat("test", v.token)));
    expect(after.map((r) => r.status.state)).toEqual(["admitted", "waiting", "waiting", "waiting"]);
    expect(after.map((r) => r.status.position)).toEqual([null, 1, 2, 3]);
    expect(engine.roomStats("test")).toMatchObject({ active: 1, waiting: 3, expiredTotal: 0 });
  });

  it("gives a returning visitor the ordinary timeout again from its first heartbeat", async () => {
    const first = await fixture([testRoom({ capacity: 0, heartbeatTimeoutMs: timeoutMs })]);
    const a = await first.engine.enter("test", undefined);
    const { engine, clock } = await restart(first);
    clock.advance(timeoutMs + 1_000);
    await engine.heartbeat("test", a.token);
    clock.advance(timeoutMs + 500);
    await engine.tick();
    expect(await errorCodeOf(engine.heartbeat("test", a.token))).toBe("token_expired");
  });

  it("follows FLOODGATE_RESTORE_GRACE_MS when set", async () => {
    const first = await fixture(
      [testRoom({ capacity: 0, heartbeatTimeoutMs: timeoutMs })],
      undefined,
      undefined,
      undefined,
      {
        restoreGraceMs: 90_000,
      },
    );
    const a = await first.engine.enter("test", undefined);
    const b = await first.engine.enter("test", undefined);
    const { engine, clock } = await restart(first);
    clock.advance(85_000);
    await engine.tick();
    expect((await engine.heartbeat("test", a.token)).status.position).toBe(1);
    clock.advance(6_000);
    await engine.tick();
    expect(await errorCodeOf(engine.heartbeat("test", b.token))).toBe("token_expired");
  });

  it("frees the slots of restored admitted visitors who never come back, after the grace, and refills them", async () => {
    const first = await fixture([testRoom({ capacity: 2, heartbeatTimeoutMs: timeoutMs })]);
    const [stays, vanished, c, d] = [
      await first.engine.enter("test", undefined),
      await first.engine.enter("test", undefined),
      await first.engine.enter("test", undefined),
      await first.engine.enter("test", undefined),
    ];
    await first.engine.tick();
    const { engine, clock, store } = await restart(first);
    expect(engine.roomStats("test")).toMatchObject({ active: 2, waiting: 2 });
    // Everyone but `vanished` checks in every 5 s; the slot it holds stays taken through the grace.
    const beat = async () => {
      for (const v of [stays, c, d]) await engine.heartbeat("test", v.token);
    };
    let elapsedMs = 0;
    for (; elapsedMs < timeoutMs * 1.5; elapsedMs += 5_000) {
      clock.advance(5_000);
      await engine.tick();
      await beat();
      expect(engine.roomStats("test").active).toBe(2);
    }
    expect((await engine.heartbeat("test", c.token)).status.position).toBe(1);
    // Past any grace: `vanished` is dropped, and its slot goes to the head of the line.
    for (; elapsedMs < timeoutMs * 4; elapsedMs += 5_000) {
      clock.advance(5_000);
      await engine.tick();
      await beat();
    }
    await engine.tick();
    expect(await errorCodeOf(engine.heartbeat("test", vanished.token))).toBe("token_expired");
    expect((await engine.heartbeat("test", c.token)).status.state).toBe("admitted");
    expect((await engine.heartbeat("test", d.token)).status.position).toBe(1);
    const stats = engine.roomStats("test");
    expect(stats).toMatchObject({ active: 2, waiting: 1, expiredTotal: 1 });
    expect(stats.maxActiveObserved).toBe(2);
    expect((await store.loadRoomState("test")).counters.active).toBe(2);
  });
});
