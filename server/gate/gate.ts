import "server-only";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Registry } from "prom-client";
import type { z } from "zod";
import { AppError } from "@/server/api/errors";
import { createCookieJar } from "@/server/gate/cookies";
import { type FailurePolicy, withFailurePolicy } from "@/server/gate/failure-policy";
import { cookieValue, readBody, requestIdOf, sendError, sendJson } from "@/server/gate/http";
import { createLimitedJoin } from "@/server/gate/place-limiter";
import {
  bearerSchema,
  emptyBodySchema,
  enterBodySchema,
  fastChecks,
  leaveBodySchema,
  pageQuerySchema,
  queueTokenSchema,
  roomIdSchema,
} from "@/server/gate/schemas";
import { createWaitPagePreparer } from "@/server/gate/wait-page";
import { isClientHangUp } from "@/server/http/client-fault";
import type { Logger } from "@/server/log";
import { registerFailOpenAdmissions } from "@/server/metrics/prometheus";
import { queueCookieName } from "@/server/queue/cookie-names";
import type { VisitorEngine } from "@/server/queue/engine";
import type { SystemStatus } from "@/server/store/system-status";
import type { AdmissionTokens } from "@/server/tokens/admission-token";

// The hot path: the public queue API on plain node:http, in front of Next.js. A route
// handler tops out near 700 req/s here; this serves the same answers an order of magnitude
// faster. Each handler parses input, calls one engine function and maps the result.

export type GateOptions = {
  engine: VisitorEngine;
  admissionTokens: AdmissionTokens;
  logger: Logger;
  queueCookieMaxAgeS: number;
  /** Mark cookies Secure: the public URL is https, or a trusted proxy says so. */
  publicUrlIsHttps: boolean;
  trustProxy: boolean;
  allowedOrigins: string[];
  /** Prometheus registry served at /metrics; when metricsToken is set, it must be presented as a Bearer token. */
  metrics: Registry;
  metricsToken: string | undefined;
  /** New places one client address may take per minute; 0 = unlimited. */
  newPlacesPerMinutePerIp: number;
  /**
   * Whether `key` (X-Floodgate-Api-Key on enter) is a live API key for the room: its holder
   * may skip the line where the room allows it. Absent: no key is ever accepted.
   */
  apiKeyFor?: (key: string, roomId: string) => Promise<boolean>;
  /**
   * What to do when the engine answers "unavailable" (queue store or leader unreachable):
   * fail-open lets visitors through, counted (failure-policy.ts). Absent: fail closed.
   */
  failurePolicy?: FailurePolicy;
  /** This node's health for /healthz (queue store breaker, cluster role). Absent: always "ok". */
  systemStatus?: () => SystemStatus;
};

type Context = {
  req: IncomingMessage;
  res: ServerResponse;
  roomId: string;
  headers: Record<string, string | string[]>;
  /** The page the request comes from, when the client says (see pageQuerySchema). */
  pageId: string | undefined;
  /** `?hold=<ms>`: a heartbeat that may be held until admission (see pageQuerySchema). */
  holdMs: number | undefined;
};

type Action = "enter" | "heartbeat" | "leave" | "end-session" | "status";
const actions = new Set<string>(["enter", "heartbeat", "leave", "end-session", "status"]);
const apiPrefix = "/api/queue/";

/** Hands a request the gate does not answer to Next.js. */
export type PassToNext = (req: IncomingMessage, res: ServerResponse) => void;

export type Gate = {
  /** Answers the request if it is the gate's; returns false to let Next.js have it. */
  handle(req: IncomingMessage, res: ServerResponse, passToNext: PassToNext): boolean;
};

