// The scale-event form: values as typed (times on the browser's clock, in datetime-local form),
// the checks the server makes too (end after start, no start in the past unless "Start now"),
// and the input or patch they turn into. The server checks again; its 422 is shown as well.
import type { ScaleEventInput, ScaleEventRecord } from "@/server/admin/admin-types";
import { epochMsToLocalInput, localInputToEpochMs } from "../common/local-time";
import { parseWhole } from "../common/number-input";
import { formatRelative } from "../common/relative-time";

export type EventFormValues = {
  name: string;
  /** datetime-local on the browser's clock; ignored while startNow is ticked. */
  startsAt: string;
  startNow: boolean;
  endsAt: string;
  capacity: string;
  /** Empty: the room's own limit applies during the event. */
  newUsersPerMinute: string;
  leadMinutes: string;
  preQueue: boolean;
};

export type EventFormErrors = Partial<Record<keyof EventFormValues, string>>;

/**
 * What may change: everything for a new or scheduled event; only the end and the capacity once
 * it has begun (lead or running), as the server allows.
 */
export type EventPhase = "new" | "scheduled" | "live";

export const DEFAULT_LEAD_MINUTES = 10;
export const MAX_CAPACITY = 10_000_000;
export const MAX_LEAD_MINUTES = 24 * 60;
export const MAX_NAME_LENGTH = 80;
/** A minute's grace: the picker has minute resolution, so "this minute" is not yet the past. */
const PAST_GRACE_MS = 60_000;

export function phaseOf(event: ScaleEventRecord | null): EventPhase {
  if (!event) return "new";
  return event.status === "scheduled" ? "scheduled" : "live";
}

const QUARTER_HOUR_MS = 15 * 60_000;

/** A new event: from the next quarter hour an hour ahead, for two hours. */
export function emptyEventForm(nowMs: number, timeZone: string): EventFormValues {
  const startMs = Math.ceil((nowMs + 60 * 60_000) / QUARTER_HOUR_MS) * QUARTER_HOUR_MS;
  return {
    name: "",
    startsAt: epochMsToLocalInput(startMs, timeZone),
    startNow: false,
    endsAt: epochMsToLocalInput(startMs + 2 * 60 * 60_000, timeZone),
    capacity: "",
    newUsersPerMinute: "",
    leadMinutes: String(DEFAULT_LEAD_MINUTES),
    preQueue: false,
  };
}

export function eventFormFrom(event: ScaleEventRecord, timeZone: string): EventFormValues {
  return {
    name: event.name,
    startsAt: epochMsToLocalInput(Date.parse(event.startsAt), timeZone),
    startNow: false,
    endsAt: epochMsToLocalInput(Date.parse(event.endsAt), timeZone),
    capacity: String(event.capacity),
    newUsersPerMinute: event.newUsersPerMinute === null ? "" : String(event.newUsersPerMinute),
    leadMinutes: String(event.leadMinutes),
    preQueue: event.preQueue,
  };
}

type ValidateOptions = { nowMs: number; timeZone: string; phase: EventPhase; event?: ScaleEventRecord | null };

/** Checks every field; the input to send when all are valid, else a message per bad field. */
export function validateEventForm(
  values: EventFormValues,
  { nowMs, timeZone, phase, event }: ValidateOptions,
): { errors: EventFormErrors; input: ScaleEventInput | null } {
  const errors: EventFormErrors = {};
  const name = values.name.trim();
  if (name === "") errors.name = "Enter a name, e.g. “Spring sale”.";
  else if (name.length > MAX_NAME_LENGTH) errors.name = `At most ${MAX_NAME_LENGTH} characters.`;

  // A live event keeps its start: the capacity is already raised on its account.
  const startNow = phase === "new" && values.startNow;
  let startMs: number | null;
  if (phase === "live" && event) startMs = Date.parse(event.startsAt);
  else if (startNow) startMs = nowMs;
  else {
    startMs = localInputToEpochMs(values.startsAt, timeZone);
    if (startMs === null) errors.startsAt = "Enter a start date and time.";
    else if (startMs < nowMs - PAST_GRACE_MS)
      errors.startsAt =
        phase === "new" ? "This is in the past. Pick a later time, or tick “Start now”." : "This is in the past.";
  }

  const endMs = localInputToEpochMs(values.endsAt, timeZone);
  if (endMs === null) errors.endsAt = "Enter an end date and time.";
  else if (startMs !== null && endMs <= startMs) errors.endsAt = "The end must be after the start.";
  else if (endMs <= nowMs) errors.endsAt = "The end is in the past.";

  const capacity = parseWhole(values.capacity, 1, MAX_CAPACITY, "a capacity");
  if (typeof capacity === "string") errors.capacity = capacity;
  const newUsers =
    values.newUsersPerMinute.trim() === ""
      ? null
      : parseWhole(values.newUsersPerMinute, 1, 1_000_000, "new visitors per minute (or leave it empty)");
  if (typeof newUsers === "string") errors.newUsersPerMinute = newUsers;
  const leadMinutes = startNow ? 0 : parseWhole(values.leadMinutes, 0, MAX_LEAD_MINUTES, "a lead time in minutes");
  if (typeof leadMinutes === "string") errors.leadMinutes = leadMinutes;
  // A pre-queue holds arrivals during the lead time, so it needs one, and one still to come.
  else if (values.preQueue && !startNow && phase !== "live" && startMs !== null && !errors.startsAt) {
    if (leadMinutes < 1) errors.leadMinutes = "A pre-queue is open during the lead time: give it 1 minute or more.";
    else if (startMs - leadMinutes * 60_000 < nowMs - PAST_GRACE_MS)
      errors.leadMinutes = "With this lead time the pre-queue would open in the past: start later or shorten it.";
  }

  if (Object.keys(errors).length > 0 || startMs === null || endMs === null) return { errors, input: null };
  return {
    errors,
    input: {
      name,
      startsAt: startNow ? "now" : new Date(startMs).toISOString(),
      endsAt: new Date(endMs).toISOString(),
      capacity: capacity as number,
      newUsersPerMinute: newUsers as number | null,
      leadMinutes: leadMinutes as number,
      preQueue: startNow ? false : values.preQueue,
    },
  };
}

