import { type NextRequest, NextResponse } from "next/server";
import { admissionCookieName } from "@/server/queue/cookie-names";
import { getRuntime } from "@/server/runtime";

// Guards the protected origin: a request to a room's protected path goes through only with a
// valid admission token for that room, checked locally (signature and expiry, no store call).
// Everyone else is sent to the room's waiting page, carrying where they wanted to go.
export async function proxy(request: NextRequest) {
  const { pathname, search } = request.nextUrl;
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
  // Everything but Next's own assets, the gate's routes and static files.
  matcher: ["/((?!_next/|api/queue/|wait/|\\.well-known/|favicon.ico|floodgate.js|openapi.yaml).*)"],
};
