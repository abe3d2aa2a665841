import { describe, expect, it } from "vitest";
import type { ScaleEventRecord } from "@/server/admin/admin-types";
import { scaleEvent } from "./scale-event-fixture";
import { isPast, layoutBars, percentOf, timelineTicks, timelineWindows, windowAround } from "./timeline";

const NOW = Date.parse("2025-03-12T10:00:00Z");
const range = { fromMs: Date.parse("2025-03-12T00:00:00Z"), toMs: Date.parse("2025-03-13T00:00:00Z") };

function event(id: string, startsAt: string, endsAt: string, extra: Partial<ScaleEventRecord> = {}): ScaleEventRecord {
  return scaleEvent({ id, startsAt, endsAt, leadMinutes: 60, ...extra });
}

describe("percentOf", () => {
  it.each([
    ["2025-03-12T00:00:00Z", 0],
    ["2025-03-12T06:00:00Z", 25],
    ["2025-03-12T18:00:00Z", 75],
    ["2025-03-11T12:00:00Z", 0],
    ["2025-03-14T00:00:00Z", 100],
  ])("%s sits at %d%%", (iso, percent) => {
    expect(percentOf(range, Date.parse(iso))).toBe(percent);
  });
});

describe("layoutBars", () => {
  it("places the lead part before the start and the run up to the end", () => {
    const { bars, lanes } = layoutBars([event("sale", "2025-03-12T07:00:00Z", "2025-03-12T12:00:00Z")], range, NOW);
    expect(lanes).toBe(1);
    expect(bars[0]).toMatchObject({ lane: 0, leadLeft: 25, startLeft: 29.166666666666668, endLeft: 50 });
    expect(bars[0]).toMatchObject({ clippedStart: false, clippedEnd: false, past: false });
  });

  it("gives overlapping events their own lanes and reuses a lane once it is free", () => {
    const { bars, lanes } = layoutBars(
      [
        event("c", "2025-03-12T13:00:00Z", "2025-03-12T14:00:00Z"), // lead from 12:00, after a ends
        event("a", "2025-03-12T03:00:00Z", "2025-03-12T12:00:00Z"),
        event("b", "2025-03-12T05:00:00Z", "2025-03-12T08:00:00Z"), // overlaps a
      ],
      range,
      NOW,
    );
    expect(lanes).toBe(2);
    expect(Object.fromEntries(bars.map((bar) => [bar.event.id, bar.lane]))).toEqual({ a: 0, b: 1, c: 0 });
  });

  it("keeps a lane busy for the label's width after a short event", () => {
    const events = [
      event("short", "2025-03-12T03:00:00Z", "2025-03-12T03:30:00Z"), // lead from 02:00
      event("next", "2025-03-12T05:00:00Z", "2025-03-12T06:00:00Z"), // lead from 04:00
    ];
    expect(layoutBars(events, range, NOW).lanes).toBe(1);
    expect(layoutBars(events, range, NOW, 3 * 3_600_000).bars.map((bar) => bar.lane)).toEqual([0, 1]);
  });

  it("clips events running past either edge and drops those wholly outside", () => {
    const { bars } = layoutBars(
      [
        event("overnight", "2025-03-11T22:00:00Z", "2025-03-12T02:00:00Z"),
        event("tomorrow", "2025-03-12T23:30:00Z", "2025-03-13T03:00:00Z"),
        event("last-week", "2025-03-05T10:00:00Z", "2025-03-05T12:00:00Z"),
        event("next-week", "2025-03-20T10:00:00Z", "2025-03-20T12:00:00Z"),
      ],
      range,
      NOW,
    );
    expect(bars.map((bar) => bar.event.id)).toEqual(["overnight", "tomorrow"]);
    expect(bars[0]).toMatchObject({ leadLeft: 0, startLeft: 0, clippedStart: true, clippedEnd: false });
    expect(bars[1]).toMatchObject({ endLeft: 100, clippedStart: false, clippedEnd: true });
  });

  it("draws no lead part for an event that started at once", () => {
    const started = event("now", "2025-03-12T06:00:00Z", "2025-03-12T12:00:00Z", {
      status: "running",
      startedAt: "2025-03-12T06:00:00Z",
    });
    const { bars } = layoutBars([started], range, NOW);
    expect(bars[0]).toMatchObject({ leadLeft: 25, startLeft: 25 });
  });

  it("counts the lead time as part of the bar when deciding what is shown", () => {
    // Starts just after the window, but its capacity goes up an hour before: visible.
    const { bars } = layoutBars([event("early", "2025-03-13T00:30:00Z", "2025-03-13T02:00:00Z")], range, NOW);
    expect(bars).toHaveLength(1);
    expect(bars[0]?.leadLeft).toBeCloseTo(97.92, 1);
  });
});

