import { type NextRequest, NextResponse } from "next/server";
import { sessionTokenFromCookieHeader } from "@/server/auth/session-cookie";
import { admissionCookieName } from "@/server/queue/cookie-names";
import { getRuntime } from "@/server/runtime";

// Guards the protected origin: a request to a room's protected path goes through only with a
// valid admission token for that room, checked locally (signature and expiry, no store call).
// Everyone else is sent to the room's waiting page, carrying where they wanted to go.
export async function proxy(request: NextRequest) {
  const { pathname, search } = request.nextUrl;
  if (pathname === "/admin" || pathname.startsWith("/admin/")) return guardConsole(request);
  const runtime = getRuntime();
  const room = runtime.roomForPath(pathname);
  if (!room) return NextResponse.next();
  const admission = request.cookies.get(admissionCookieName(room.id))?.value;
  if (await runtime.verifyAdmission(room.id, admission)) return NextResponse.next();
  const waitUrl = new URL(`/wait/${room.id}`, request.url);
  waitUrl.searchParams.set("next", `${pathname}${search}`);
  const response = NextResponse.redirect(waitUrl, 307);
  response.headers.set("cache-control", "no-store");
  return response;
}

export const config = {
  // Everything but Next's own assets, the API routes, the gate's routes and static files. The
  // API routes stay out because Next copies a request's body for the proxy (see next.config.js):
  // they read and cap their bodies themselves, and none of them is a protected path.
  matcher: ["/((?!_next/|api/|wait/|\\.well-known/|favicon.ico|floodgate.js|openapi.yaml).*)"],
};

/**
 * Signed-out people asking for a console page go to sign-in, keeping where they were going.
 * Only the cookie's presence is checked here; the console's layout checks the session itself.
 */
function guardConsole(request: NextRequest) {
  const { pathname, search } = request.nextUrl;
  if (pathname === "/admin/sign-in" || sessionTokenFromCookieHeader(request.headers.get("cookie"))) {
    return NextResponse.next();
  }
  const signIn = new URL("/admin/sign-in", request.url);
  signIn.searchParams.set("callbackUrl", `${pathname}${search}`);
  return NextResponse.redirect(signIn, 307);
}
