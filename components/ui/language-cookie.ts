// The visitor's explicit language choice, stored where server pages read it
// (negotiate-language.ts) so the next server render agrees with what the page shows now.
import { LANG_COOKIE, type Lang } from "@/components/waiting/negotiate-language";

const ONE_YEAR_S = 365 * 24 * 60 * 60;

export function storeLanguageChoice(lang: Lang): void {
  const secure = window.location.protocol === "https:" ? "; Secure" : "";
  // biome-ignore lint/suspicious/noDocumentCookie: a plain preference cookie; the Cookie Store API is not in Safari/Firefox
  document.cookie = `${LANG_COOKIE}=${lang}; Path=/; Max-Age=${ONE_YEAR_S}; SameSite=Lax${secure}`;
  document.documentElement.lang = lang;
}