describe("isPast", () => {
  it.each([
    ["scheduled", "2025-03-12T12:00:00Z", false],
    ["running", "2025-03-12T12:00:00Z", false],
    ["running", "2025-03-12T09:59:59Z", true],
    ["cancelled", "2025-03-12T12:00:00Z", true],
    ["ended", "2025-03-12T12:00:00Z", true],
  ] as const)("%s ending %s: %s", (status, endsAt, past) => {
    expect(isPast(event("e", "2025-03-12T09:00:00Z", endsAt, { status }), NOW)).toBe(past);
  });
});

describe("timelineTicks", () => {
  it("falls every 3 hours on the zone's clock", () => {
    // Seoul is UTC+9: 00:00Z is 09:00 there, so ticks at 09:00, 12:00, ... local.
    const ticks = timelineTicks(range, "3h", "Asia/Seoul");
    expect(ticks.map((tick) => new Date(tick.epochMs).toISOString().slice(11, 16))).toEqual([
      "00:00",
      "03:00",
      "06:00",
      "09:00",
      "12:00",
      "15:00",
      "18:00",
      "21:00",
      "00:00",
    ]);
    // Seoul midnight is 15:00Z: the only tick that starts a new day.
    expect(ticks.filter((tick) => tick.newDay).map((tick) => new Date(tick.epochMs).toISOString())).toEqual([
      "2025-03-12T15:00:00.000Z",
    ]);
  });

  it("keeps daily ticks on midnight across a daylight-saving change", () => {
    const week = { fromMs: Date.parse("2025-03-28T12:00:00Z"), toMs: Date.parse("2025-04-02T12:00:00Z") };
    const ticks = timelineTicks(week, "day", "Europe/Berlin");
    expect(ticks.map((tick) => new Date(tick.epochMs).toISOString())).toEqual([
      "2025-03-28T23:00:00.000Z",
      "2025-03-29T23:00:00.000Z",
      "2025-03-30T22:00:00.000Z", // summer time from 30 March: midnight is an hour earlier in UTC
      "2025-03-31T22:00:00.000Z",
      "2025-04-01T22:00:00.000Z",
    ]);
    expect(ticks.every((tick) => tick.newDay)).toBe(true);
  });

  it("puts weekly ticks on Monday midnight", () => {
    const thirtyDays = timelineWindows.find((window) => window.key === "30d");
    if (!thirtyDays) throw new Error("no 30-day window");
    // From Sunday 9 March 10:00 to 8 April 10:00.
    const ticks = timelineTicks(windowAround(NOW, thirtyDays), "week", "UTC");
    expect(ticks.map((tick) => new Date(tick.epochMs).toISOString().slice(0, 10))).toEqual([
      "2025-03-10",
      "2025-03-17",
      "2025-03-24",
      "2025-03-31",
      "2025-04-07",
    ]);
    expect(ticks.map((tick) => new Date(tick.epochMs).getUTCDay())).toEqual([1, 1, 1, 1, 1]);
  });
});