/** Only what changed, and only what the phase lets change (a live event: end and capacity). */
export function eventPatch(event: ScaleEventRecord, input: ScaleEventInput): Partial<ScaleEventInput> {
  const patch: Partial<ScaleEventInput> = {};
  if (Date.parse(input.endsAt) !== Date.parse(event.endsAt)) patch.endsAt = input.endsAt;
  if (input.capacity !== event.capacity) patch.capacity = input.capacity;
  if (input.newUsersPerMinute !== undefined && input.newUsersPerMinute !== event.newUsersPerMinute) {
    patch.newUsersPerMinute = input.newUsersPerMinute;
  }
  if (event.status !== "scheduled") return patch;
  if (input.name !== event.name) patch.name = input.name;
  if (Date.parse(input.startsAt) !== Date.parse(event.startsAt)) patch.startsAt = input.startsAt;
  if (input.leadMinutes !== undefined && input.leadMinutes !== event.leadMinutes) patch.leadMinutes = input.leadMinutes;
  if (input.preQueue !== undefined && input.preQueue !== event.preQueue) patch.preQueue = input.preQueue;
  return patch;
}

/**
 * When saving this input raises capacity at once although it does not say "now": its lead
 * time (start less lead) has already begun. The instant capacity was due to rise; null when it
 * is still to come, or when the input says "now" (the "Start now" confirmation covers that).
 */
export function leadBegunAt(input: Pick<ScaleEventInput, "startsAt" | "leadMinutes">, nowMs: number): number | null {
  if (input.startsAt === "now") return null;
  const leadMs = Date.parse(input.startsAt) - (input.leadMinutes ?? DEFAULT_LEAD_MINUTES) * 60_000;
  return leadMs <= nowMs ? leadMs : null;
}

type LeadNoteOptions = {
  nowMs: number;
  timeZone: string;
  phase: EventPhase;
  event?: ScaleEventRecord | null;
  /** A clock time as the console shows it ("14:45", with the date when not today). */
  formatTime: (epochMs: number) => string;
};

/**
 * The lead-time field's explanation, with the time it works out to as the form reads now:
 * "capacity rises at 14:45". Says plainly when that time has passed (it rises on saving).
 */
export function leadTimeNote(
  values: EventFormValues,
  { nowMs, timeZone, phase, event, formatTime }: LeadNoteOptions,
): string {
  const why =
    "Capacity rises this long before the start, so the site warms up and the line is already moving when the crowd arrives.";
  if (phase === "new" && values.startNow) return "“Start now” raises capacity at once: no lead time.";
  const startMs =
    phase === "live" && event ? Date.parse(event.startsAt) : localInputToEpochMs(values.startsAt, timeZone);
  const lead = parseWhole(values.leadMinutes, 0, MAX_LEAD_MINUTES, "a lead time");
  if (startMs === null || typeof lead === "string") return why;
  const leadMs = startMs - lead * 60_000;
  if (phase === "live") {
    const rose = event?.leadAt ?? event?.startedAt;
    const roseMs = rose ? Date.parse(rose) : leadMs;
    return `Capacity rose at ${formatTime(roseMs)} (${formatRelative(roseMs, nowMs)}).`;
  }
  if (leadMs > nowMs) {
    return `${why} With these times capacity rises at ${formatTime(leadMs)} (${formatRelative(leadMs, nowMs)}).`;
  }
  return `${why} With these times that is ${formatTime(leadMs)} (${formatRelative(leadMs, nowMs)}), already past: capacity rises as soon as you save.`;
}
