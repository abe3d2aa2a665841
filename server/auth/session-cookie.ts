import { cookieValue } from "@/server/gate/http";

// The admin session cookie (next-auth's JWT); proxy.ts reads it too.

/** next-auth names the cookie by whether the site is served over https. */
export const sessionCookieNames = ["__Secure-next-auth.session-token", "next-auth.session-token"];

export function sessionTokenFromCookieHeader(header: string | null): string | undefined {
  for (const name of sessionCookieNames) {
    const value = cookieValue(header ?? undefined, name);
    if (value) return value;
  }
  return undefined;
}
