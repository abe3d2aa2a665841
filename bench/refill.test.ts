import { describe, expect, it } from "vitest";
import { type FreedSlot, measureRefill, type RefillInput, refillPasses } from "@/bench/refill";

// A room of 2: a and b admitted at 0; c, d, e wait from 0.
const base = (over: Partial<RefillInput>): RefillInput => ({
  capacity: 2,
  frees: [],
  admittedAtMs: [0, 0],
  waitingSpans: [
    [0, Number.POSITIVE_INFINITY],
    [0, Number.POSITIVE_INFINITY],
    [0, Number.POSITIVE_INFINITY],
  ],
  observableUntilMs: 100_000,
  goalMs: 1_000,
  ...over,
});

describe("measureRefill", () => {
  it("ties the k-th freed slot to admission capacity + k", () => {
    const frees: FreedSlot[] = [
      { atMs: 5_000, kind: "silent" },
      { atMs: 3_000, kind: "left" },
    ];
    const report = measureRefill(base({ frees, admittedAtMs: [0, 0, 3_100, 5_400] }));
    expect(report).toMatchObject({ measured: 2, unfilled: 0, overGoal: 0, maxMs: 400 });
    expect(report.silent).toMatchObject({ measured: 1, maxMs: 400 });
    expect(report.left).toMatchObject({ measured: 1, maxMs: 100 });
    expect(refillPasses(report)).toBe(true);
  });

  it("fails when silent visitors are never expired: their slots stay empty while people wait", () => {
    // Only the leaver's slot is filled; the silent one is not (expiry skipped).
    const frees: FreedSlot[] = [
      { atMs: 3_000, kind: "left" },
      { atMs: 5_000, kind: "silent" },
    ];
    const report = measureRefill(base({ frees, admittedAtMs: [0, 0, 3_100] }));
    expect(report.unfilled).toBe(1);
    expect(refillPasses(report)).toBe(false);
  });

  it("fails when a slot is filled later than the goal, even if other admissions happen meanwhile", () => {
    // Two slots free at 3 s; one is filled at once, the other (a slow expiry) 2.5 s later.
    const frees: FreedSlot[] = [
      { atMs: 3_000, kind: "left" },
      { atMs: 3_000, kind: "silent" },
    ];
    const report = measureRefill(base({ frees, admittedAtMs: [0, 0, 3_050, 5_500] }));
    expect(report.overGoal).toBe(1);
    expect(report.slowest).toMatchObject({ delayMs: 2_500 });
    expect(refillPasses(report)).toBe(false);
  });

  it("stops pairing once nobody is waiting, and leaves unobservable frees out", () => {
    const frees: FreedSlot[] = [
      { atMs: 3_000, kind: "silent" },
      { atMs: 9_000, kind: "silent" },
    ];
    const report = measureRefill(
      base({ frees, admittedAtMs: [0, 0, 3_100], waitingSpans: [[0, 3_100]], observableUntilMs: 100_000 }),
    );
    expect(report).toMatchObject({ measured: 1, lineEmptyAtMs: 9_000 });
    const late = measureRefill(base({ frees, admittedAtMs: [0, 0, 3_100], observableUntilMs: 8_000 }));
    expect(late).toMatchObject({ measured: 1, unfilled: 0 });
  });

  it("cannot pass with nothing measured", () => {
    expect(refillPasses(measureRefill(base({})))).toBe(false);
  });
});
