import "server-only";
import { DEFAULT_LANG, type Lang, negotiateLanguage } from "@/components/waiting/negotiate-language";
import type { RoomBrand } from "@/components/waiting/room-brand";
import { pageCopy, type UnavailableReason, waitOf } from "@/server/gate/full-page-copy";

// The "room full" / "room closed" / "slow down" page the gate answers itself, before Next and
// before any write, so a flood beyond the queue's maximum length costs almost nothing. It speaks
// every language the waiting page does, chosen the same way
// (components/waiting/negotiate-language.ts), and wears the room's branding when there is a room.

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

/** The room's logo, name, accent and message around the page's text (room-brand.ts resolved them). */
function brandParts(brand: RoomBrand) {
  const name = escapeHtml(brand.displayName);
  const logo = brand.logoUrl
    ? `<img class="logo" src="${escapeHtml(brand.logoUrl)}" alt="${name}" loading="eager" referrerpolicy="no-referrer">`
    : "";
  const accent = brand.palette
    ? `main{border-top:4px solid ${brand.palette.light.accent}}.notice{border-left-color:${brand.palette.light.accent};background:${brand.palette.light.soft}}`
    : "";
  const notice = brand.message ? `<p class="notice" data-testid="room-message">${escapeHtml(brand.message)}</p>` : "";
  return {
    name,
    header: `<div class="brand">${logo}<p class="room" data-testid="room-display-name">${name}</p></div>`,
    accent,
    notice,
  };
}

/** `brand`: the room's, resolved for the page's language; absent when no room is known (a cluster follower between leaders). */
export function renderUnavailablePage(
  reason: UnavailableReason,
  lang: Lang,
  retryAfterS: number,
  brand?: RoomBrand,
): string {
  const copy = pageCopy[lang];
  const t = copy.pages[reason];
  // Chinese and Japanese sentences follow a full stop with no space.
  const gap = /[。！？]$/.test(t.body) ? "" : " ";
  const body = `${t.body}${gap}${copy.retry(waitOf(Math.max(1, Math.round(retryAfterS))))}`;
  const fonts = `system-ui,-apple-system,${fontStacks[lang] ?? ""}sans-serif`;
  const b = brand ? brandParts(brand) : { name: "", header: "", accent: "", notice: "" };
  const title = b.name ? `${t.title} · ${b.name}` : t.title;
  return `<!doctype html><html lang="${lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><meta http-equiv="refresh" content="${retryAfterS}"><title>${title}</title><style>body{font-family:${fonts};margin:0;min-height:100vh;display:grid;place-items:center;background:#f5f7fb;color:#1b2233}main{max-width:32rem;margin:1.5rem;padding:2rem;background:#fff;border-radius:1rem;box-shadow:0 4px 24px #0001}h1{font-size:1.4rem;margin:0 0 .75rem}p{line-height:1.6;margin:0}:lang(ko){word-break:keep-all;overflow-wrap:anywhere}:lang(ja){word-break:auto-phrase}.brand{display:flex;align-items:center;gap:.75rem;margin-bottom:1rem}.logo{max-height:2.5rem;max-width:10rem;object-fit:contain}.room{color:#4f5d73;font-size:.8125rem;font-weight:600}.notice{margin-top:1.25rem;padding:.75rem 1rem;border-left:4px solid #1f57c9;border-radius:10px;background:#e4ecfc;white-space:pre-line;overflow-wrap:anywhere}${b.accent}</style></head><body><main role="alert" data-testid="unavailable" data-reason="${reason}">${b.header}<h1>${t.title}</h1><p>${body}</p>${b.notice}</main></body></html>`;
}
