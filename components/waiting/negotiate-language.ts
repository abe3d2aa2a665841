// Picks the page language: an explicit choice (the fg_lang cookie) wins, then the
// browser's Accept-Language in preference order, then a fallback (the room's default
// language when it has one, English otherwise).

export const LANGS = ["en", "ko", "ja", "zh-Hans", "zh-Hant", "es", "fr", "de"] as const;
export type Lang = (typeof LANGS)[number];

/** Each language's name in that language, for language switches and the console. */
export const LANG_NAMES: Record<Lang, string> = {
  en: "English",
  ko: "한국어",
  ja: "日本語",
  "zh-Hans": "简体中文",
  "zh-Hant": "繁體中文",
  es: "Español",
  fr: "Français",
  de: "Deutsch",
};

export const LANG_COOKIE = "fg_lang";
export const DEFAULT_LANG: Lang = "en";

/** Exact match only: the cookie holds a code this app wrote, so "ZH-HANT" or "zh" is not one. */
export function isLang(value: unknown): value is Lang {
  return typeof value === "string" && (LANGS as readonly string[]).includes(value);
}

// BCP 47 in the shape browsers send: a 1-8 letter primary subtag, then 1-8 alphanumeric subtags.
const LANGUAGE_TAG = /^[a-z]{1,8}(?:-[a-z0-9]{1,8})*$/;
const TRADITIONAL_REGIONS = new Set(["tw", "hk", "mo"]);
const PLAIN_LANGS: ReadonlySet<string> = new Set(["en", "ko", "ja", "es", "fr", "de"]);

/** Maps one language tag ("ko-KR", "EN", "zh-Hant-TW", "zh-HK") to a supported language, if any. */
export function supportedLangOf(tag: string): Lang | null {
  const lower = tag.trim().toLowerCase();
  if (!LANGUAGE_TAG.test(lower)) return null;
  const [primary = "", ...subtags] = lower.split("-");
  if (primary === "zh") return chineseScriptOf(subtags);
  return PLAIN_LANGS.has(primary) ? (primary as Lang) : null;
}

// Chinese is chosen by script: an explicit script subtag decides; otherwise the regions that
// write Traditional characters (Taiwan, Hong Kong, Macau) get it and everything else, bare
// "zh" included, gets Simplified, as browsers and operating systems assume.
function chineseScriptOf(subtags: string[]): Lang {
  if (subtags.includes("hant")) return "zh-Hant";
  if (subtags.includes("hans")) return "zh-Hans";
  return subtags.some((subtag) => TRADITIONAL_REGIONS.has(subtag)) ? "zh-Hant" : "zh-Hans";
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

/**
 * The language to show, among `supported` (every language by default; the demo shop has
 * fewer): the cookie if it names one of them, else the first acceptable one in the
 * browser's preference order, else `fallback`.
 */
export function negotiateLanguageAmong<L extends Lang>(
  supported: readonly L[],
  cookieValue: string | undefined,
  acceptLanguage: string | null | undefined,
  fallback: L,
): L {
  const isSupported = (lang: Lang | null): lang is L => lang !== null && (supported as readonly Lang[]).includes(lang);
  if (isLang(cookieValue) && isSupported(cookieValue)) return cookieValue;
  if (!acceptLanguage) return fallback;
  // A real header is a few dozen characters; a long one is cut rather than parsed at length.
  for (const { tag } of parseAcceptLanguage(acceptLanguage.slice(0, 1000))) {
    const lang = supportedLangOf(tag);
    if (isSupported(lang)) return lang;
  }
  return fallback;
}

/** The waiting page's language. `fallback` is the room's default language when it has one. */
export function negotiateLanguage(
  cookieValue: string | undefined,
  acceptLanguage: string | null | undefined,
  fallback: Lang = DEFAULT_LANG,
): Lang {
  return negotiateLanguageAmong(LANGS, cookieValue, acceptLanguage, fallback);
}
