import { describe, expect, it } from "vitest";
import { backoffDelayMs, backoffFirstMs, backoffMaxMs } from "./poll-backoff";

const lowest = () => 0;
const highest = () => 0.999_999;

describe("backoffDelayMs", () => {
  it("does not wait before any failure", () => {
    expect(backoffDelayMs(0)).toBe(0);
    expect(backoffDelayMs(-1)).toBe(0);
    expect(backoffDelayMs(Number.NaN)).toBe(0);
  });

  it.each([
    [1, 2_000, 4_000],
    [2, 4_000, 8_000],
    [3, 8_000, 16_000],
    [4, 16_000, 32_000],
    [5, 30_000, 60_000],
    [6, 30_000, 60_000],
    [50, 30_000, 60_000],
  ])("after %d failures waits between %d and %d ms", (failures, low, high) => {
    expect(backoffDelayMs(failures, lowest)).toBe(low);
    expect(backoffDelayMs(failures, highest)).toBe(high);
    for (let i = 0; i < 50; i++) {
      const wait = backoffDelayMs(failures);
      expect(wait).toBeGreaterThanOrEqual(low);
      expect(wait).toBeLessThanOrEqual(high);
    }
  });

  it("never waits less than the first step nor more than the cap", () => {
    for (let failures = 1; failures < 40; failures++) {
      expect(backoffDelayMs(failures, lowest)).toBeGreaterThanOrEqual(backoffFirstMs);
      expect(backoffDelayMs(failures, highest)).toBeLessThanOrEqual(backoffMaxMs);
    }
  });

  it("spreads tabs that failed at the same moment", () => {
    const waits = new Set(Array.from({ length: 20 }, () => backoffDelayMs(3)));
    expect(waits.size).toBeGreaterThan(5);
  });

  it("adds up to few attempts over 20 s of failures", () => {
    // The e2e proof counts requests against a server that refuses for ~20 s: even at the
    // shortest waits, one query makes at most 4 attempts after its first failure.
    let elapsed = 0;
    let attempts = 0;
    while (elapsed <= 20_000) {
      attempts += 1;
      elapsed += backoffDelayMs(attempts, lowest);
    }
    expect(attempts).toBeLessThanOrEqual(4);
  });
});
