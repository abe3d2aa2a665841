import { describe, expect, it } from "vitest";
import type { SeriesPoint } from "@/server/admin/admin-types";
import { compactSeconds, labelWidthPx, rowsWithGaps, tickLabels, ticksThatFit, timeTicks } from "./chart-data";

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

describe("tickLabels", () => {
  const hourMs = 3_600_000;
  const day = (t: number) => new Intl.DateTimeFormat(undefined, { month: "short", day: "numeric" }).format(t);

  it("shows times only while the range stays within one day", () => {
    const from = new Date(2026, 11, 2, 9, 0).getTime();
    const ticks = timeTicks(from, from + 6 * hourMs, hourMs);
    const labels = tickLabels(ticks, from, from + 6 * hourMs, false);
    expect(labels.every((label) => label.date === null)).toBe(true);
    expect(labels.map((label) => label.time)).toHaveLength(7);
  });

  it("names the day on the first tick and at midnight when the range crosses it", () => {
    const from = new Date(2026, 11, 2, 21, 30).getTime();
    const to = from + 6 * hourMs;
    const ticks = timeTicks(from, to, hourMs);
    const labels = tickLabels(ticks, from, to, false);
    const midnight = new Date(2026, 11, 3, 0, 0).getTime();
    expect(labels.map((label) => label.date)).toEqual(
      ticks.map((t, i) => (i === 0 ? day(ticks[0] as number) : t === midnight ? day(midnight) : null)),
    );
    expect(labels.filter((label) => label.date !== null)).toHaveLength(2);
  });

  it("names the day under every tick of a 24 h range", () => {
    const to = new Date(2026, 11, 3, 10, 0).getTime();
    const from = to - 24 * hourMs;
    const ticks = timeTicks(from, to, 4 * hourMs);
    const labels = tickLabels(ticks, from, to, true);
    expect(labels.map((label) => label.date)).toEqual(ticks.map((t) => day(t)));
  });
});

describe("ticksThatFit", () => {
  const from = new Date(2026, 11, 2, 14, 4, 30).getTime();
  const to = from + 15 * 60_000;
  const ticks = timeTicks(from, to, 3 * 60_000);
  const labelPx = labelWidthPx(tickLabels(ticks, from, to, false));

  it("keeps every tick where there is room", () => {
    expect(ticksThatFit(ticks, from, to, 900, labelPx)).toEqual(ticks);
  });

  it("drops ticks on a phone so no two labels overlap", () => {
    // A 390 px phone leaves the plot about 230 px: five ticks 46 px apart do not fit.
    const shown = ticksThatFit(ticks, from, to, 230, labelPx);
    expect(shown.length).toBeLessThan(ticks.length);
    expect(shown[0]).toBe(ticks[0]);
    for (let i = 1; i < shown.length; i++) {
      const gapPx = (((shown[i] as number) - (shown[i - 1] as number)) / (to - from)) * 230;
      expect(gapPx).toBeGreaterThanOrEqual(labelPx);
    }
  });

  it("property: at any width, kept labels never overlap and at least one tick stays", () => {
    for (let plotPx = 20; plotPx <= 1600; plotPx += 7) {
      for (const [ms, step] of [
        [15 * 60_000, 3 * 60_000],
        [24 * 3_600_000, 4 * 3_600_000],
      ] as const) {
        const all = timeTicks(from, from + ms, step);
        const px = labelWidthPx(tickLabels(all, from, from + ms, true));
        const shown = ticksThatFit(all, from, from + ms, plotPx, px);
        expect(shown.length).toBeGreaterThanOrEqual(1);
        for (let i = 1; i < shown.length; i++) {
          expect((((shown[i] as number) - (shown[i - 1] as number)) / ms) * plotPx).toBeGreaterThanOrEqual(px);
        }
      }
    }
  });

  it("names the new day on the first tick kept after midnight when midnight's own tick is dropped", () => {
    const start = new Date(2026, 11, 2, 21, 30).getTime();
    const end = start + 6 * 3_600_000;
    const all = timeTicks(start, end, 3_600_000);
    const shown = ticksThatFit(all, start, end, 200, labelWidthPx(tickLabels(all, start, end, false)));
    const labels = tickLabels(shown, start, end, false);
    const afterMidnight = shown.findIndex((t) => new Date(t).getDate() === 3);
    expect(afterMidnight).toBeGreaterThan(0);
    expect(labels[afterMidnight]?.date).not.toBeNull();
  });
});
