import { describe, expect, it } from "vitest";
import { AppError } from "@/server/api/errors";
import { enterMany, ManualClock, testRoom, trackEngineFixtures } from "@/server/testing/engine-fixture";

// A page learns its place is gone at its next heartbeat; the refusal says why (the page shows
// it): the site removed it, the site ended the session, the time limit, silence, or our side.

const { fixture, restart } = trackEngineFixtures();
const timeoutMs = 20_000;
/** Queue tokens carry the real issue time, so the engine's clock starts at the real time too. */
const realClock = () => new ManualClock(Date.now());

async function refusal(promise: Promise<unknown>): Promise<{ code: string; reason: unknown }> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof AppError) return { code: error.code, reason: error.details?.reason };
    throw error;
  }
  throw new Error("expected a refusal");
}

describe("QueueEngine: why a place is gone", () => {
  it("tells an evicted visitor, waiting or inside, that the site removed them", async () => {
    const { engine } = await fixture(
      [testRoom({ capacity: 1, heartbeatTimeoutMs: timeoutMs })],
      undefined,
      realClock(),
    );
    const [inside, waiting, other] = await enterMany(engine, 3);
    await engine.tick();
    await engine.evict("test", inside?.id ?? "");
    await engine.evict("test", waiting?.id ?? "");
    expect(await refusal(engine.heartbeat("test", inside?.token ?? ""))).toEqual({
      code: "token_expired",
      reason: "evicted",
    });
    expect(await refusal(engine.requireStatus("test", waiting?.token ?? ""))).toEqual({
      code: "token_expired",
      reason: "evicted",
    });
    // A reload renders the reason too, instead of a silent new place.
    expect(await engine.status("test", waiting?.token ?? "")).toMatchObject({
      state: "expired",
      goneReason: "evicted",
      sessionEndsAt: null,
    });
    expect((await engine.heartbeat("test", other?.token ?? "")).status.state).not.toBe("expired");
  });

  it("tells everyone a drain took out of line that the site removed them", async () => {
    const { engine } = await fixture(
      [testRoom({ capacity: 0, heartbeatTimeoutMs: timeoutMs })],
      undefined,
      realClock(),
    );
    const visitors = await enterMany(engine, 3);
    expect(await engine.drain("test")).toBe(3);
    for (const v of visitors) expect((await refusal(engine.heartbeat("test", v.token))).reason).toBe("evicted");
  });

  it("tells a visitor whose session the site ended so, and one whose page ended it nothing of the site", async () => {
    const { engine } = await fixture(
      [testRoom({ capacity: 2, heartbeatTimeoutMs: timeoutMs })],
      undefined,
      realClock(),
    );
    const [bySite, byPage] = await enterMany(engine, 2);
    await engine.tick();
    await engine.endSession("test", bySite?.id ?? "", "site");
    await engine.endSession("test", byPage?.id ?? "", "page");
    expect((await refusal(engine.heartbeat("test", bySite?.token ?? ""))).reason).toBe("ended_by_site");
    expect(await engine.status("test", bySite?.token ?? "")).toMatchObject({ goneReason: "ended_by_site" });
    expect((await refusal(engine.heartbeat("test", byPage?.token ?? ""))).reason).toBe("timed_out");
  });

  it("says the time limit ended a session (session_ended), and silence for a page that stopped", async () => {
    const { engine, clock } = await fixture(
      [testRoom({ capacity: 1, heartbeatTimeoutMs: timeoutMs, sessionDurationSeconds: 60 })],
      undefined,
      realClock(),
    );
    const [inside, silent] = await enterMany(engine, 2);
    await engine.tick();
    for (let s = 0; s < 55; s += 5) {
      clock.advance(5_000);
      await engine.heartbeat("test", inside?.token ?? "");
    }
    clock.advance(6_000);
    await engine.tick();
    expect(await refusal(engine.heartbeat("test", inside?.token ?? ""))).toEqual({
      code: "session_ended",
      reason: "session_limit",
    });
    expect(await engine.status("test", inside?.token ?? "")).toMatchObject({ goneReason: "session_limit" });
    expect(await refusal(engine.heartbeat("test", silent?.token ?? ""))).toEqual({
      code: "token_expired",
      reason: "timed_out",
    });
    // Silence is not shown again on a reload: that visitor simply gets a new place.
    expect(await engine.status("test", silent?.token ?? "")).toBeNull();
  });

  it("owns up to a place the store did not give back after a restart, while restored places wait", async () => {
    const first = await fixture([testRoom({ capacity: 0, heartbeatTimeoutMs: timeoutMs })], undefined, realClock());
    const [kept, lost, laterSilent] = await enterMany(first.engine, 3);
    // The store loses one place (a crash before its write landed, a store that lost data).
    await first.store.remove("test", [{ id: lost?.id ?? "", reason: "left" }]);
    first.clock.advance(2_000);
    const { engine, clock } = await restart(first);
    clock.advance(5_000);
    expect((await engine.heartbeat("test", kept?.token ?? "")).status.position).toBe(1);
    await engine.heartbeat("test", laterSilent?.token ?? "");
    expect(await refusal(engine.heartbeat("test", lost?.token ?? ""))).toEqual({
      code: "token_expired",
      reason: "lost",
    });
    expect(await engine.status("test", lost?.token ?? "")).toMatchObject({ state: "expired", goneReason: "lost" });
    // Restored, checked in once, then silent for a timeout (still inside the grace): silence.
    clock.advance(timeoutMs + 1_000);
    await engine.heartbeat("test", kept?.token ?? "");
    await engine.tick();
    expect((await refusal(engine.heartbeat("test", laterSilent?.token ?? ""))).reason).toBe("timed_out");
    // Long after the grace, a page that stayed away all along was silent too.
    clock.advance(120_000);
    await engine.tick();
    expect((await refusal(engine.heartbeat("test", lost?.token ?? ""))).reason).toBe("timed_out");
  });
});
