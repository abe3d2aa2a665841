import { describe, expect, it } from "vitest";
import { formatRelative, formatSpan } from "./relative-time";

const NOW = Date.parse("2025-03-12T10:00:00Z");
const MIN = 60_000;

describe("formatRelative", () => {
  it.each([
    [0, "just now"],
    [-59_999, "just now"],
    [59_999, "in under a minute"],
    [-MIN, "1 min ago"],
    [5 * MIN + 30_000, "in 5 min"],
    [-59 * MIN, "59 min ago"],
    [60 * MIN, "in 1 h"],
    [-(2 * 60 + 10) * MIN, "2 h 10 min ago"],
    [47 * 60 * MIN, "in 47 h"],
    [-3 * 24 * 60 * MIN, "3 days ago"],
  ])("%d ms from now reads %j", (delta, text) => {
    expect(formatRelative(NOW + delta, NOW)).toBe(text);
  });

  it("measures spans the same either way", () => {
    expect(formatSpan(-90 * MIN)).toBe(formatSpan(90 * MIN));
  });
});
