import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { RateWindow } from "@/server/queue/rate-window";

describe("RateWindow", () => {
  it("counts events inside the window and forgets older ones", () => {
    const w = new RateWindow(60_000, 0);
    w.record(1_000, 5);
    w.record(30_500, 10);
    expect(w.total(59_999)).toBe(15);
    expect(w.total(61_500)).toBe(10);
    expect(w.total(200_000)).toBe(0);
  });

  it.each([
    { label: "young window uses elapsed time", start: 0, now: 10_000, events: 20, expected: 2 },
    { label: "old window uses the full window", start: 0, now: 600_000, events: 120, expected: 2 },
    { label: "first second is not divided by zero", start: 5_000, now: 5_100, events: 3, expected: 3 },
  ])("$label", ({ start, now, events, expected }) => {
    const w = new RateWindow(60_000, start);
    w.record(now, events);
    expect(w.perSecond(now)).toBeCloseTo(expected, 5);
  });

  it("gives the busiest second of the window, forgetting older ones", () => {
    const w = new RateWindow(60_000, 0);
    w.record(1_200, 40);
    w.record(1_900, 60);
    w.record(5_000, 30);
    expect(w.peakPerSecond(10_000)).toBe(100);
    expect(w.peakPerSecond(61_500)).toBe(30);
    expect(w.peakPerSecond(200_000)).toBe(0);
  });
});

describe("RateWindow reads after any history", () => {
  it("agree with a plain count of the events in the window (cached walks never go stale)", () => {
    const step = fc.oneof(
      fc.record({
        kind: fc.constant("record" as const),
        atMs: fc.nat({ max: 200_000 }),
        count: fc.integer({ min: 1, max: 50 }),
      }),
      fc.record({ kind: fc.constant("read" as const), atMs: fc.nat({ max: 200_000 }) }),
    );
    fc.assert(
      fc.property(fc.array(step, { maxLength: 80 }), (steps) => {
        const w = new RateWindow(60_000, 0);
        const events: { second: number; count: number }[] = [];
        // Time only moves forward, as the engine's clock does.
        let now = 0;
        for (const s of steps) {
          now = Math.max(now, s.atMs);
          if (s.kind === "record") {
            w.record(now, s.count);
            events.push({ second: Math.floor(now / 1000), count: s.count });
            continue;
          }
          const current = Math.floor(now / 1000);
          const live = events.filter((e) => e.second > current - 60 && e.second <= current);
          const perSecond = new Map<number, number>();
          for (const e of live) perSecond.set(e.second, (perSecond.get(e.second) ?? 0) + e.count);
          expect(w.total(now)).toBe(live.reduce((sum, e) => sum + e.count, 0));
          expect(w.peakPerSecond(now)).toBe(Math.max(0, ...perSecond.values()));
        }
      }),
      { numRuns: 500 },
    );
  });
});
