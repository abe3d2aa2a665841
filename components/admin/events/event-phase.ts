// One answer to "where is this event now?", shared by the list, the page header, the timeline
// and the dialogs, so they can never disagree. The stored status lags the clock by up to a
// scheduler tick (and longer while the server is away); the times do not, so an instant past
// the start reads as running even before the scheduler has written it, exactly as the server's
// own plan (server/schedule/capacity-plan.ts eventPhaseAt) treats it.
import type { ScaleEventRecord, ScaleEventStatus } from "@/server/admin/admin-types";
import { eventStatusLabels } from "../common/status-labels";

/** Upcoming ("scheduled"), in its lead time, running, ended or cancelled. */
export type EventPhase = ScaleEventStatus;

/** Whether the event began without a lead phase: started "now", or caught up after a restart. */
export function skippedLead(event: ScaleEventRecord): boolean {
  return event.startedAt !== null && event.leadAt === null;
}

/** When capacity goes (or went) up for the event: its lead time before the start, if it had one. */
export function leadStartMs(event: ScaleEventRecord): number {
  const startMs = Date.parse(event.startsAt);
  return skippedLead(event) ? startMs : startMs - event.leadMinutes * 60_000;
}

export function eventPhase(event: ScaleEventRecord, nowMs: number): EventPhase {
  if (event.status === "cancelled") return "cancelled";
  if (event.status === "ended" || nowMs >= Date.parse(event.endsAt)) return "ended";
  if (event.status === "running" || nowMs >= Date.parse(event.startsAt)) return "running";
  if (event.status === "lead" || nowMs >= leadStartMs(event)) return "lead";
  return "scheduled";
}

/** Capacity is raised on its account: in its lead time or running. */
export function isLive(phase: EventPhase): boolean {
  return phase === "lead" || phase === "running";
}

/** Over: it no longer raises capacity, nor will it. */
export function isOver(phase: EventPhase): boolean {
  return phase === "ended" || phase === "cancelled";
}

export type PhaseCounts = Record<EventPhase, number>;

export function countPhases(events: readonly ScaleEventRecord[], nowMs: number): PhaseCounts {
  const counts: PhaseCounts = { scheduled: 0, lead: 0, running: 0, ended: 0, cancelled: 0 };
  for (const event of events) counts[eventPhase(event, nowMs)] += 1;
  return counts;
}

/** "1 running · 2 in lead time · 3 upcoming", or "nothing running or upcoming". */
export function phaseSummary(counts: PhaseCounts): string {
  const parts = [
    counts.running > 0 ? `${counts.running} running` : null,
    counts.lead > 0 ? `${counts.lead} in lead time` : null,
    counts.scheduled > 0 ? `${counts.scheduled} upcoming` : null,
  ].filter((part): part is string => part !== null);
  return parts.length > 0 ? parts.join(" · ") : "nothing running or upcoming";
}

export function phaseLabel(phase: EventPhase): string {
  return eventStatusLabels[phase];
}
