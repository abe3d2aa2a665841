import "server-only";
import { randomUUID } from "node:crypto";
import type { ZodType } from "zod";
import type { Actor, AdminService } from "@/server/admin/admin-service";
import type { Role, SessionUser } from "@/server/admin/admin-types";
import type { AlertService } from "@/server/alerts/alert-service";
import type { NotificationService } from "@/server/alerts/notification-service";
import { AppError } from "@/server/api/errors";
import { errorResponse, issuesMessage, jsonResponse as json, readJsonBody } from "@/server/api/json-body";
import { peerAddressHeader } from "@/server/api/peer-address";
import { roleAllows } from "@/server/auth/auth-service";
import { sessionUserFromToken } from "@/server/auth/session";
import { sessionTokenFromCookieHeader } from "@/server/auth/session-cookie";
import { getRuntime } from "@/server/runtime";
import type { ScheduleService } from "@/server/schedule/schedule-service";

// The one wrapper for admin route handlers: session (401), role (403), cross-site refusal
// for changes (403), body size (413), zod on params, query and body (400/422), and the single
// try/catch that maps errors to `{ error: { code, message } }`. Handlers only call AdminService.

const maxBodyBytes = 64 * 1024;
const safeMethods = new Set(["GET", "HEAD", "OPTIONS"]);

export type AdminContext<P, Q, B> = {
  user: SessionUser;
  actor: Actor;
  admin: AdminService;
  schedule: ScheduleService;
  alerts: AlertService;
  notifications: NotificationService;
  params: P;
  query: Q;
  body: B;
  request: Request;
};

type Options<P, Q, B> = {
  /** The least role allowed: viewer < operator < admin. */
  role: Role;
  params?: ZodType<P>;
  query?: ZodType<Q>;
  body?: ZodType<B>;
  /** Status of a successful answer (201 for creation). */
  status?: number;
};

type RouteContext = { params: Promise<Record<string, string | string[]>> };

export function withAdmin<P = undefined, Q = undefined, B = undefined>(
  options: Options<P, Q, B>,
  handler: (context: AdminContext<P, Q, B>) => unknown | Promise<unknown>,
) {
  return async (request: Request, routeContext?: RouteContext): Promise<Response> => {
    const requestId = request.headers.get("x-request-id") ?? randomUUID();
    const runtime = getRuntime();
    try {
      const user = await sessionUserFromToken(sessionTokenFromCookieHeader(request.headers.get("cookie")));
      if (!user) throw new AppError("unauthorized", "Sign in to use the admin API.");
      if (!roleAllows(user.role, options.role)) {
        throw new AppError("forbidden", `This needs the ${options.role} role; you are signed in as ${user.role}.`);
      }
      if (!safeMethods.has(request.method)) refuseCrossSite(request, runtime.publicOrigin);

      const params = parse(options.params, await routeContext?.params, "bad_request", "URL");
      const url = new URL(request.url);
      const query = parse(options.query, Object.fromEntries(url.searchParams), "bad_request", "query");
      const body = options.body
        ? parse(options.body, await readJsonBody(request, maxBodyBytes), "validation_failed", "body")
        : undefined;

      const address = request.headers.get(peerAddressHeader);
      const result = await handler({
        user,
        actor: { user, ip: address || null },
        admin: runtime.admin,
        schedule: runtime.schedule,
        alerts: runtime.alerts,
        notifications: runtime.notifications,
        params: params as P,
        query: query as Q,
        body: body as B,
        request,
      });
      if (result instanceof Response) return result;
      return json(result ?? { ok: true }, options.status ?? 200, requestId);
    } catch (error) {
      return errorResponse(error, request, requestId, runtime.logger, "admin route");
    }
  };
}

/**
 * Changes must come from the console's own pages. Browsers send Origin on every cross-site
 * POST/PUT/PATCH/DELETE (and Sec-Fetch-Site); a JSON body needs a CORS preflight we never grant.
 */
function refuseCrossSite(request: Request, publicOrigin: string | null): void {
  const origin = request.headers.get("origin");
  if (origin !== null && origin !== publicOrigin) {
    let originHost: string | null = null;
    try {
      originHost = new URL(origin).host;
    } catch {
      originHost = null;
    }
    if (originHost === null || originHost !== request.headers.get("host")) {
      throw new AppError("cross_site", "Cross-site requests may not change anything.");
    }
  }
  const site = request.headers.get("sec-fetch-site");
  if (site !== null && site !== "same-origin" && site !== "none") {
    throw new AppError("cross_site", "Cross-site requests may not change anything.");
  }
}

function parse<T>(
  schema: ZodType<T> | undefined,
  input: unknown,
  code: "bad_request" | "validation_failed",
  where: string,
) {
  if (!schema) return undefined;
  const result = schema.safeParse(input ?? {});
  if (result.success) return result.data;
  throw new AppError(code, `Invalid ${where}: ${issuesMessage(result.error)}`);
}
