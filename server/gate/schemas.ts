import "server-only";
import { z } from "zod";
import { queueTokenPattern } from "@/server/tokens/queue-token";

// Everything the public queue API accepts from outside, in one place.

export const roomIdSchema = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]{0,39}$/, "room ids are 1-40 lowercase letters, digits or dashes");

export const queueTokenSchema = z.string().max(1024).regex(queueTokenPattern, "malformed queue token");

/** Bodies are optional; when present they must be an empty JSON object (reserved for later fields). */
export const emptyBodySchema = z.object({}).strict();

export const bearerSchema = z
  .string()
  .regex(/^Bearer [\w.-]{1,1024}$/, "Authorization must be 'Bearer <queue token>'")
  .transform((value) => value.slice("Bearer ".length));

/**
 * A leave may carry its token in the body: a cross-origin page (floodgate.js) can then send it
 * with navigator.sendBeacon as a simple request, which needs no CORS preflight.
 */
export const leaveBodySchema = z
  .object({
    token: queueTokenSchema.optional(),
    page: z
      .string()
      .regex(/^[\w-]{4,40}$/)
      .optional(),
  })
  .strict();

/**
 * `?page=<id>`: which open page a heartbeat or leave comes from (the client picks a random id
 * per page load), so a heartbeat that was in flight when its tab closed cannot undo the leave.
 */
export const pageQuerySchema = z
  .object({
    page: z
      .string()
      .regex(/^[\w-]{4,40}$/, "page must be 4-40 letters, digits, _ or -")
      .optional(),
    /**
     * `?hold=<ms>` (heartbeat only): hold the answer until admitted, at most this long (the engine
     * caps it at the room's heartbeat interval). Worthwhile only when the last status said `hold`.
     */
    hold: z
      .string()
      .regex(/^\d{1,6}$/, "hold must be a whole number of milliseconds, 0-600000")
      .transform(Number)
      .pipe(z.number().max(600_000, "hold must be a whole number of milliseconds, 0-600000"))
      .optional(),
  })
  .strict();
