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