export function createGate(options: GateOptions): Gate {
  const { logger, failurePolicy } = options;
  const engine = failurePolicy ? withFailurePolicy(options.engine, failurePolicy) : options.engine;
  if (failurePolicy) registerFailOpenAdmissions(options.metrics, () => failurePolicy.admissionCounts());
  const accessLog = logger.isLevelEnabled("debug");

  const cookies = createCookieJar(options);
  const joinLimited = createLimitedJoin(engine, {
    perMinutePerAddress: options.newPlacesPerMinutePerIp,
    trustProxy: options.trustProxy,
    apiKeyFor: options.apiKeyFor,
  });
  const prepareWaitPage = createWaitPagePreparer({
    engine,
    logger,
    cookies,
    joinLimited,
  });

  /** The queue token a request presents (Bearer header, else the room's cookie), checked; undefined if none. */
  function tokenFrom(req: IncomingMessage, roomId: string): string | undefined {
    const auth = req.headers.authorization;
    if (auth !== undefined) {
      // The common shape by plain pattern tests; anything else gets the schemas' parse and errors.
      const key = fastChecks.bearerLookupKey(auth);
      if (key !== undefined && fastChecks.queueToken(key)) return key;
      return parseOrThrow(queueTokenSchema, parseOrThrow(bearerSchema, auth, "invalid_token"), "invalid_token");
    }
    const raw = cookieValue(req.headers.cookie, queueCookieName(roomId));
    if (raw === undefined || fastChecks.queueToken(raw)) return raw;
    return parseOrThrow(queueTokenSchema, raw, "invalid_token");
  }

  function corsHeaders(req: IncomingMessage): Record<string, string | string[]> {
    const origin = req.headers.origin;
    if (!origin || !options.allowedOrigins.includes(origin)) return {};
    return {
      "access-control-allow-origin": origin,
      "access-control-allow-credentials": "true",
      "access-control-expose-headers": "x-request-id, retry-after",
      vary: "Origin",
    };
  }

  async function parseBody(
    req: IncomingMessage,
    schema: z.ZodType<{ token?: string; page?: string; pow?: string }>,
  ): Promise<{ token?: string; page?: string; pow?: string }> {
    const type = req.headers["content-type"]?.split(";")[0]?.trim();
    const body = await readBody(req);
    if (body.trim() === "") return {};
    if (type && type !== "application/json" && type !== "text/plain") {
      throw new AppError("unsupported_media_type", "Send JSON (application/json) or no body.");
    }
    let json: unknown;
    try {
      json = JSON.parse(body);
    } catch {
      throw new AppError("invalid_body", "The body is not valid JSON.");
    }
    return parseOrThrow(schema, json, "invalid_body");
  }

  async function run(ctx: Context, action: Action): Promise<void> {
    const { req, res, roomId, headers, pageId, holdMs } = ctx;
    const expectedMethod = action === "status" ? "GET" : "POST";
    if (req.method !== expectedMethod) {
      throw new AppError("method_not_allowed", `Use ${expectedMethod} for ${action}.`);
    }
    const body =
      expectedMethod === "POST"
        ? await parseBody(
            req,
            action === "leave" ? leaveBodySchema : action === "enter" ? enterBodySchema : emptyBodySchema,
          )
        : {};
    // A bad token on enter only means "no place yet"; elsewhere it is an error.
    const token = action === "enter" ? tokenOrNothing(() => tokenFrom(req, roomId)) : tokenFrom(req, roomId);

    switch (action) {
      // POST /api/queue/:room/enter: take (or keep) a place in line.
      case "enter": {
        const result = (await engine.resume(roomId, token, pageId)) ?? (await joinLimited(req, roomId, body.pow));
        const setCookies = [cookies.queue(req, roomId, result.token)];
        if (result.admissionToken) {
          setCookies.push(cookies.admission(req, roomId, result.admissionToken, result.status.heartbeatTimeoutMs));
        }
        const answer = {
          token: result.token,
          status: result.status,
          admissionToken: result.admissionToken ?? undefined,
        };
        sendJson(res, result.resumed ? 200 : 201, answer, { ...headers, "set-cookie": setCookies });
        return;
      }
      // POST /api/queue/:room/heartbeat: proof of life; admitted visitors get a fresh admission.
      case "heartbeat": {
        if (!token) throw new AppError("unauthorized", "No queue token: enter the line first.");
        // An expired place leaves its cookies alone: a response racing a newer page could
        // otherwise wipe the cookie that page was just given. The next enter replaces it.
        const { status, admissionToken } = holdMs
          ? await engine.heartbeat(roomId, token, pageId, { ms: holdMs, signal: hangUpSignal(req, res) })
          : await engine.heartbeat(roomId, token, pageId);
        // Held, and the client went away meanwhile: nobody to answer.
        if (res.destroyed || res.writableEnded) return;
        if (admissionToken)
          headers["set-cookie"] = cookies.admission(req, roomId, admissionToken, status.heartbeatTimeoutMs);
        sendJson(res, 200, admissionToken ? { ...status, admissionToken } : status, headers);
        return;
      }
      // POST /api/queue/:room/leave: the tab is closing (sendBeacon); releases after a short grace.
      case "leave": {
        const leaving = token ?? body.token;
        if (leaving) await engine.leave(roomId, leaving, body.page ?? pageId);
        res.writeHead(204, headers);
        res.end();
        return;
      }
      // POST /api/queue/:room/end-session: the visitor is done; their slot goes to the next in line now.
      case "end-session": {
        if (!token) throw new AppError("unauthorized", "No queue token: enter the line first.");
        await engine.endSessionByToken(roomId, token);
        // The admission ends here too: the browser stops presenting it.
        headers["set-cookie"] = cookies.clearAdmission(req, roomId);
        res.writeHead(204, headers);
        res.end();
        return;
      }
      // GET /api/queue/:room/status: where am I, without counting as a heartbeat.
      case "status": {
        if (!token) throw new AppError("unauthorized", "No queue token: enter the line first.");
        sendJson(res, 200, await engine.requireStatus(roomId, token), headers);
        return;
      }
    }
  }

  async function handleApi(req: IncomingMessage, res: ServerResponse, path: string, query: string): Promise<void> {
    const requestId = requestIdOf(req);
    const headers: Record<string, string | string[]> = { "x-request-id": requestId, ...corsHeaders(req) };
    // Per-request access logs only when asked for: at 10k heartbeats/s they would cost more than the work.
    if (accessLog) {
      const startedAt = performance.now();
      res.once("finish", () =>
        logger.debug(
          { requestId, method: req.method, path, status: res.statusCode, ms: performance.now() - startedAt },
          "queue api",
        ),
      );
    }
    try {
      if (req.method === "OPTIONS") {
        res.writeHead(204, {
          ...headers,
          "access-control-allow-methods": "GET, POST, OPTIONS",
          "access-control-allow-headers": "authorization, content-type, x-request-id, x-floodgate-api-key",
          "access-control-max-age": "600",
        });
        res.end();
        return;
      }
      const [rawRoom = "", action, ...rest] = path.slice(apiPrefix.length).split("/");
      const roomId = fastChecks.roomId(rawRoom) ? rawRoom : parseOrThrow(roomIdSchema, rawRoom, "not_found");
      // GET /api/queue/:room: public view of a room for someone deciding whether to join.
      if (action === undefined || action === "") {
        if (req.method !== "GET") throw new AppError("method_not_allowed", "Use GET for a room.");
        const summary = engine.roomSummary(roomId);
        if (!summary) throw new AppError("room_not_found", `No waiting room named "${roomId}".`);
        sendJson(res, 200, summary, headers);
        return;
      }
      if (rest.length || !actions.has(action)) throw new AppError("not_found", "No such queue API endpoint.");
      // `page=<id>` or nothing (what our clients send) skips building URLSearchParams.
      const simplePage = fastChecks.pageQuery(query);
      const { page: pageId, hold: holdMs } =
        simplePage !== undefined
          ? { page: simplePage ?? undefined, hold: undefined }
          : parseOrThrow(pageQuerySchema, Object.fromEntries(new URLSearchParams(query)), "bad_request");
      if (holdMs !== undefined && action !== "heartbeat") {
        throw new AppError("bad_request", "Only a heartbeat can be held (hold=<ms>).");
      }
      await run({ req, res, roomId, headers, pageId, holdMs }, action as Action);
    } catch (error) {
      respondWithError(res, error, headers, requestId);
    }
  }

  function respondWithError(
    res: ServerResponse,
    error: unknown,
    headers: Record<string, string | string[]>,
    requestId: string,
  ) {
    // Nobody is left to answer, and it was the client's doing: no log line (a stack per hang-up
    // would let anyone flood the log).
    if (res.headersSent || isClientHangUp(error)) {
      res.destroy();
      return;
    }
    if (error instanceof AppError) {
      sendError(res, error, headers);
      return;
    }
    logger.error({ err: error, requestId }, "queue API failed");
    sendError(res, new AppError("internal_error", `Something went wrong (request ${requestId}).`), headers);
  }

  /**
   * The common case of the hot path, answered synchronously: a bodyless heartbeat from a
   * visitor the engine knows, still in line. The token and room are not parsed here: the engine
   * answers only for an exact string in its token index (canonical tokens it issued or
   * verified) of a room it runs. Anything else (bad input included) returns false and takes
   * the full path, which validates and answers errors the same way as ever.
   */
  function answerHeartbeatInLine(req: IncomingMessage, res: ServerResponse, path: string, query: string): boolean {
    if (req.method !== "POST" || !path.endsWith("/heartbeat")) return false;
    const length = req.headers["content-length"];
    if ((length !== undefined && length !== "0") || req.headers["transfer-encoding"] !== undefined) return false;
    const roomId = path.slice(apiPrefix.length, -"/heartbeat".length);
    const auth = req.headers.authorization;
    const key =
      auth !== undefined ? fastChecks.bearerLookupKey(auth) : cookieValue(req.headers.cookie, queueCookieName(roomId));
    if (key === undefined) return false;
    // Only `page=<id>` or nothing: a held heartbeat (`hold=`) may have to wait, so takes the full path.
    const page = fastChecks.pageQuery(query);
    if (page === undefined) return false;
    const status = engine.heartbeatInLine(roomId, key, page ?? undefined);
    if (!status) return false;
    const headers = corsHeaders(req);
    headers["x-request-id"] = requestIdOf(req);
    sendJson(res, 200, status, headers);
    return true;
  }

  // GET /metrics: Prometheus scrape of per-room counters.
  async function serveMetrics(req: IncomingMessage, res: ServerResponse) {
    if (options.metricsToken && req.headers.authorization !== `Bearer ${options.metricsToken}`) {
      sendError(res, new AppError("unauthorized", "Metrics need the configured bearer token."));
      return;
    }
    try {
      const body = await options.metrics.metrics();
      res.writeHead(200, { "content-type": options.metrics.contentType, "cache-control": "no-store" });
      res.end(body);
    } catch (error) {
      respondWithError(res, error, {}, requestIdOf(req));
    }
  }

  return {
    handle(req, res, passToNext) {
      const url = req.url ?? "/";
      if (url.startsWith(apiPrefix)) {
        const queryAt = url.indexOf("?");
        const path = queryAt < 0 ? url : url.slice(0, queryAt);
        const query = queryAt < 0 ? "" : url.slice(queryAt + 1);
        if (!answerHeartbeatInLine(req, res, path, query)) void handleApi(req, res, path, query);
        return true;
      }
      if (url === "/.well-known/jwks.json") {
        sendJson(res, 200, options.admissionTokens.jwks(), { "cache-control": "public, max-age=300" });
        return true;
      }
      if (url === "/metrics") {
        void serveMetrics(req, res);
        return true;
      }
      // GET /healthz: 200 while the process serves, "degraded" in the body when the queue store
      // is not reachable. Not a 503: every node shares the store, so a load balancer that drained
      // degraded nodes would drain them all, and the waiting page would vanish with them.
      if (url === "/healthz") {
        sendJson(res, 200, options.systemStatus?.() ?? { status: "ok" });
        return true;
      }
      // A malformed escape ("%E0%A4%A") makes Next answer 500; it is the client's error.
      if (!isDecodable(url)) {
        sendError(res, new AppError("bad_request", "The URL has a malformed percent-encoding."));
        return true;
      }
      if (req.method === "GET" && (url.startsWith("/wait/") || url === "/wait")) {
        const parsed = new URL(url, "http://gate.local");
        if (parsed.pathname.split("/").length === 3) {
          void prepareWaitPage(req, res, parsed, () => passToNext(req, res));
          return true;
        }
      }
      return false;
    },
  };
}

/** Aborts when the client hangs up before its answer was written: a held heartbeat is then released. */
function hangUpSignal(req: IncomingMessage, res: ServerResponse): AbortSignal {
  const controller = new AbortController();
  // Not req's "close": it fires once the request body was read, which is no hang-up.
  if (res.destroyed || req.socket.destroyed) controller.abort();
  else
    res.once("close", () => {
      if (!res.writableEnded) controller.abort();
    });
  return controller.signal;
}

function isDecodable(url: string): boolean {
  if (!url.includes("%")) return true;
  try {
    decodeURI(url);
    return true;
  } catch {
    return false;
  }
}

function tokenOrNothing(read: () => string | undefined): string | undefined {
  try {
    return read();
  } catch {
    return undefined;
  }
}

function parseOrThrow<T>(
  schema: z.ZodType<T>,
  value: unknown,
  code: "invalid_token" | "invalid_body" | "not_found" | "bad_request",
): T {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  throw new AppError(code, result.error.issues[0]?.message ?? "Invalid input.");
}
