import "server-only";
import type { IncomingMessage, ServerResponse } from "node:http";
import { isLang, LANG_COOKIE } from "@/components/waiting/negotiate-language";
import { resolveRoomBrand } from "@/components/waiting/room-brand";
import { languageFor } from "@/components/waiting/room-language";
import { AppError } from "@/server/api/errors";
import type { CookieJar } from "@/server/gate/cookies";
import { renderUnavailablePage } from "@/server/gate/full-page";
import { cookieValue, requestIdOf } from "@/server/gate/http";
import { nextPathFromQuery } from "@/server/gate/next-path";
import type { LimitedJoin } from "@/server/gate/place-limiter";
import { queueTokenSchema, roomIdSchema } from "@/server/gate/schemas";
import type { Logger } from "@/server/log";
import { queueCookieName } from "@/server/queue/cookie-names";
import type { VisitorEngine } from "@/server/queue/engine";
import type { GoneReason } from "@/server/queue/types";
import { gatePageSecurityHeaders } from "@/server/security-headers";

/** Sets (or replaces) one cookie in the request, as if the browser had sent it. */
function replaceRequestCookie(req: IncomingMessage, name: string, value: string): void {
  const others = (req.headers.cookie ?? "")
    .split(";")
    .map((c) => c.trim())
    .filter((c) => c && !c.startsWith(`${name}=`));
  req.headers.cookie = [...others, `${name}=${value}`].join("; ");
}

/**
 * Why a place is gone that the page shows again on a reload (engine.status renders it), rather
 * than quietly handing out a new place: a silent page that comes back just gets one.
 */
const shownOnReload = new Set<string>(["session_limit", "evicted", "ended_by_site", "lost"] satisfies GoneReason[]);

type WaitPageOptions = {
  engine: VisitorEngine;
  logger: Logger;
  cookies: CookieJar;
  joinLimited: LimitedJoin;
};

/**
 * GET /wait/:room, before Next renders it: take or keep a place (so the page works without
 * JavaScript), count the visit as a heartbeat, send the admitted straight on, and answer
 * "room full" (or closed, or slow down) here, with no write.
 */
export function createWaitPagePreparer({ engine, logger, cookies, joinLimited }: WaitPageOptions) {
  return async function prepareWaitPage(req: IncomingMessage, res: ServerResponse, url: URL, passToNext: () => void) {
    // No decoding: a room id has no characters that need it, and a malformed escape ("%E0")
    // must fail validation, not throw.
    const roomId = roomIdSchema.safeParse(url.pathname.split("/")[2] ?? "");
    const summary = roomId.success ? engine.roomSummary(roomId.data) : null;
    if (!roomId.success || !summary) return passToNext();
    const room = roomId.data;
    const next = nextPathFromQuery(url.searchParams);
    // A language chosen on the gate's own page (its form): kept as the page's switch keeps it,
    // and read by this request's render too.
    const chosen = url.searchParams.get("lang");
    const langChoice = isLang(chosen) ? chosen : null;
    const langCookies = langChoice ? [cookies.language(req, langChoice)] : [];
    if (langChoice) replaceRequestCookie(req, LANG_COOKIE, langChoice);
    const sendOn = (setCookies: string[], admissionToken: string, lifetimeMs: number) => {
      setCookies.push(...langCookies, cookies.admission(req, room, admissionToken, lifetimeMs));
      res.writeHead(303, { location: next, "cache-control": "no-store", "set-cookie": setCookies });
      res.end();
    };
    if (langChoice) res.setHeader("set-cookie", langCookies);
    try {
      const cookie = cookieValue(req.headers.cookie, queueCookieName(room));
      if (cookie !== undefined && queueTokenSchema.safeParse(cookie).success) {
        let toldWhy = false;
        const live = await engine.heartbeat(room, cookie).catch((error: unknown) => {
          toldWhy = error instanceof AppError && shownOnReload.has(String(error.details?.reason));
          return null;
        });
        if (live?.admissionToken) return sendOn([], live.admissionToken, live.status.heartbeatTimeoutMs);
        if (live) return passToNext();
        // The time limit or the site ended their visit, or we lost their place: the page says
        // so, and a new place is theirs to ask for ("rejoin"), not taken for them on every reload.
        if (toldWhy && url.searchParams.get("rejoin") !== "1") return passToNext();
      }
      const entered = await joinLimited(req, room);
      if (entered.admissionToken) {
        return sendOn(
          [cookies.queue(req, room, entered.token)],
          entered.admissionToken,
          entered.status.heartbeatTimeoutMs,
        );
      }
      res.setHeader("set-cookie", [...langCookies, cookies.queue(req, room, entered.token)]);
      // Let the page render this new place as if the browser had sent the cookie.
      replaceRequestCookie(req, queueCookieName(room), entered.token);
      passToNext();
    } catch (error) {
      // The store (or the cluster's leader) is unreachable: the page itself enters once it can.
      // A challenge to solve (pow rooms), or a network the room refuses: the page's script
      // takes it from there ("Checking your browser…"), as it does for an API client.
      if (
        error instanceof AppError &&
        (error.code === "unavailable" ||
          error.code === "challenge_required" ||
          error.code === "challenge_failed" ||
          error.code === "blocked")
      ) {
        return passToNext();
      }
      if (
        error instanceof AppError &&
        (error.code === "room_full" || error.code === "room_closed" || error.code === "rate_limited")
      ) {
        const lang = languageFor(
          summary.defaultLanguage,
          cookieValue(req.headers.cookie, LANG_COOKIE),
          req.headers["accept-language"],
        );
        const brand = resolveRoomBrand(summary, lang);
        const retryAfter = error.retryAfterSeconds ?? 30;
        // The waiting page as a newcomer sees it here, answered before Next.js (one string, no
        // render): it carries the same framing rules, and counts down to its own next try.
        res.writeHead(error.status, {
          ...gatePageSecurityHeaders(brand.logoUrl),
          "content-type": "text/html; charset=utf-8",
          "retry-after": String(retryAfter),
          "cache-control": "no-store",
          ...(langCookies.length && { "set-cookie": langCookies }),
        });
        res.end(renderUnavailablePage(error.code, lang, retryAfter, brand, { room, next, waiting: summary.waiting }));
        return;
      }
      logger.error({ err: error, requestId: requestIdOf(req) }, "waiting page preparation failed");
      passToNext();
    }
  };
}
