import { DEFAULT_LANG, type Lang, negotiateLanguage } from "./negotiate-language";

// The visitor pages' language for one room: the fg_lang cookie, then Accept-Language, then the
// room's default language, then English.
//
// negotiateLanguage answers English when nothing matched. Until it takes the fallback itself,
// the room's default rides at the end of Accept-Language with the lowest weight a header can
// give (q=0.001, kept after any tag of equal weight since the browser's order breaks ties), so
// it is chosen exactly when no language the browser named is one Floodgate speaks. The header
// is cut before the suffix so negotiateLanguage's own 1,000-character cut never drops it.
// Once negotiateLanguage(cookie, accept, fallback) exists, this body becomes
// `return negotiateLanguage(cookie, accept, defaultLanguage ?? DEFAULT_LANG);`.
export function languageFor(
  defaultLanguage: Lang | null,
  cookie: string | undefined,
  acceptLanguage: string | null | undefined,
): Lang {
  if (!defaultLanguage || defaultLanguage === DEFAULT_LANG) return negotiateLanguage(cookie, acceptLanguage);
  const browser = (acceptLanguage ?? "").slice(0, 900);
  return negotiateLanguage(cookie, `${browser}${browser.trim() ? "," : ""}${defaultLanguage};q=0.001`);
}
