import "server-only";
import type { CapacitySource, ScaleEventStatus } from "@/server/admin/admin-types";

// What capacity a room should have at an instant: pure, from the room's base capacity, its
// scale events and its surge. The scheduler applies the result; the console shows it.
// Every source that is active raises the room to its capacity; the highest wins, so when one
// ends the room falls back to what the others still need, and finally to its base.

const minuteMs = 60_000;

export type PlannedEvent = {
  id: string;
  name: string;
  startsAtMs: number;
  endsAtMs: number;
  leadMinutes: number;
  capacity: number;
  /** While active: the limit on admissions per minute (null: the room's own). */
  newUsersPerMinute: number | null;
  status: ScaleEventStatus;
};

export type PlannedSurge = {
  id: string;
  capacity: number;
  holdUntilMs: number;
  endedAtMs: number | null;
};

export type EventPhase = "scheduled" | "lead" | "running" | "ended";

export type CapacityPlan = {
  effectiveCapacity: number;
  /**
   * The new-users-per-minute limit an active event or surge sets (the highest, when several
   * do); null when none sets one, and the room's own applies.
   */
  newUsersPerMinute: number | null;
  /** Every active source and the base, highest first: the first is what applies. */
  sources: CapacitySource[];
};

/** When an event's capacity starts to apply: its start less the lead time. */
export function leadStartMs(event: Pick<PlannedEvent, "startsAtMs" | "leadMinutes">): number {
  return event.startsAtMs - event.leadMinutes * minuteMs;
}

/** The phase an event's times put it in at `nowMs` (whatever its stored status says). */
export function eventPhaseAt(
  event: Pick<PlannedEvent, "startsAtMs" | "endsAtMs" | "leadMinutes">,
  nowMs: number,
): EventPhase {
  if (nowMs >= event.endsAtMs) return "ended";
  if (nowMs >= event.startsAtMs) return "running";
  if (nowMs >= leadStartMs(event)) return "lead";
  return "scheduled";
}

/** True while the event raises capacity: in its lead or running phase, unless cancelled or ended. */
export function eventIsActive(event: PlannedEvent, nowMs: number): boolean {
  if (event.status === "cancelled" || event.status === "ended") return false;
  const phase = eventPhaseAt(event, nowMs);
  return phase === "lead" || phase === "running";
}

export function surgeIsActive(surge: PlannedSurge | null, nowMs: number): surge is PlannedSurge {
  return surge !== null && surge.endedAtMs === null && nowMs < surge.holdUntilMs;
}

export function planCapacity(input: {
  baseCapacity: number;
  events: readonly PlannedEvent[];
  surge: PlannedSurge | null;
  /** The room's surge policy's limit on admissions per minute, applied while a surge runs. */
  surgeNewUsersPerMinute?: number | null;
  nowMs: number;
}): CapacityPlan {
  const { baseCapacity, nowMs } = input;
  // Ties keep this order (a stable sort): the base first (nothing to override), then the
  // surge, then events by start.
  const sources: CapacitySource[] = [{ kind: "base", capacity: baseCapacity }];
  if (surgeIsActive(input.surge, nowMs)) {
    const surge = input.surge;
    sources.push({ kind: "surge", capacity: surge.capacity, surgeId: surge.id, until: iso(surge.holdUntilMs) });
  }
  const active = input.events.filter((event) => eventIsActive(event, nowMs));
  active.sort((a, b) => a.startsAtMs - b.startsAtMs || a.id.localeCompare(b.id));
  for (const event of active) {
    sources.push({
      kind: "event",
      capacity: event.capacity,
      eventId: event.id,
      name: event.name,
      until: iso(event.endsAtMs),
    });
  }
  sources.sort((a, b) => b.capacity - a.capacity);
  const rates = [surgeIsActive(input.surge, nowMs) ? (input.surgeNewUsersPerMinute ?? null) : null]
    .concat(active.map((event) => event.newUsersPerMinute))
    .filter((rate): rate is number => rate !== null);
  return {
    effectiveCapacity: sources[0]?.capacity ?? baseCapacity,
    newUsersPerMinute: rates.length ? Math.max(...rates) : null,
    sources,
  };
}

// An instant as the API takes it: ISO 8601 with a UTC offset or Z. A time without one is
// refused: "18:00" means a different instant in every time zone, and guessing the server's
// would move a sale by hours.
const isoInstant =
  /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(?:(Z)|([+-])(\d{2}):(\d{2}))$/i;

/** Epoch ms of an ISO 8601 time with an offset ("2026-03-08T18:00:00+09:00", "...Z"); null otherwise. */
export function parseInstant(text: string): number | null {
  const match = isoInstant.exec(text);
  if (!match) return null;
  const part = (index: number) => Number(match[index] ?? 0);
  const [year, month, day, hour, minute, second] = [part(1), part(2), part(3), part(4), part(5), part(6)];
  const fraction = match[7] ?? "";
  const offsetMinutes = match[8] ? 0 : (match[9] === "-" ? -1 : 1) * (part(10) * 60 + part(11));
  if (year < 1970 || month < 1 || month > 12 || hour > 23 || minute > 59 || second > 59) return null;
  if (part(11) > 59 || Math.abs(offsetMinutes) > 14 * 60) return null;
  // Date.UTC rolls 30 February over into March: refuse a day the month does not have.
  if (new Date(Date.UTC(year, month - 1, day)).getUTCDate() !== day || day < 1) return null;
  const ms = Math.floor(Number(`0.${fraction || "0"}`) * 1000);
  return Date.UTC(year, month - 1, day, hour, minute, second, ms) - offsetMinutes * minuteMs;
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}
