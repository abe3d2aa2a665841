import "server-only";
import { cookies, headers } from "next/headers";
import { LANG_COOKIE, type Lang, negotiateLanguage } from "./negotiate-language";

// Server pages and layouts read the visitor's language here, so the cookie and the
// Accept-Language header are interpreted in exactly one way (negotiate-language.ts).
export async function readRequestLanguage(): Promise<Lang> {
  const [cookieStore, headerList] = await Promise.all([cookies(), headers()]);
  return negotiateLanguage(cookieStore.get(LANG_COOKIE)?.value, headerList.get("accept-language"));
}
