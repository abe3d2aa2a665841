import { describe, expect, it } from "vitest";
import type { SeriesPoint } from "@/server/admin/admin-types";
import { compactSeconds, rowsWithGaps, timeTicks } from "./chart-data";

function point(t: number, waiting: number): SeriesPoint {
  return {
    t,
    waiting,
    active: 1,
    capacity: 2,
    arrivalsPerMinute: 0,
    admissionsPerMinute: 0,
    expiredPerMinute: 0,
    medianWaitSeconds: null,
    p95WaitSeconds: null,
  };
}

describe("rowsWithGaps", () => {
  it("keeps contiguous samples as they are, sorted", () => {
    const rows = rowsWithGaps([point(20_000, 2), point(10_000, 1)], 10);
    expect(rows.map((row) => row.waiting)).toEqual([1, 2]);
  });

  it("breaks the line where samples are missing", () => {
    const rows = rowsWithGaps([point(0, 1), point(10_000, 2), point(60_000, 3)], 10);
    expect(rows.map((row) => [row.t, row.waiting])).toEqual([
      [0, 1],
      [10_000, 2],
      [20_000, null],
      [60_000, 3],
    ]);
  });
});

describe("timeTicks", () => {
  it("falls on round minutes inside the range", () => {
    const from = new Date(2025, 0, 1, 10, 1, 30).getTime();
    const to = from + 15 * 60_000;
    const ticks = timeTicks(from, to, 3 * 60_000).map((t) => new Date(t).getMinutes());
    expect(ticks).toEqual([3, 6, 9, 12, 15]);
  });
});

describe("compactSeconds", () => {
  it.each([
    [0, "0s"],
    [45, "45s"],
    [60, "1m"],
    [80, "1m20s"],
    [160, "2m40s"],
    [720, "12m"],
    [3600, "1h"],
    [9000, "2h30m"],
  ])("%d s reads %s (never rounded to a coarser unit)", (seconds, label) => {
    expect(compactSeconds(seconds)).toBe(label);
  });
});
