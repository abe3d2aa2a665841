import "server-only";
import { cookies, headers } from "next/headers";
import { LANG_COOKIE, type Lang, negotiateLanguage, negotiateLanguageAmong } from "./negotiate-language";

async function readLanguageInputs(): Promise<[string | undefined, string | null]> {
  const [cookieStore, headerList] = await Promise.all([cookies(), headers()]);
  return [cookieStore.get(LANG_COOKIE)?.value, headerList.get("accept-language")];
}

// Server pages and layouts read the visitor's language here, so the cookie and the
// Accept-Language header are interpreted in exactly one way (negotiate-language.ts).
export async function readRequestLanguage(): Promise<Lang> {
  const [cookieValue, acceptLanguage] = await readLanguageInputs();
  return negotiateLanguage(cookieValue, acceptLanguage);
}

/** For pages written in fewer languages than the waiting page (the demo shop, the home page). */
export async function readRequestLanguageAmong<L extends Lang>(supported: readonly L[], fallback: L): Promise<L> {
  const [cookieValue, acceptLanguage] = await readLanguageInputs();
  return negotiateLanguageAmong(supported, cookieValue, acceptLanguage, fallback);
}
