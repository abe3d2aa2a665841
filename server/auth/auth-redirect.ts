import "server-only";
import { pathOnOrigin, safeNextPath } from "@/server/gate/next-path";

/**
 * next-auth's redirect callback: where sign-in and sign-out send the browser, from a
 * callbackUrl anyone can put in a link or the callback-url cookie. next-auth's default keeps any
 * same-origin URL as given; this holds it to the site-wide path rule (server/gate/next-path.ts),
 * so the URL sent is built from the very path that was checked.
 */
export function redirectAfterAuth({ url, baseUrl }: { url: string; baseUrl: string }): string {
  return `${baseUrl}${safeNextPath(pathOnOrigin(url, baseUrl), "/admin")}`;
}
