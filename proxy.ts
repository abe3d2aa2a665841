import { type NextRequest, NextResponse } from "next/server";
import { safeCallbackPath } from "@/components/admin/people/safe-callback";
import { sessionTokenFromCookieHeader } from "@/server/auth/session-cookie";
import { safeNextPath } from "@/server/gate/next-path";
import { admissionCookieName } from "@/server/queue/cookie-names";
import { getRuntime } from "@/server/runtime";
import { consoleContentSecurityPolicy, createNonce, isConsolePath } from "@/server/security-headers";

// Guards the protected origin: a request to a room's protected path goes through only with a
// valid admission token for that room whose visitor still holds a slot, checked locally
// (signature, expiry and the engine's memory: no store call; server/queue/admission-check.ts).
// Everyone else is sent to the room's waiting page, carrying where they wanted to go.
export async function proxy(request: NextRequest) {
  const { pathname, search } = request.nextUrl;
  if (isConsolePath(pathname)) return guardConsole(request);
  const runtime = getRuntime();
  const room = runtime.roomForPath(pathname);
  if (!room) return NextResponse.next();
  const admission = request.cookies.get(admissionCookieName(room.id))?.value;
  if (await runtime.verifyAdmission(room.id, admission)) return NextResponse.next();
  const waitUrl = new URL(`/wait/${room.id}`, request.url);
  // Checked here too, so the link handed out is already one the waiting page keeps as is.
  waitUrl.searchParams.set("next", safeNextPath(`${pathname}${search}`));
  const response = NextResponse.redirect(waitUrl, 307);
  response.headers.set("cache-control", "no-store");
  return response;
}

export const config = {
  // Everything but Next's own assets, the API routes, the gate's routes and static files. The
  // API routes stay out because Next copies a request's body for the proxy (see next.config.ts):
  // they read and cap their bodies themselves, and none of them is a protected path.
  matcher: ["/((?!_next/|api/|wait/|\\.well-known/|favicon.ico|floodgate.js|openapi.yaml).*)"],
};

/**
 * Signed-out people asking for a console page go to sign-in, keeping where they were going.
 * Only the cookie's presence is checked here; the console's layout checks the session itself.
 * Console pages get their Content-Security-Policy here, with a nonce for this response only:
 * Next.js reads it from the request header and puts it on every script it renders.
 */
function guardConsole(request: NextRequest) {
  const { pathname, search } = request.nextUrl;
  if (pathname === "/admin/sign-in" || sessionTokenFromCookieHeader(request.headers.get("cookie"))) {
    // NODE_ENV is fixed when Next.js builds this file, not read as configuration.
    const policy = consoleContentSecurityPolicy(createNonce(), process.env.NODE_ENV === "development");
    const headers = new Headers(request.headers);
    headers.set("content-security-policy", policy);
    const response = NextResponse.next({ request: { headers } });
    response.headers.set("content-security-policy", policy);
    return response;
  }
  const signIn = new URL("/admin/sign-in", request.url);
  signIn.searchParams.set("callbackUrl", safeCallbackPath(`${pathname}${search}`, request.nextUrl.origin));
  return NextResponse.redirect(signIn, 307);
}
