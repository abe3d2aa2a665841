import { describe, expect, it } from "vitest";
import { LANGS } from "@/components/waiting/negotiate-language";
import { resolveRoomBrand } from "@/components/waiting/room-brand";
import { pageCopy } from "@/server/gate/full-page-copy";
import { emptyBranding } from "@/server/queue/branding";
import { escapeHtml, pickLanguage, renderUnavailablePage, type UnavailableReason } from "./full-page";

const reasons: UnavailableReason[] = ["room_full", "room_closed", "rate_limited", "switching_servers"];

function textOf(html: string, tag: "title" | "h1" | "p"): string {
  const match = html.match(new RegExp(`<${tag}>([^<]*)</${tag}>`));
  if (!match?.[1]) throw new Error(`no <${tag}> in the page`);
  return match[1];
}

describe("the gate's own unavailable pages", () => {
  it.each(LANGS)("are written in %s, every reason its own words, with the reload delay", (lang) => {
    const titles = new Set<string>();
    for (const reason of reasons) {
      const html = renderUnavailablePage(reason, lang, 30);
      expect(html).toContain(`<html lang="${lang}">`);
      expect(html).toContain(`data-reason="${reason}"`);
      expect(html).toContain('<meta http-equiv="refresh" content="30">');
      const title = textOf(html, "title");
      expect(textOf(html, "h1")).toBe(title);
      expect(textOf(html, "p")).toMatch(/30/);
      titles.add(title);
    }
    expect(titles.size).toBe(reasons.length);
  });

  it("says the delay the page actually waits, in minutes when it is whole minutes", () => {
    expect(textOf(renderUnavailablePage("room_closed", "en", 60), "p")).toMatch(/in a minute\.$/);
    expect(textOf(renderUnavailablePage("room_closed", "en", 120), "p")).toMatch(/in 2 minutes\.$/);
    expect(textOf(renderUnavailablePage("rate_limited", "en", 7), "p")).toMatch(/in 7 seconds\.$/);
    expect(textOf(renderUnavailablePage("room_full", "ko", 60), "p")).toContain("1분 후");
    expect(textOf(renderUnavailablePage("room_full", "ja", 30), "p")).toContain("30秒後");
    expect(textOf(renderUnavailablePage("room_full", "de", 60), "p")).toContain("in einer Minute");
    expect(textOf(renderUnavailablePage("room_full", "fr", 30), "p")).toContain("dans 30\u00a0secondes");
    expect(textOf(renderUnavailablePage("room_full", "zh-Hant", 90), "p")).toContain("90秒後");
  });

  it("runs Chinese and Japanese sentences on without a space after the full stop", () => {
    expect(textOf(renderUnavailablePage("room_full", "ja", 30), "p")).toContain("できません。30秒後");
    expect(textOf(renderUnavailablePage("room_full", "zh-Hans", 30), "p")).toContain("位置。本页面");
    expect(textOf(renderUnavailablePage("room_full", "ko", 30), "p")).toContain("없습니다. 이 페이지는");
  });

  it("differs between languages (no language falls back to another's text)", () => {
    const bodies = LANGS.map((lang) => textOf(renderUnavailablePage("room_full", lang, 30), "p"));
    expect(new Set(bodies).size).toBe(LANGS.length);
  });

  it("names CJK fonts for the CJK pages only", () => {
    expect(renderUnavailablePage("room_full", "ja", 30)).toContain("Noto Sans CJK JP");
    expect(renderUnavailablePage("room_full", "zh-Hant", 30)).toContain("Noto Sans CJK TC");
    expect(renderUnavailablePage("room_full", "en", 30)).not.toContain("CJK");
  });
});

describe("pickLanguage", () => {
  const cases: Array<[string | undefined, string | undefined, string]> = [
    [undefined, undefined, "en"],
    ["ja-JP,ja;q=0.9", undefined, "ja"],
    ["zh-HK", undefined, "zh-Hant"],
    ["zh-CN,zh;q=0.9", undefined, "zh-Hans"],
    ["fr-CA", undefined, "fr"],
    // The q-values count here too: a first entry the visitor ranked low does not win.
    ["en;q=0.1,de", undefined, "de"],
    ["ko-KR", "es", "es"],
    ["ko-KR", "nonsense", "ko"],
  ];

  it.each(cases)("Accept-Language %j, cookie %j -> %s", (header, cookie, expected) => {
    expect(pickLanguage(header, cookie)).toBe(expected);
  });

  it("falls back to the room's default language", () => {
    expect(pickLanguage("it-IT", undefined, "ja")).toBe("ja");
    expect(pickLanguage(undefined, undefined, "de")).toBe("de");
  });
});

const hostile = `</p><script>alert("x")</script><img src=x onerror='alert(1)'>&amp;`;

const brandOf = (branding: Partial<typeof emptyBranding>, lang: "en" | "ko" = "en") =>
  resolveRoomBrand({ name: "Drop", defaultLanguage: null, branding: { ...emptyBranding, ...branding } }, lang);

describe("the gate's own page, branded", () => {
  it("escapes the characters that open markup or close an attribute", () => {
    expect(escapeHtml(`<a href="x" title='y'>&</a>`)).toBe(
      "&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;",
    );
  });

  it("shows a hostile display name and message as text, never as markup", () => {
    const html = renderUnavailablePage(
      "room_full",
      "en",
      30,
      brandOf({ displayName: { en: hostile }, message: { en: hostile }, logoUrl: "https://cdn.example.com/a.png" }),
    );
    expect(html).not.toContain("<script>");
    expect(html).not.toContain("onerror='");
    expect(html).not.toMatch(/<img src=x/);
    // In the title, the name beside the logo, the logo's alt and the notice.
    expect(html.split(escapeHtml(hostile))).toHaveLength(5);
    expect(html).toContain('data-testid="room-message">&lt;/p&gt;&lt;script&gt;');
  });

  it("escapes the logo URL in its attribute and keeps the referrer from the logo's host", () => {
    const html = renderUnavailablePage(
      "room_closed",
      "en",
      60,
      brandOf({ logoUrl: 'https://cdn.example.com/a.png?x="><b>' }),
    );
    expect(html).toContain('src="https://cdn.example.com/a.png?x=&quot;&gt;&lt;b&gt;"');
    expect(html).toContain('referrerpolicy="no-referrer"');
    expect(html).toContain('alt="Drop"');
  });

  it("names the room and uses its accent, in the page's language", () => {
    const html = renderUnavailablePage(
      "rate_limited",
      "ko",
      5,
      brandOf({ displayName: { ko: "애크미" }, message: { ko: "곧 다시 열립니다" }, accentColor: "#0f766e" }, "ko"),
    );
    expect(html).toContain(`<title>${pageCopy.ko.pages.rate_limited.title} · 애크미</title>`);
    expect(html).toContain('data-testid="room-display-name">애크미</p>');
    expect(html).toContain('data-testid="room-message">곧 다시 열립니다</p>');
    expect(html).toContain("border-top:4px solid #0f766e");
  });

  it("without branding shows the room's name and no logo, notice or accent", () => {
    const html = renderUnavailablePage("room_full", "en", 30, brandOf({}));
    expect(html).toContain('data-testid="room-display-name">Drop</p>');
    expect(html).not.toContain("<img");
    expect(html).not.toContain('data-testid="room-message"');
    expect(html).not.toContain("border-top:4px");
  });
});
