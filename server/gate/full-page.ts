import "server-only";
import { formatCount, waitingMessages } from "@/components/waiting/messages";
import { DEFAULT_LANG, LANG_NAMES, LANGS, type Lang, negotiateLanguage } from "@/components/waiting/negotiate-language";
import type { RoomBrand } from "@/components/waiting/room-brand";
import { STATE_ICON_PATHS } from "@/components/waiting/state-icon-paths";
import { pageCopy, type UnavailableReason, waitOf } from "@/server/gate/full-page-copy";
import { gatePageStyle } from "@/server/gate/full-page-style";
import { retryScript } from "@/server/gate/retry-script";

// The "room full" / "room closed" / "slow down" page the gate answers itself, before Next and
// before any write, so a flood beyond the queue's maximum length costs almost nothing: one
// string built from the room's summary, no render, no store call. It is the waiting page as a
// newcomer would see it there (the same words, look, language switch, dark mode and branding),
// not a page of its own: a person sees one designed experience whether the gate or Next answers.

export type { UnavailableReason } from "@/server/gate/full-page-copy";

// Han characters are drawn differently per language, so each CJK page names its own fonts first.
const fontStacks: Partial<Record<Lang, string>> = {
  ko: `"Apple SD Gothic Neo","Noto Sans KR","Malgun Gothic",`,
  ja: `"Hiragino Sans","Yu Gothic UI",Meiryo,"Noto Sans JP","Noto Sans CJK JP",`,
  "zh-Hans": `"PingFang SC","Microsoft YaHei","Noto Sans SC","Noto Sans CJK SC",`,
  "zh-Hant": `"PingFang TC","Microsoft JhengHei","Noto Sans TC","Noto Sans CJK TC",`,
};

/** The same choice as the waiting page: the fg_lang cookie, then Accept-Language, then `fallback`. */
export function pickLanguage(
  acceptLanguage: string | undefined,
  langCookie: string | undefined,
  fallback: Lang = DEFAULT_LANG,
): Lang {
  return negotiateLanguage(langCookie, acceptLanguage, fallback);
}

/** Text for HTML content and double-quoted attributes: the room's branding is the operator's text. */
export function escapeHtml(text: string): string {
  return text
    .replaceAll("&", "&amp;")
    .replaceAll("<", "&lt;")
    .replaceAll(">", "&gt;")
    .replaceAll('"', "&quot;")
    .replaceAll("'", "&#39;");
}

/** The room's accent over Floodgate's, in each colour scheme (accent-colors.ts made both readable). */
function accentStyle(brand: RoomBrand | undefined): string {
  const palette = brand?.palette;
  if (!palette) return "";
  const tokens = (p: typeof palette.light) =>
    `--accent:${p.accent};--accent-hover:${p.hover};--accent-soft:${p.soft};--on-accent:${p.onAccent}`;
  return `:root{${tokens(palette.light)}}@media (prefers-color-scheme:dark){:root{${tokens(palette.dark)}}}`;
}

/** The room's logo and name, as the waiting page's card shows them. */
function brandHeader(brand: RoomBrand): string {
  const name = escapeHtml(brand.displayName);
  const logo = brand.logoUrl
    ? `<img class="logo" data-testid="room-logo" src="${escapeHtml(brand.logoUrl)}" alt="${name}" loading="eager" referrerpolicy="no-referrer">`
    : "";
  return `<div class="brand">${logo}<p class="room" data-testid="room-display-name">${name}</p></div>`;
}

const floodgateMark = `<svg viewBox="0 0 32 32" aria-hidden="true" focusable="false"><rect x="1" y="1" width="30" height="30" rx="9" fill="currentColor"/><path d="M9 7v11M16 7v11M23 7v11" stroke="var(--on-accent)" stroke-width="2.6" stroke-linecap="round"/><path d="M6 22.5c2.5 0 2.5-1.8 5-1.8s2.5 1.8 5 1.8 2.5-1.8 5-1.8 2.5 1.8 5 1.8" fill="none" stroke="var(--on-accent)" stroke-width="2.2" stroke-linecap="round"/></svg>`;

const globe = `<svg class="globe" viewBox="0 0 20 20" aria-hidden="true" focusable="false"><circle cx="10" cy="10" r="7.5" fill="none" stroke="currentColor" stroke-width="1.5"/><path d="M2.5 10h15M10 2.5c2 2.2 3 4.7 3 7.5s-1 5.3-3 7.5M10 2.5c-2 2.2-3 4.7-3 7.5s1 5.3 3 7.5" fill="none" stroke="currentColor" stroke-width="1.5"/></svg>`;

const chevron = `<svg class="chevron" viewBox="0 0 12 12" aria-hidden="true" focusable="false"><path d="M3 4.5l3 3 3-3" fill="none" stroke="currentColor" stroke-width="1.5" stroke-linecap="round"/></svg>`;

const icons: Record<UnavailableReason, string> = {
  room_full: STATE_ICON_PATHS.full,
  room_closed: STATE_ICON_PATHS.closed,
  rate_limited: STATE_ICON_PATHS.joining,
  switching_servers: STATE_ICON_PATHS.joining,
};

/** Where the page is for: its room's waiting page, and what it passes on. */
export type UnavailablePageContext = {
  room: string;
  /** Already checked to be a same-site path (next-path.ts). */
  next: string;
  /** People waiting now: shown on a full room's page. */
  waiting?: number;
};

/** What the page says, by reason: the waiting page's own words for a full or closed room. */
function copyFor(reason: UnavailableReason, lang: Lang): { title: string; body: string } {
  const messages = waitingMessages[lang];
  if (reason === "room_full") return { title: messages.states.full.heading, body: messages.states.full.body };
  if (reason === "room_closed") return { title: messages.states.closed.heading, body: messages.closedWithoutPlaceBody };
  return pageCopy[lang].pages[reason];
}

