import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { AdmissionRate, windowLimits } from "@/server/queue/admission-rate";

// Whatever the demand and however the ticks fall, no sliding window admits more than its share
// of the limit, and a room with people waiting gets its full limit over time.

/** Most admissions in any window of `ms` among sorted times. */
function busiestWindow(times: number[], ms: number): number {
  let most = 0;
  let start = 0;
  for (let end = 0; end < times.length; end++) {
    while ((times[start] as number) <= (times[end] as number) - ms) start++;
    most = Math.max(most, end - start + 1);
  }
  return most;
}

describe("AdmissionRate", () => {
  it("never lets any 60 s, 10 s or 1 s window take more than its share, whatever the ticks and demand", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 5_000 }),
        fc.array(fc.tuple(fc.integer({ min: 1, max: 3_000 }), fc.integer({ min: 0, max: 500 })), {
          minLength: 1,
          maxLength: 400,
        }),
        (perMinute, steps) => {
          const rate = new AdmissionRate(perMinute);
          const times: number[] = [];
          let now = 0;
          for (const [gapMs, demand] of steps) {
            now += gapMs;
            const admitted = Math.min(demand, rate.allowance(now));
            rate.record(now, admitted);
            for (let i = 0; i < admitted; i++) times.push(now);
          }
          const [perMinuteCap, perTenCap, perSecondCap] = windowLimits(perMinute);
          expect(busiestWindow(times, 60_000)).toBeLessThanOrEqual(perMinuteCap as number);
          expect(busiestWindow(times, 10_000)).toBeLessThanOrEqual(perTenCap as number);
          expect(busiestWindow(times, 1_000)).toBeLessThanOrEqual(perSecondCap as number);
        },
      ),
    );
  });

  it.each([6, 60, 100, 1_000])(
    "lets %i a minute through when people are always waiting (ticks every 100 ms)",
    (perMinute) => {
      const rate = new AdmissionRate(perMinute);
      let admitted = 0;
      for (let now = 0; now < 10 * 60_000; now += 100) {
        const n = rate.allowance(now);
        rate.record(now, n);
        admitted += n;
      }
      expect(admitted).toBeGreaterThanOrEqual(perMinute * 10 - Math.ceil(perMinute / 6));
      expect(admitted).toBeLessThanOrEqual(perMinute * 10);
    },
  );

  it("spreads 6 a minute one every 10 s, not six at once", () => {
    const rate = new AdmissionRate(6);
    const times: number[] = [];
    for (let now = 0; now < 60_000; now += 100) {
      const n = rate.allowance(now);
      rate.record(now, n);
      for (let i = 0; i < n; i++) times.push(now);
    }
    expect(times).toEqual([0, 10_000, 20_000, 30_000, 40_000, 50_000]);
  });

  it("gives back a failed admission's share, takes a new limit at once, and has no limit when null", () => {
    const rate = new AdmissionRate(60);
    rate.record(0, 1);
    expect(rate.allowance(0)).toBe(0);
    rate.giveBack(1);
    expect(rate.allowance(0)).toBe(1);
    rate.record(0, 1);
    rate.setPerMinute(600);
    expect(rate.allowance(0)).toBe(9);
    rate.setPerMinute(null);
    expect(rate.allowance(0)).toBe(Number.POSITIVE_INFINITY);
  });
});
