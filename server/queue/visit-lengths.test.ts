import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { typicalVisitTail, VisitLengths, visitQuantiles } from "@/server/queue/visit-lengths";

const ended = (lengths: number[]) => lengths.map((lengthMs) => ({ lengthMs, weight: 1 }));
const ongoing = (ages: number[]) => ages.map((ageMs) => ({ ageMs, weight: 1 }));

describe("visit lengths", () => {
  it("with every visit ended, are the lengths' own quantiles", () => {
    const lengths = Array.from({ length: 100 }, (_, i) => (i + 1) * 1_000);
    const quantiles = visitQuantiles(ended(lengths), [], 4, null);
    expect(quantiles).toEqual([13_000, 38_000, 63_000, 88_000]);
  });

  it("count visits still going as longer than their age, not as never having been", () => {
    // A room's first minute: ten short visits ended, ninety still going at 50 s. Their mean
    // (10 s) would promise waits five times too short.
    const early = ended(Array.from({ length: 10 }, () => 10_000));
    const going = ongoing(Array.from({ length: 90 }, () => 50_000));
    // Without a typical visit most of the lengths are unknown: no estimate.
    expect(visitQuantiles(early, going, 10, null)).toBeNull();
    const quantiles = visitQuantiles(early, going, 10, typicalVisitTail(60_000)) as number[];
    expect(quantiles[0]).toBe(10_000);
    // The nine other shares are beyond 50 s, spread over what the typical visit allows past it.
    for (const q of quantiles.slice(1)) {
      expect(q).toBeGreaterThanOrEqual(50_000);
      expect(q).toBeLessThanOrEqual(90_000);
    }
  });

  it("put a few lengths beyond every age seen just past it when there is no typical visit", () => {
    const quantiles = visitQuantiles(ended([10_000, 10_000, 10_000]), ongoing([20_000]), 4, null) as number[];
    expect(quantiles).toEqual([10_000, 10_000, 10_000, 25_000]);
  });

  it("never get shorter when more visits are still going (property)", () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1, max: 200_000 }), { minLength: 1, maxLength: 60 }),
        fc.array(fc.integer({ min: 0, max: 200_000 }), { maxLength: 60 }),
        (lengths, ages) => {
          const tail = typicalVisitTail(60_000);
          const without = visitQuantiles(ended(lengths), [], 16, tail) as number[];
          const withOngoing = visitQuantiles(ended(lengths), ongoing(ages), 16, tail) as number[];
          for (let i = 0; i < 16; i++) expect(withOngoing[i]).toBeGreaterThanOrEqual(without[i] as number);
        },
      ),
    );
  });

  it("are remembered by admission time: those admitted before the window are forgotten", () => {
    const lengths = new VisitLengths(60_000);
    lengths.record(0, 30_000, 1);
    lengths.record(50_000, 80_000, 2);
    expect(lengths.ended(10_000)).toEqual([{ lengthMs: 30_000, weight: 2 }]);
  });

  it("keep the latest 8,192 visits, in a ring that grows only as visits end", () => {
    const lengths = new VisitLengths(Number.POSITIVE_INFINITY);
    for (let i = 0; i < 10_000; i++) lengths.record(i, i + 1_000 + i, 1);
    const kept = lengths.ended(0);
    expect(kept).toHaveLength(8_192);
    // The oldest 1,808 were overwritten.
    expect(Math.min(...kept.map((v) => v.lengthMs))).toBe(1_000 + 1_808);
  });

  it("sample one visit in every k in big rooms", () => {
    expect(VisitLengths.stride(500)).toBe(1);
    expect(VisitLengths.stride(1_024)).toBe(1);
    expect(VisitLengths.stride(100_000)).toBe(98);
  });
});
