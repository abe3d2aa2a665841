// The admin session cookie (next-auth's JWT). Plain module: proxy.ts reads it too.

/** next-auth names the cookie by whether the site is served over https. */
export const sessionCookieNames = ["__Secure-next-auth.session-token", "next-auth.session-token"];

export function sessionTokenFromCookieHeader(header: string | null): string | undefined {
  if (!header) return undefined;
  for (const name of sessionCookieNames) {
    for (const part of header.split(";")) {
      const trimmed = part.trim();
      if (trimmed.startsWith(`${name}=`)) return decodeURIComponent(trimmed.slice(name.length + 1));
    }
  }
  return undefined;
}