/** The room's page with `next` (and the language) kept: "Try now" and the language form go there. */
function roomHref(context: UnavailablePageContext, lang?: Lang): string {
  const query = new URLSearchParams();
  if (context.next !== "/") query.set("next", context.next);
  if (lang) query.set("lang", lang);
  const search = query.toString();
  return `/wait/${encodeURIComponent(context.room)}${search ? `?${search}` : ""}`;
}

/** The language options with this one selected, built once per language. */
const languageOptions = new Map<Lang, string>(
  LANGS.map((lang) => [
    lang,
    LANGS.map(
      (option) =>
        `<option value="${option}" lang="${option}"${option === lang ? " selected" : ""}>${escapeHtml(LANG_NAMES[option])}</option>`,
    ).join(""),
  ]),
);

function languageForm(lang: Lang, context: UnavailablePageContext): string {
  const messages = waitingMessages[lang];
  const options = languageOptions.get(lang) ?? "";
  const next = context.next !== "/" ? `<input type="hidden" name="next" value="${escapeHtml(context.next)}">` : "";
  // The script submits on change; without it, the button does.
  return `<form class="lang" method="get" action="/wait/${encodeURIComponent(context.room)}"><label class="visually-hidden" for="lang-select">${escapeHtml(messages.languageLabel)}</label><span class="pick">${globe}<select id="lang-select" name="lang" data-testid="lang-switch">${options}</select>${chevron}</span>${next}<noscript><button type="submit">${escapeHtml(messages.languageLabel)}</button></noscript></form>`;
}

/** The countdown, as the sentence around the number (the script fills in the seconds left). */
function countdown(lang: Lang, seconds: number): string {
  const messages = waitingMessages[lang];
  // Every language writes the number as is, so a figure no sentence contains marks where it goes.
  const marker = 987_654_321;
  const [before = "", after = ""] = messages.retryIn(marker).split(String(marker));
  return `<p class="countdown" id="countdown" role="timer" aria-live="off" data-testid="retry-countdown" data-seconds="${seconds}" data-before="${escapeHtml(before)}" data-after="${escapeHtml(after)}" data-retrying="${escapeHtml(messages.retrying)}">${escapeHtml(messages.retryIn(seconds))}</p>`;
}

/**
 * The gate's page for a newcomer it cannot place now: the waiting page's look (top bar,
 * language switch, the room's card, dark mode), a countdown to the page's own next try and a
 * "Try now" link. The try is a meta refresh, so it works without JavaScript; the script only
 * counts down (and submits the language form). `brand` and `context` are absent when no room is
 * known (a cluster follower between leaders): then the page retries its own URL.
 */
export function renderUnavailablePage(
  reason: UnavailableReason,
  lang: Lang,
  retryAfterS: number,
  brand?: RoomBrand,
  context?: UnavailablePageContext,
): string {
  const messages = waitingMessages[lang];
  const seconds = Math.max(1, Math.round(retryAfterS));
  const t = copyFor(reason, lang);
  const fonts = `system-ui,-apple-system,"Segoe UI",${fontStacks[lang] ?? ""}sans-serif`;
  const name = brand ? escapeHtml(brand.displayName) : "";
  const title = `${escapeHtml(t.title)}${name ? ` · ${name}` : ""} · Floodgate`;
  const notice = brand?.message ? `<p class="notice" data-testid="room-message">${escapeHtml(brand.message)}</p>` : "";
  const waiting =
    reason === "room_full" && context?.waiting !== undefined
      ? `<dl class="stats"><div class="stat"><dt>${escapeHtml(messages.labels.waitingNow)}</dt><dd><span class="value">${formatCount(messages, context.waiting)}</span>${messages.unitGap}<span class="unit">${escapeHtml(messages.aheadUnit(context.waiting))}</span></dd></div></dl>`
      : "";
  const tryHref = context ? roomHref(context) : "";
  // Without JavaScript the countdown would stand still: a sentence says when the page tries instead.
  const noscriptRetry = `<noscript><p class="countdown" data-testid="retry-noscript">${escapeHtml(pageCopy[lang].retry(waitOf(seconds)))}</p></noscript>`;
  return `<!doctype html><html lang="${lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><meta name="color-scheme" content="light dark"><meta http-equiv="refresh" content="${seconds}"><title>${title}</title><style>${gatePageStyle(fonts)}${accentStyle(brand)}</style><noscript><style>#countdown{display:none}</style></noscript></head><body><header class="topbar"><span class="fg">${floodgateMark}<span class="fg-text"><span class="fg-name">Floodgate</span><span class="fg-tagline">${escapeHtml(messages.tagline)}</span></span></span>${context ? languageForm(lang, context) : ""}</header><main class="main"><section class="card" role="alert" aria-labelledby="wait-heading" data-testid="unavailable" data-reason="${reason}">${brand ? brandHeader(brand) : ""}<div class="state" data-testid="wait-state" data-state="${reason === "room_full" ? "full" : reason === "room_closed" ? "closed" : reason}"><span class="icon"><svg viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" stroke-linejoin="round" aria-hidden="true" focusable="false"><path d="${icons[reason]}"/></svg></span><div><h1 id="wait-heading">${escapeHtml(t.title)}</h1><p class="body">${escapeHtml(t.body)}</p></div></div>${notice}${waiting}<div class="retry">${countdown(lang, seconds)}${noscriptRetry}<a class="button" href="${escapeHtml(tryHref)}" data-testid="retry-now">${escapeHtml(messages.tryNow)}</a></div></section></main><script>${retryScript}</script></body></html>`;
}
