import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { clampHeartbeatMs, DEFAULT_RETRY_CAP_MS, retryCapMs, retryDelayMs } from "./retry-delay";

describe("retryCapMs", () => {
  it.each([
    [20_000, 5_000],
    [6_000, 1_500],
    [60_000, 15_000],
    [10 * 60_000, 30_000],
    [1_000, 500],
    [null, DEFAULT_RETRY_CAP_MS],
    [Number.NaN, DEFAULT_RETRY_CAP_MS],
    [-5, DEFAULT_RETRY_CAP_MS],
  ])("timeout %s ms -> cap %s ms", (timeoutMs, capMs) => {
    expect(retryCapMs(timeoutMs)).toBe(capMs);
  });

  it("is well below any timeout a room may have, before any reply too", () => {
    // The smallest timeout a room can be given (server/env.ts, room settings) is 1 s.
    expect(DEFAULT_RETRY_CAP_MS).toBeLessThanOrEqual(20_000 / 4);
    fc.assert(
      fc.property(fc.integer({ min: 1_000, max: 3_600_000 }), (timeoutMs) => {
        expect(retryCapMs(timeoutMs)).toBeLessThanOrEqual(timeoutMs / 2);
      }),
    );
  });
});

describe("retryDelayMs", () => {
  it("never waits longer than the cap, whatever the failures, Retry-After or draw", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 1_000 }),
        fc.option(fc.integer({ min: 0, max: 24 * 3_600_000 }), { nil: null }),
        fc.integer({ min: 500, max: 30_000 }),
        fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
        (failures, retryAfterMs, capMs, draw) => {
          const delay = retryDelayMs(failures, retryAfterMs, capMs, () => draw);
          expect(delay).toBeLessThanOrEqual(capMs);
          expect(delay).toBeGreaterThanOrEqual(100);
        },
      ),
    );
  });

  it("grows from about a second, up to the cap", () => {
    const top = () => 0.999_999;
    expect(retryDelayMs(1, null, 5_000, top)).toBe(1_000);
    expect(retryDelayMs(2, null, 5_000, top)).toBe(2_000);
    expect(retryDelayMs(3, null, 5_000, top)).toBe(4_000);
    expect(retryDelayMs(4, null, 5_000, top)).toBe(5_000);
    expect(retryDelayMs(50, null, 5_000, top)).toBe(5_000);
  });

  it("spreads a crowd that failed together over the whole window (full jitter)", () => {
    let seed = 11;
    const random = () => {
      seed = (seed * 16807) % 2147483647;
      return (seed - 1) / 2147483646;
    };
    const delays = Array.from({ length: 2_000 }, () => retryDelayMs(8, null, 5_000, random));
    const buckets = new Array(5).fill(0);
    for (const delay of delays) buckets[Math.min(4, Math.floor(delay / 1_000))]++;
    // Each second of the 5 s window gets about a fifth; none gets a crowd.
    for (const count of buckets) {
      expect(count).toBeGreaterThan(300);
      expect(count).toBeLessThan(500);
    }
  });

  it("honours Retry-After when it fits under the cap, and spreads those who got the same one", () => {
    const low = retryDelayMs(1, 3_000, 5_000, () => 0);
    expect(low).toBeGreaterThanOrEqual(3_000);
    const high = retryDelayMs(1, 3_000, 5_000, () => 0.999_999);
    expect(high).toBeLessThanOrEqual(5_000);
    expect(high - low).toBeGreaterThan(1_000);
  });

  it("caps a long Retry-After: holding the place comes first", () => {
    expect(retryDelayMs(1, 10 * 60_000, 5_000, () => 0.5)).toBeLessThanOrEqual(5_000);
    expect(retryDelayMs(1, 10 * 60_000, 5_000, () => 0)).not.toBe(retryDelayMs(1, 10 * 60_000, 5_000, () => 0.9));
  });
});

describe("clampHeartbeatMs", () => {
  it.each([
    [5_000, 5_000],
    [0, 1_000],
    [-1, 1_000],
    [10 * 60_000, 60_000],
    [Number.NaN, 5_000],
  ])("%s -> %s", (input, expected) => {
    expect(clampHeartbeatMs(input)).toBe(expected);
  });
});
