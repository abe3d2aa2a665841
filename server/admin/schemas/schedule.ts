import { z } from "zod";
import { roomIdSchema } from "@/server/gate/schemas";
import { parseInstant } from "@/server/schedule/capacity-plan";

// Admin API input for scale events, surges and API keys, and the surge trigger's body.
// Times are ISO 8601 with a UTC offset or Z, read into epoch ms; a time without an offset is
// refused (which time zone would it be?).

const maxCapacity = 10_000_000;

/** An ISO 8601 time with an offset or Z, as epoch ms. */
export const instant = z.string().transform((text, context) => {
  const ms = parseInstant(text);
  if (ms === null) {
    context.addIssue({
      code: "custom",
      message: "use an ISO 8601 time with a UTC offset or Z, e.g. 2026-05-01T18:00:00+09:00",
    });
    return z.NEVER;
  }
  return ms;
});

const reason = z.string().trim().max(500).optional();
const eventName = z.string().trim().min(1, "name is required").max(80);
/** "now" starts the event at once; the service also takes a time in the last minute as now. */
const startsAt = z.union([z.literal("now"), instant]);
const capacity = z.number().int().min(0).max(maxCapacity);
const leadMinutes = z.number().int().min(0).max(1440);

const endAfterStart = (b: { startsAt?: number | "now"; endsAt?: number }) =>
  b.startsAt === undefined || b.startsAt === "now" || b.endsAt === undefined || b.endsAt > b.startsAt;
const endAfterStartMessage = { message: "endsAt must be after startsAt", path: ["endsAt"] };

/** A limit on admissions per minute while an event or surge is active; null: the room's own. */
const newUsersPerMinute = z
  .number()
  .int()
  .min(1, "at least 1 a minute, or null for the room's own")
  .max(1_000_000)
  .nullable();

export const eventParams = z.object({ room: roomIdSchema, event: z.string().min(1).max(64) });

export const eventInputBody = z
  .object({
    name: eventName,
    startsAt,
    endsAt: instant,
    capacity,
    newUsersPerMinute: newUsersPerMinute.default(null),
    leadMinutes: leadMinutes.default(10),
    preQueue: z.boolean().default(false),
    reason,
  })
  .strict()
  .refine(endAfterStart, endAfterStartMessage);

export const eventPatchBody = z
  .object({
    name: eventName.optional(),
    startsAt: startsAt.optional(),
    endsAt: instant.optional(),
    capacity: capacity.optional(),
    newUsersPerMinute: newUsersPerMinute.optional(),
    leadMinutes: leadMinutes.optional(),
    preQueue: z.boolean().optional(),
    reason,
  })
  .strict()
  .refine(endAfterStart, endAfterStartMessage)
  .refine((b) => Object.keys(b).some((k) => k !== "reason"), "nothing to change");

/** What the service takes; the limit may be left out (the room's own applies). */
export type EventInput = Omit<z.infer<typeof eventInputBody>, "newUsersPerMinute"> & {
  newUsersPerMinute?: number | null;
};
export type EventPatch = z.infer<typeof eventPatchBody>;

const windowShape = { from: instant.optional(), to: instant.optional() };
const fromNotAfterTo = (q: { from?: number; to?: number }) =>
  q.from === undefined || q.to === undefined || q.from <= q.to;

export const eventsQuery = z
  .object({ room: roomIdSchema.optional(), ...windowShape })
  .refine(fromNotAfterTo, "from must not be after to");

export type EventsQuery = z.infer<typeof eventsQuery>;

export const roomEventsQuery = z.object(windowShape).refine(fromNotAfterTo, "from must not be after to");

export const cancelEventQuery = z.object({ reason });

export const surgePolicyBody = z
  .object({
    capacity: z.number().int().min(1).max(maxCapacity),
    holdMinutes: z.number().int().min(1).max(1440).default(30),
    endBelowArrivalsPerMin: z.number().min(0).max(1_000_000).nullable().default(null),
    endAfterLowMinutes: z.number().int().min(1).max(1440).default(5),
    newUsersPerMinute: newUsersPerMinute.default(null),
    reason,
  })
  .strict();

export type SurgePolicyInput = Omit<z.infer<typeof surgePolicyBody>, "newUsersPerMinute"> & {
  newUsersPerMinute?: number | null;
};

export const surgeEndBody = z.object({ reason }).strict();

export const apiKeyParams = z.object({ key: z.string().min(1).max(64) });

export const apiKeyCreateBody = z
  .object({
    name: z.string().trim().min(1, "name is required").max(80),
    rooms: z
      .array(roomIdSchema)
      .min(1, "a key acts on at least one room")
      .max(100)
      .refine((rooms) => new Set(rooms).size === rooms.length, "rooms must not repeat"),
  })
  .strict();

/** POST /api/triggers/surge: capacity and hold default to the room's surge policy. */
export const surgeTriggerBody = z
  .object({
    room: roomIdSchema,
    capacity: z.number().int().min(1).max(maxCapacity).optional(),
    holdMinutes: z.number().int().min(1).max(1440).optional(),
  })
  .strict();

/** The Idempotency-Key header: 1-255 visible ASCII characters. */
export const idempotencyKeyHeader = z.string().regex(/^[\x21-\x7e]{1,255}$/, "1-255 visible ASCII characters");
