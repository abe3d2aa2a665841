import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { HeldHeartbeats, type HoldOutcome } from "@/server/queue/held-heartbeats";

const settle = () => new Promise((resolve) => setImmediate(resolve));

describe("HeldHeartbeats", () => {
  it("answers a hold when woken, and only the holds of that visitor", async () => {
    const held = new HeldHeartbeats({ maxPerRoom: 10, maxTotal: 10 });
    const a = {};
    const b = {};
    const outcomes: string[] = [];
    held.hold("r", a, 10_000)?.then((o) => outcomes.push(`a:${o}`));
    held.hold("r", a, 10_000)?.then((o) => outcomes.push(`a2:${o}`));
    held.hold("r", b, 10_000)?.then((o) => outcomes.push(`b:${o}`));
    expect(held.total).toBe(3);
    held.wake(a);
    await settle();
    expect(outcomes.sort()).toEqual(["a2:woken", "a:woken"]);
    expect(held.counts()).toEqual(new Map([["r", 1]]));
    held.wakeAll();
    await settle();
    expect(outcomes).toContain("b:woken");
    expect(held.total).toBe(0);
  });

  it("refuses holds beyond the bounds, per room and in total", () => {
    const held = new HeldHeartbeats({ maxPerRoom: 2, maxTotal: 3 });
    expect(held.hold("r", {}, 10_000)).not.toBeNull();
    expect(held.hold("r", {}, 10_000)).not.toBeNull();
    expect(held.hold("r", {}, 10_000)).toBeNull();
    expect(held.hold("s", {}, 10_000)).not.toBeNull();
    expect(held.hold("t", {}, 10_000)).toBeNull();
    held.wakeRoom("r");
    expect(held.hold("t", {}, 10_000)).not.toBeNull();
    held.wakeAll();
    expect(held.total).toBe(0);
  });

  it("times out, and lets go at once of a client that hung up", async () => {
    const held = new HeldHeartbeats({ maxPerRoom: 10, maxTotal: 10 });
    const startedAt = performance.now();
    expect(await held.hold("r", {}, 30)).toBe("timeout");
    expect(performance.now() - startedAt).toBeGreaterThanOrEqual(25);
    const controller = new AbortController();
    const pending = held.hold("r", {}, 10_000, controller.signal);
    expect(held.total).toBe(1);
    controller.abort();
    expect(await pending).toBe("hangup");
    expect(held.total).toBe(0);
    expect(await held.hold("r", {}, 10_000, AbortSignal.abort())).toBe("hangup");
    expect(held.total).toBe(0);
  });

  // Many holds, wakes, hang-ups and timeouts in any order: every hold is answered exactly once,
  // the count always equals the holds still open, and nothing is left behind.
  it("never leaks a hold, whatever the order of wakes, hang-ups and timeouts", async () => {
    const step = fc.oneof(
      fc.record({
        kind: fc.constant("hold" as const),
        visitor: fc.nat(5),
        room: fc.nat(2),
        ms: fc.integer({ min: 1, max: 15 }),
      }),
      fc.record({ kind: fc.constant("wake" as const), visitor: fc.nat(5) }),
      fc.record({ kind: fc.constant("wakeRoom" as const), room: fc.nat(2) }),
      fc.record({ kind: fc.constant("hangup" as const), index: fc.nat(60) }),
      fc.record({ kind: fc.constant("wait" as const), ms: fc.integer({ min: 0, max: 8 }) }),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(step, { maxLength: 60 }), async (steps) => {
        const held = new HeldHeartbeats({ maxPerRoom: 4, maxTotal: 7 });
        const visitors = Array.from({ length: 6 }, () => ({}));
        const open: { controller: AbortController; answers: HoldOutcome[]; room: number }[] = [];
        for (const s of steps) {
          if (s.kind === "hold") {
            const controller = new AbortController();
            const answers: HoldOutcome[] = [];
            const pending = held.hold(`r${s.room}`, visitors[s.visitor] as object, s.ms, controller.signal);
            if (pending) {
              pending.then((o) => answers.push(o));
              open.push({ controller, answers, room: s.room });
            }
          } else if (s.kind === "wake") held.wake(visitors[s.visitor] as object);
          else if (s.kind === "wakeRoom") held.wakeRoom(`r${s.room}`);
          else if (s.kind === "hangup") open[s.index % Math.max(1, open.length)]?.controller.abort();
          else await new Promise((resolve) => setTimeout(resolve, s.ms));
          await settle();
          const stillOpen = open.filter((h) => h.answers.length === 0);
          expect(held.total).toBe(stillOpen.length);
          expect(held.total).toBeLessThanOrEqual(7);
          for (const [room, count] of held.counts()) {
            expect(count).toBeLessThanOrEqual(4);
            expect(count).toBe(stillOpen.filter((h) => `r${h.room}` === room).length);
          }
        }
        await new Promise((resolve) => setTimeout(resolve, 20));
        await settle();
        expect(held.total).toBe(0);
        expect(held.counts().size).toBe(0);
        for (const h of open) expect(h.answers).toHaveLength(1);
      }),
      { numRuns: 60 },
    );
  });
});
