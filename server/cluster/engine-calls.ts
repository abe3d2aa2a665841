import "server-only";
import { z } from "zod";
import { type ErrorCode, errorStatus, isAppError } from "@/server/api/errors";
import { pageQuerySchema, queueTokenSchema, roomIdSchema } from "@/server/gate/schemas";
import type { Logger } from "@/server/log";
import { brandingSchema, defaultLanguageSchema, emptyBranding } from "@/server/queue/branding";
import { maxPayloadLength } from "@/server/queue/challenge";
import type { VisitorEngine } from "@/server/queue/engine";
import { challengeModes, type GoneReason, goneReasons, type RoomSummary } from "@/server/queue/types";

// The wire between a follower node and the leader: the public queue API's engine calls, many
// per request. A follower answers its visitors itself (HTTP, cookies, validation, rate limits)
// and only the engine call crosses to the node that runs the rooms. Both ends validate.

const page = pageQuerySchema.shape.page;

export const engineCallSchema = z.discriminatedUnion("op", [
  z.object({ op: z.literal("resume"), room: roomIdSchema, token: queueTokenSchema.optional(), page }).strict(),
  z
    .object({
      op: z.literal("join"),
      room: roomIdSchema,
      // The client's address and key, for the room's bypass rules (decided on the leader).
      address: z.string().max(64).nullable().optional(),
      keyHolder: z.boolean().optional(),
      // The solved challenge (pow rooms) and the follower's suspicion, judged on the leader too.
      pow: z.string().max(maxPayloadLength).optional(),
      suspect: z
        .object({ reason: z.literal("rate_limited"), retryAfterSeconds: z.number().int().min(0).max(86_400) })
        .strict()
        .optional(),
    })
    .strict(),
  z.object({ op: z.literal("heartbeat"), room: roomIdSchema, token: queueTokenSchema, page }).strict(),
  z.object({ op: z.literal("leave"), room: roomIdSchema, token: queueTokenSchema, page }).strict(),
  z.object({ op: z.literal("end"), room: roomIdSchema, token: queueTokenSchema }).strict(),
  z.object({ op: z.literal("status"), room: roomIdSchema, token: queueTokenSchema }).strict(),
]);
export type EngineCall = z.infer<typeof engineCallSchema>;

/** Most calls one request carries; a follower sends more as several requests. */
export const maxCallsPerRequest = 1_000;

export const engineCallsRequestSchema = z
  .object({ calls: z.array(engineCallSchema).min(1).max(maxCallsPerRequest) })
  .strict();

const errorCodeSchema = z.enum(Object.keys(errorStatus) as [ErrorCode, ...ErrorCode[]]);

export const callResultSchema = z.union([
  z.object({ ok: z.literal(true), value: z.unknown() }),
  z.object({
    ok: z.literal(false),
    error: z.object({
      code: errorCodeSchema,
      message: z.string().max(2_000),
      retryAfterSeconds: z.number().int().min(0).max(86_400).optional(),
      // challenge_required / challenge_failed carry the challenge to solve (checked by the client).
      challenge: z.record(z.string(), z.unknown()).optional(),
      // token_expired / session_ended carry why the place is gone (what the page shows).
      reason: z.enum(goneReasons).optional(),
    }),
  }),
]);
export type CallResult = z.infer<typeof callResultSchema>;

export const engineCallsResponseSchema = z.object({ results: z.array(callResultSchema) });

/** Runs each call on the leader's engine; one failing call fails only itself. */
export async function runEngineCalls(
  engine: VisitorEngine,
  calls: EngineCall[],
  logger: Logger,
): Promise<CallResult[]> {
  return Promise.all(
    calls.map(async (call): Promise<CallResult> => {
      try {
        return { ok: true, value: (await runOne(engine, call)) ?? null };
      } catch (error) {
        if (isAppError(error)) {
          const { code, message, retryAfterSeconds, details } = error;
          const challenge = details?.challenge as Record<string, unknown> | undefined;
          const reason = details?.reason as GoneReason | undefined;
          return {
            ok: false,
            error: {
              code,
              message,
              ...(retryAfterSeconds !== undefined && { retryAfterSeconds }),
              ...(challenge !== undefined && { challenge }),
              ...(reason !== undefined && { reason }),
            },
          };
        }
        logger.error({ err: error, op: call.op, room: call.room }, "forwarded engine call failed");
        return { ok: false, error: { code: "internal_error", message: "Something went wrong on the server." } };
      }
    }),
  );
}

function runOne(engine: VisitorEngine, call: EngineCall): Promise<unknown> {
  switch (call.op) {
    case "resume":
      return engine.resume(call.room, call.token, call.page);
    case "join":
      return engine.join(call.room, {
        address: call.address ?? null,
        keyHolder: call.keyHolder ?? false,
        pow: call.pow,
        suspect: call.suspect,
      });
    case "heartbeat":
      return engine.heartbeat(call.room, call.token, call.page);
    case "leave":
      return engine.leave(call.room, call.token, call.page);
    case "end":
      return engine.endSessionByToken(call.room, call.token);
    case "status":
      return engine.requireStatus(call.room, call.token);
  }
}

/** Public summaries of every room, which a follower keeps to answer GET /api/queue/:room itself. */
export const roomSummariesSchema = z.object({
  rooms: z.array(
    z.object({
      room: roomIdSchema,
      name: z.string(),
      mode: z.enum(["fifo", "random", "passthrough", "closed"]),
      waiting: z.number().int().min(0),
      full: z.boolean(),
      etaSeconds: z.number().min(0).nullable(),
      heartbeatIntervalMs: z.number().int().min(0),
      // The leader's stored values passed their check already; one this node cannot read
      // (a language it does not speak yet, mid-upgrade) is shown as none, not a broken list.
      defaultLanguage: defaultLanguageSchema.catch(null),
      branding: brandingSchema.catch(emptyBranding),
      challenge: z.enum(challengeModes).catch("off"),
    }) satisfies z.ZodType<RoomSummary>,
  ),
});
