import "server-only";
import { createHash, randomUUID } from "node:crypto";
import { RateLimiterMemory } from "rate-limiter-flexible";
import { idempotencyKeyHeader } from "@/server/admin/schemas/schedule";
import { AppError } from "@/server/api/errors";
import { errorResponse, jsonResponse, readJsonBody } from "@/server/api/json-body";
import { getRuntime } from "@/server/runtime";
import type { ScheduleService } from "@/server/schedule/schedule-service";
import type { SessionTrigger } from "@/server/schedule/session-trigger";

// The one wrapper for machine routes (POST /api/triggers/surge): a Bearer key (401 without
// one; the service checks it), a rate limit per key, the Idempotency-Key header, a small JSON body
// (415/413/400), and the single try/catch that maps errors to `{ error: { code, message } }`.

const maxBodyBytes = 16 * 1024;
/** Calls a minute per key, unless a route says otherwise. */
const defaultCallsPerMinute = 60;

export type ApiKeyContext = {
  /** The key from `Authorization: Bearer <key>`, not yet checked (the service looks it up). */
  presentedKey: string;
  idempotencyKey: string | null;
  body: unknown;
  schedule: ScheduleService;
  /** Sessions the protected site ends (POST /api/triggers/end-session). */
  sessions: SessionTrigger;
  request: Request;
};

export type ApiKeyAnswer = { status: number; body: unknown; replayed?: boolean };

/**
 * `callsPerMinute`: per key, for this route (its own limiter). A surge is started a few times an
 * hour; a shop ends a session at every checkout.
 */
export function withApiKey(
  handler: (context: ApiKeyContext) => Promise<ApiKeyAnswer>,
  { callsPerMinute = defaultCallsPerMinute }: { callsPerMinute?: number } = {},
) {
  const limiter = new RateLimiterMemory({ points: callsPerMinute, duration: 60 });
  return async (request: Request): Promise<Response> => {
    const requestId = request.headers.get("x-request-id") ?? randomUUID();
    const runtime = getRuntime();
    try {
      const presentedKey = bearerKey(request.headers.get("authorization"));
      await limit(limiter, callsPerMinute, presentedKey);
      const idempotencyKey = request.headers.get("idempotency-key");
      if (idempotencyKey !== null && !idempotencyKeyHeader.safeParse(idempotencyKey).success) {
        throw new AppError("bad_request", "Idempotency-Key must be 1-255 visible ASCII characters.");
      }
      const body = await readJsonBody(request, maxBodyBytes);
      const answer = await handler({
        presentedKey,
        idempotencyKey,
        body,
        schedule: runtime.schedule,
        sessions: runtime.sessions,
        request,
      });
      const response =
        answer.status === 204
          ? new Response(null, { status: 204, headers: { "x-request-id": requestId } })
          : jsonResponse(answer.body, answer.status, requestId);
      if (answer.replayed) response.headers.set("idempotent-replayed", "true");
      return response;
    } catch (error) {
      return errorResponse(error, request, requestId, runtime.logger, "machine route");
    }
  };
}

/** The key a caller sent; 401 before any other work when there is none. */
function bearerKey(header: string | null): string {
  const match = /^Bearer +(\S{1,200})$/i.exec(header?.trim() ?? "");
  if (!match?.[1]) throw new AppError("unauthorized", "Send the API key as Authorization: Bearer fgk_…");
  return match[1];
}

/** Counted per key, by its hash: the limiter's keys are not kept as secrets. */
async function limit(limiter: RateLimiterMemory, callsPerMinute: number, presentedKey: string): Promise<void> {
  try {
    await limiter.consume(createHash("sha256").update(presentedKey).digest("hex"));
  } catch (rejection) {
    const waitS = Math.max(1, Math.ceil(((rejection as { msBeforeNext?: number }).msBeforeNext ?? 60_000) / 1000));
    throw new AppError("rate_limited", `More than ${callsPerMinute} calls a minute; try again shortly.`, waitS);
  }
}
