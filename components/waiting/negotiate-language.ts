// Picks the page language: an explicit choice (the fg_lang cookie) wins, then the
// browser's Accept-Language in preference order, then English.

export const LANGS = ["en", "ko"] as const;
export type Lang = (typeof LANGS)[number];

export const LANG_COOKIE = "fg_lang";
export const DEFAULT_LANG: Lang = "en";

export function isLang(value: unknown): value is Lang {
  return typeof value === "string" && (LANGS as readonly string[]).includes(value);
}

/** Maps one language tag ("ko-KR", "EN", "en-gb") to a supported language, if any. */
function supportedLangOf(tag: string): Lang | null {
  const primary = tag.trim().toLowerCase().split("-")[0];
  return isLang(primary) ? primary : null;
}

type Preference = { tag: string; q: number; order: number };

function parseAcceptLanguage(header: string): Preference[] {
  const preferences: Preference[] = [];
  header.split(",").forEach((part, order) => {
    const [rawTag = "", ...params] = part.split(";");
    const tag = rawTag.trim();
    if (!tag) return;
    let q = 1;
    for (const param of params) {
      const [key, value] = param.split("=").map((s) => s.trim());
      if (key === "q" && value !== undefined) {
        const parsed = Number(value);
        q = Number.isFinite(parsed) ? parsed : 0;
      }
    }
    // q=0 means "not acceptable", so it can never be chosen.
    if (q > 0) preferences.push({ tag, q, order });
  });
  // Stable: equal q keeps the order the browser sent.
  return preferences.sort((a, b) => b.q - a.q || a.order - b.order);
}

export function negotiateLanguage(cookieValue: string | undefined, acceptLanguage: string | null | undefined): Lang {
  if (isLang(cookieValue)) return cookieValue;
  if (!acceptLanguage) return DEFAULT_LANG;
  for (const { tag } of parseAcceptLanguage(acceptLanguage.slice(0, 1000))) {
    const lang = supportedLangOf(tag);
    if (lang) return lang;
  }
  return DEFAULT_LANG;
}
