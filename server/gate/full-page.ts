import "server-only";
import type { Lang } from "@/components/waiting/negotiate-language";
import type { RoomBrand } from "@/components/waiting/room-brand";

// The "room full" / "room closed" / "slow down" page the gate answers itself, before Next and before any
// write, so a flood beyond the queue's maximum length costs almost nothing.

const texts = {
  en: {
    room_full: {
      title: "The waiting room is full",
      body: "So many people are waiting right now that we can't hold another place in line. This page tries again by itself in 30 seconds.",
    },
    room_closed: {
      title: "This waiting room is closed",
      body: "It is not letting anyone in line at the moment. This page checks again by itself in a minute.",
    },
    rate_limited: {
      title: "Too many new places from your network",
      body: "Please wait a moment. This page tries again by itself shortly.",
    },
  },
  ko: {
    room_full: {
      title: "대기실이 가득 찼습니다",
      body: "지금 기다리는 분이 너무 많아 대기열에 자리를 더 드릴 수 없습니다. 이 페이지는 30초 후 자동으로 다시 시도합니다.",
    },
    room_closed: {
      title: "대기실이 닫혀 있습니다",
      body: "지금은 대기열에 들어갈 수 없습니다. 이 페이지는 1분 후 자동으로 다시 확인합니다.",
    },
    rate_limited: {
      title: "같은 네트워크에서 새 자리 요청이 너무 많습니다",
      body: "잠시 기다려 주세요. 이 페이지는 곧 자동으로 다시 시도합니다.",
    },
  },
} as const;

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

export function renderUnavailablePage(
  reason: "room_full" | "room_closed" | "rate_limited",
  lang: Lang,
  retryAfterS: number,
  brand: RoomBrand,
): string {
  const t = texts[lang][reason];
  const b = brandParts(brand);
  return `<!doctype html><html lang="${lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><meta http-equiv="refresh" content="${retryAfterS}"><title>${t.title} · ${b.name}</title><style>body{font-family:system-ui,-apple-system,"Apple SD Gothic Neo","Noto Sans KR","Malgun Gothic",sans-serif;margin:0;min-height:100vh;display:grid;place-items:center;background:#f5f7fb;color:#1b2233}main{max-width:32rem;margin:1.5rem;padding:2rem;background:#fff;border-radius:1rem;box-shadow:0 4px 24px #0001}h1{font-size:1.4rem;margin:0 0 .75rem}p{line-height:1.6;margin:0}:lang(ko){word-break:keep-all;overflow-wrap:anywhere}.brand{display:flex;align-items:center;gap:.75rem;margin-bottom:1rem}.logo{max-height:2.5rem;max-width:10rem;object-fit:contain}.room{color:#4f5d73;font-size:.8125rem;font-weight:600}.notice{margin-top:1.25rem;padding:.75rem 1rem;border-left:4px solid #1f57c9;border-radius:10px;background:#e4ecfc;white-space:pre-line;overflow-wrap:anywhere}${b.accent}</style></head><body><main role="alert" data-testid="unavailable" data-reason="${reason}">${b.header}<h1>${t.title}</h1><p>${t.body}</p>${b.notice}</main></body></html>`;
}
