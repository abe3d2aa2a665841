// An event's times as the list shows them, in words that say whether each has passed: an
// upcoming event reads as a plan ("Thu, Mar 13, 10:00 – 12:00", capacity rises at 09:50, in
// 2 h), a running one as "started 3 min ago", a finished one as "ended 10 min ago". Clock
// times come from formatTime (the browser's zone, with the date when not today).
import type { ScaleEventRecord } from "@/server/admin/admin-types";
import { formatRelative } from "../common/relative-time";
import { type EventPhase, leadStartMs, skippedLead } from "./event-phase";

export type FormatTime = (epochMs: number) => string;

export type EventTimes = {
  /** The line that matters now: the plan, or where the event is in it. */
  main: string;
  /** When capacity rises (or rose), or what was planned. */
  detail: string;
};

/** "14:45 (in 5 min)", "14:45 (3 min ago)". */
function at(epochMs: number, nowMs: number, formatTime: FormatTime): string {
  return `${formatTime(epochMs)} (${formatRelative(epochMs, nowMs)})`;
}

function leadLine(event: ScaleEventRecord, nowMs: number, formatTime: FormatTime): string {
  if (event.leadMinutes === 0) return "no lead time: capacity rises at the start";
  if (skippedLead(event)) return "capacity raised at the start (no lead time was left)";
  const leadMs = leadStartMs(event);
  return leadMs > nowMs
    ? `capacity rises at ${at(leadMs, nowMs, formatTime)}, ${event.leadMinutes} min before the start`
    : `capacity raised since ${at(leadMs, nowMs, formatTime)}, ${event.leadMinutes} min before the start`;
}

export function describeEventTimes(
  event: ScaleEventRecord,
  phase: EventPhase,
  nowMs: number,
  formatTime: FormatTime,
): EventTimes {
  const startMs = Date.parse(event.startsAt);
  const endMs = Date.parse(event.endsAt);
  const plan = `${formatTime(startMs)} – ${formatTime(endMs)}`;
  switch (phase) {
    case "scheduled":
    case "lead":
      return {
        main: `starts ${at(startMs, nowMs, formatTime)}, ends ${formatTime(endMs)}`,
        detail: leadLine(event, nowMs, formatTime),
      };
    case "running":
      return {
        main: `started ${formatRelative(startMs, nowMs)} (${formatTime(startMs)}), ends ${at(endMs, nowMs, formatTime)}`,
        detail: leadLine(event, nowMs, formatTime),
      };
    case "ended":
      // Only a cancel stops an event early (that is "cancelled"): an ended one ran to its end.
      return { main: `ended ${formatRelative(endMs, nowMs)} (${formatTime(endMs)})`, detail: `ran ${plan}` };
    case "cancelled": {
      const cancelledMs = event.cancelledAt ? Date.parse(event.cancelledAt) : null;
      return {
        main:
          cancelledMs === null
            ? "cancelled"
            : `cancelled ${formatRelative(cancelledMs, nowMs)} (${formatTime(cancelledMs)})`,
        detail: `was planned for ${plan}`,
      };
    }
  }
}
