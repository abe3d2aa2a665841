import "server-only";
import { cookies } from "next/headers";
import { redirect } from "next/navigation";
import { decode } from "next-auth/jwt";
import type { SessionUser } from "@/server/admin/admin-types";
import { sessionCookieNames } from "@/server/auth/session-cookie";
import { getRuntime } from "@/server/runtime";

// Who is signed in, for admin pages (cookies()) and admin routes (the Request). The session
// cookie is next-auth's JWT; it holds the user id, the password epoch and the session's id, and
// the person (and whether that session was signed out) is read again every time.

/**
 * The session's id: the `sid` claim minted at sign-in and kept by every refresh. next-auth's own
 * `jti` will not do: it is new in every cookie the session is given (each GET /api/auth/session
 * re-issues it), so a copy taken earlier would carry another. Cookies from before `sid` existed
 * fall back to their `jti` (the jwt callback adopts it as their `sid` on the next refresh).
 */
export function sessionIdOf(claims: Record<string, unknown> | null | undefined): string | null {
  if (typeof claims?.sid === "string" && claims.sid) return claims.sid;
  if (typeof claims?.jti === "string" && claims.jti) return claims.jti;
  return null;
}

export async function sessionUserFromToken(token: string | undefined): Promise<SessionUser | null> {
  if (!token || token.length > 8192) return null;
  const runtime = getRuntime();
  try {
    const claims = await decode({ token, secret: runtime.auth.secret });
    const userId = claims?.uid;
    if (typeof userId !== "string") return null;
    const epoch = typeof claims?.epoch === "number" ? claims.epoch : 0;
    return await runtime.auth.sessionUser(userId, epoch, sessionIdOf(claims));
  } catch {
    return null;
  }
}

/** The signed-in person for a server component; null when signed out. */
export async function getSessionUser(): Promise<SessionUser | null> {
  const jar = await cookies();
  const token = sessionCookieNames.map((name) => jar.get(name)?.value).find(Boolean);
  return sessionUserFromToken(token);
}

/** The signed-in person, or a redirect to the sign-in page. */
export async function requireSessionUser(): Promise<SessionUser> {
  const user = await getSessionUser();
  if (!user) redirect("/admin/sign-in");
  return user;
}
