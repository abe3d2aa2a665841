import { describe, expect, it } from "vitest";
import { clampHeartbeatMs, retryDelayMs } from "./retry-delay";

describe("retryDelayMs", () => {
  const noJitter = () => 0.5;
  const cases: Array<[number, number | null, number]> = [
    [1, null, 1_000],
    [2, null, 2_000],
    [3, null, 4_000],
    [5, null, 16_000],
    [6, null, 30_000],
    [50, null, 30_000],
    [1, 10_000, 10_000],
    [6, 5_000, 30_000],
    [1, 10 * 60_000, 120_000],
  ];
  it.each(cases)("failure %i with Retry-After %s waits %i ms", (failures, retryAfterMs, expected) => {
    expect(retryDelayMs(failures, retryAfterMs, noJitter)).toBe(expected);
  });

  it("keeps jitter within 20%", () => {
    expect(retryDelayMs(3, null, () => 0)).toBe(3_200);
    expect(retryDelayMs(3, null, () => 1)).toBe(4_800);
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
