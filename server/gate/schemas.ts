import "server-only";
import { z } from "zod";
import { maxPayloadLength } from "@/server/queue/challenge";
import { queueTokenPattern } from "@/server/tokens/queue-token";

// Everything the public queue API accepts from outside, in one place. The patterns are shared
// with the hot path's checks below (fastChecks), which accept a subset of what the schemas do;
// anything else takes the full path and its zod parse (schemas.test.ts holds them to that).

const roomIdPattern = /^[a-z0-9][a-z0-9-]{0,39}$/;
const bearerPattern = /^Bearer [\w.-]{1,1024}$/;
const pageIdPattern = /^[\w-]{4,40}$/;
const maxQueueTokenLength = 1024;

export const roomIdSchema = z.string().regex(roomIdPattern, "room ids are 1-40 lowercase letters, digits or dashes");

export const queueTokenSchema = z.string().max(maxQueueTokenLength).regex(queueTokenPattern, "malformed queue token");

/** Bodies are optional; when present they must be an empty JSON object (reserved for later fields). */
export const emptyBodySchema = z.object({}).strict();

/** Enter's body: nothing, or a solved challenge in a pow room (ALTCHA's base64 payload). */
export const enterBodySchema = z
  .object({ pow: z.string().min(1).max(maxPayloadLength, "pow is too long to be a challenge solution").optional() })
  .strict();

export const bearerSchema = z
  .string()
  .regex(bearerPattern, "Authorization must be 'Bearer <queue token>'")
  .transform((value) => value.slice("Bearer ".length));

/**
 * A leave may carry its token in the body: a cross-origin page (floodgate.js) can then send it
 * with navigator.sendBeacon as a simple request, which needs no CORS preflight.
 */
export const leaveBodySchema = z
  .object({
    token: queueTokenSchema.optional(),
    page: z.string().regex(pageIdPattern).optional(),
  })
  .strict();

/**
 * `?page=<id>`: which open page a heartbeat or leave comes from (the client picks a random id
 * per page load), so a heartbeat that was in flight when its tab closed cannot undo the leave.
 */
export const pageQuerySchema = z
  .object({
    page: z.string().regex(pageIdPattern, "page must be 4-40 letters, digits, _ or -").optional(),
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

/**
 * The hot path's checks: plain pattern tests, a tenth of a zod parse's cost, for the common
 * shapes only. `undefined` means "not this simple shape": the request takes the full path,
 * where the schemas above parse it and answer errors.
 */
export const fastChecks = {
  roomId: (value: string): boolean => roomIdPattern.test(value),
  /**
   * The text after `Bearer ` in an Authorization header, unchecked: only a key to look up in
   * the engine's token index, which holds nothing but canonical tokens the process issued or
   * verified (engine.heartbeatInLine). A string not found there takes the full path and its
   * parse; validating it here first cost 6% of a heartbeat (two regular expressions).
   */
  bearerLookupKey(header: string): string | undefined {
    return header.startsWith("Bearer ") ? header.slice("Bearer ".length) : undefined;
  },
  /** A well-formed queue token (queueTokenSchema's checks, without zod's cost). */
  queueToken: (value: string): boolean => value.length <= maxQueueTokenLength && queueTokenPattern.test(value),
  /**
   * The page id of a query string that is exactly `page=<id>` (what the waiting page and
   * floodgate.js send); null for an empty query; undefined for anything else.
   */
  pageQuery(query: string): string | null | undefined {
    if (query === "") return null;
    if (!query.startsWith("page=")) return undefined;
    const page = query.slice("page=".length);
    return pageIdPattern.test(page) ? page : undefined;
  },
};
