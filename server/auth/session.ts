import "server-only";
import { cookies } from "next/headers";
import { redirect } from "next/navigation";
import { decode } from "next-auth/jwt";
import type { SessionUser } from "@/server/admin/admin-types";
import { sessionCookieNames } from "@/server/auth/session-cookie";
import { getRuntime } from "@/server/runtime";

// Who is signed in, for admin pages (cookies()) and admin routes (the Request). The session
// cookie is next-auth's JWT; it holds the user id, and the person is read again every time.

export async function sessionUserFromToken(token: string | undefined): Promise<SessionUser | null> {
  if (!token || token.length > 8192) return null;
  const runtime = getRuntime();
  try {
    const claims = await decode({ token, secret: runtime.auth.secret });
    const userId = claims?.uid;
    if (typeof userId !== "string") return null;
    const epoch = typeof claims?.epoch === "number" ? claims.epoch : 0;
    return await runtime.auth.sessionUser(userId, epoch);
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
