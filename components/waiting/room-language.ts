import { DEFAULT_LANG, type Lang, negotiateLanguage } from "./negotiate-language";

// The visitor pages' language for one room: the fg_lang cookie, then Accept-Language, then the
// room's default language, then English.
export function languageFor(
  defaultLanguage: Lang | null,
  cookie: string | undefined,
  acceptLanguage: string | null | undefined,
): Lang {
  return negotiateLanguage(cookie, acceptLanguage, defaultLanguage ?? DEFAULT_LANG);
}
