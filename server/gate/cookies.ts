import "server-only";
import type { IncomingMessage } from "node:http";
import { LANG_COOKIE, type Lang } from "@/components/waiting/negotiate-language";
import { serializeCookie } from "@/server/gate/http";
import { admissionCookieName, queueCookieName } from "@/server/queue/cookie-names";

// The gate's two cookies per room (and the language choice), set the same way by the queue API and the waiting page.
// The queue cookie lives long (the engine decides whether its place still exists); the
// admission cookie lives as long as the admission token inside it.

export type CookieJar = ReturnType<typeof createCookieJar>;

const oneYearS = 365 * 24 * 60 * 60;

export function createCookieJar(options: {
  queueCookieMaxAgeS: number;
  publicUrlIsHttps: boolean;
  trustProxy: boolean;
}) {
  /** Secure cookies when the public URL is https, the socket is TLS, or a trusted proxy says so. */
  function isSecure(req: IncomingMessage): boolean {
    if (options.publicUrlIsHttps) return true;
    if ("encrypted" in req.socket && req.socket.encrypted) return true;
    return options.trustProxy && req.headers["x-forwarded-proto"] === "https";
  }

  return {
    queue(req: IncomingMessage, room: string, token: string): string {
      return serializeCookie(queueCookieName(room), token, {
        maxAgeS: options.queueCookieMaxAgeS,
        secure: isSecure(req),
      });
    },
    admission(req: IncomingMessage, room: string, token: string, lifetimeMs: number): string {
      const maxAgeS = Math.ceil(lifetimeMs / 1000);
      return serializeCookie(admissionCookieName(room), token, { maxAgeS, secure: isSecure(req) });
    },
    /**
     * The visitor's language choice (the gate page's language form): what the waiting page's own
     * switch stores, so not HttpOnly (that switch writes it from the page).
     */
    language(req: IncomingMessage, lang: Lang): string {
      return `${LANG_COOKIE}=${lang}; Path=/; Max-Age=${oneYearS}; SameSite=Lax${isSecure(req) ? "; Secure" : ""}`;
    },
    /** Removes the admission cookie (the session was ended). */
    clearAdmission(req: IncomingMessage, room: string): string {
      return serializeCookie(admissionCookieName(room), "", { maxAgeS: 0, secure: isSecure(req) });
    },
  };
}
