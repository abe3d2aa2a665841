// Geometry of the scale-event timeline: where each event's bar sits on a time axis (as
// percentages of the window, so the CSS scales it to any width), which lane it takes when
// events overlap, and where the axis ticks fall on the local clock.
import type { ScaleEventRecord } from "@/server/admin/admin-types";
import { wallClockMs, wallClockToEpochMs } from "../common/local-time";
import { eventPhase, isOver, leadStartMs } from "./event-phase";

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

export type TickStep = "3h" | "day" | "week";

export type TimelineWindow = {
  key: "24h" | "7d" | "30d";
  label: string;
  /** How much of the window lies before now: enough to see what just ended. */
  beforeMs: number;
  afterMs: number;
  tickStep: TickStep;
};

export const timelineWindows: readonly TimelineWindow[] = [
  { key: "24h", label: "24 hours", beforeMs: 4 * HOUR_MS, afterMs: 20 * HOUR_MS, tickStep: "3h" },
  { key: "7d", label: "7 days", beforeMs: DAY_MS, afterMs: 6 * DAY_MS, tickStep: "day" },
  { key: "30d", label: "30 days", beforeMs: 3 * DAY_MS, afterMs: 27 * DAY_MS, tickStep: "week" },
];

export type TimeRange = { fromMs: number; toMs: number };

export function windowAround(nowMs: number, window: TimelineWindow): TimeRange {
  return { fromMs: nowMs - window.beforeMs, toMs: nowMs + window.afterMs };
}

/** Where an instant falls in the range, 0–100, clamped to the edges. */
export function percentOf(range: TimeRange, epochMs: number): number {
  const span = range.toMs - range.fromMs;
  if (span <= 0) return 0;
  return Math.min(100, Math.max(0, ((epochMs - range.fromMs) / span) * 100));
}

export type TimelineBar = {
  event: ScaleEventRecord;
  /** 0-based row within its group; overlapping events get different lanes. */
  lane: number;
  /** Left edge of the lead part (capacity raised before start), the start, and the end: 0–100. */
  leadLeft: number;
  startLeft: number;
  endLeft: number;
  /** The bar runs past the window's edge there (drawn open-ended). */
  clippedStart: boolean;
  clippedEnd: boolean;
  /** Over (ended, cancelled, or its end has passed): drawn greyed. */
  past: boolean;
};

/** Over (ended, cancelled, or its end has passed): drawn greyed. */
export function isPast(event: ScaleEventRecord, nowMs: number): boolean {
  return isOver(eventPhase(event, nowMs));
}

/**
 * Bars for the events that touch the range, each in the first lane free at its lead start
 * (greedy interval partitioning: as few lanes as the busiest moment needs). A bar holds its
 * lane for at least `labelMs`, so a short event's label never runs into the next bar.
 */
export function layoutBars(
  events: readonly ScaleEventRecord[],
  range: TimeRange,
  nowMs: number,
  labelMs = 0,
): { bars: TimelineBar[]; lanes: number } {
  const shown = events
    .map((event) => ({
      event,
      from: leadStartMs(event),
      start: Date.parse(event.startsAt),
      end: Date.parse(event.endsAt),
    }))
    .filter(({ from, end }) => end > range.fromMs && from < range.toMs)
    .sort((a, b) => a.from - b.from || a.end - b.end || a.event.id.localeCompare(b.event.id));
  const laneEnds: number[] = [];
  const bars = shown.map(({ event, from, start, end }) => {
    let lane = laneEnds.findIndex((laneEnd) => laneEnd <= from);
    const busyUntil = Math.max(end, from + labelMs);
    if (lane === -1) lane = laneEnds.push(busyUntil) - 1;
    else laneEnds[lane] = busyUntil;
    return {
      event,
      lane,
      leadLeft: percentOf(range, from),
      startLeft: percentOf(range, start),
      endLeft: percentOf(range, end),
      clippedStart: from < range.fromMs,
      clippedEnd: end > range.toMs,
      past: isPast(event, nowMs),
    };
  });
  return { bars, lanes: laneEnds.length };
}

export type TimelineTick = {
  epochMs: number;
  left: number /** A new day starts here (labelled with the date). */;
  newDay: boolean;
};

const stepMs: Record<TickStep, number> = { "3h": 3 * HOUR_MS, day: DAY_MS, week: 7 * DAY_MS };

/**
 * Ticks on round times of the zone's clock: every 3 hours, every midnight, or every Monday
 * midnight. Stepping on the wall clock (not in fixed ms) keeps them on midnight across a
 * daylight-saving change.
 */
export function timelineTicks(range: TimeRange, step: TickStep, timeZone: string): TimelineTick[] {
  const size = stepMs[step];
  const fromWall = wallClockMs(range.fromMs, timeZone);
  // Wall-clock values count from 1970-01-01 (a Thursday), so weeks align to Mondays 3 days later.
  const offset = step === "week" ? 4 * DAY_MS : 0;
  let wall = Math.ceil((fromWall - offset) / size) * size + offset;
  const ticks: TimelineTick[] = [];
  for (; ; wall += size) {
    const epochMs = wallClockToEpochMs(wall, timeZone);
    if (epochMs > range.toMs) break;
    if (epochMs >= range.fromMs) {
      ticks.push({ epochMs, left: percentOf(range, epochMs), newDay: wall % DAY_MS === 0 });
    }
  }
  return ticks;
}
