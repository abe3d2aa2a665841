// Everything the waiting page says, one dictionary per language (./en.ts, ./ko.ts, …), each
// of the one WaitingMessages type; Record<Lang, …> makes a language without a dictionary a
// compile error too.
import type { Lang } from "../negotiate-language";
import { de } from "./de";
import { en } from "./en";
import { es } from "./es";
import { fr } from "./fr";
import { ja } from "./ja";
import { ko } from "./ko";
import type { WaitingMessages } from "./types";
import { zhHans } from "./zh-hans";
import { zhHant } from "./zh-hant";

export type { WaitingMessages } from "./types";

export const waitingMessages: Record<Lang, WaitingMessages> = {
  en,
  ko,
  ja,
  "zh-Hans": zhHans,
  "zh-Hant": zhHant,
  es,
  fr,
  de,
};

// One formatter per locale: making one costs tens of microseconds, and the gate's "room full"
// page (server/gate/full-page.ts) counts the people waiting on every answer of a flood.
const countFormats = new Map<string, Intl.NumberFormat>();

export function formatCount(messages: WaitingMessages, value: number): string {
  let format = countFormats.get(messages.locale);
  if (!format) {
    format = new Intl.NumberFormat(messages.locale, { maximumFractionDigits: 1 });
    countFormats.set(messages.locale, format);
  }
  return format.format(value);
}

/** A whole percentage (0-100) the locale's way: "67%", "67 %" in French and German. */
export function formatPercent(messages: WaitingMessages, percent: number): string {
  return new Intl.NumberFormat(messages.locale, { style: "percent", maximumFractionDigits: 0 }).format(percent / 100);
}
