import { describe, expect, it } from "vitest";
import { waitingMessages } from "@/components/waiting/messages";
import { LANGS } from "@/components/waiting/negotiate-language";
import { resolveRoomBrand } from "@/components/waiting/room-brand";
import { pageCopy } from "@/server/gate/full-page-copy";
import { darkTokens, lightTokens } from "@/server/gate/full-page-style";
import { emptyBranding } from "@/server/queue/branding";
import { escapeHtml, pickLanguage, renderUnavailablePage, type UnavailableReason } from "./full-page";

const reasons: UnavailableReason[] = ["room_full", "room_closed", "rate_limited", "switching_servers"];
const context = { room: "drop", next: "/shop?item=1", waiting: 1234 };

function textOf(html: string, tag: "title" | "h1", attributes = ""): string {
  const match = html.match(new RegExp(`<${tag}${attributes}>([^<]*)</${tag}>`));
  if (!match?.[1]) throw new Error(`no <${tag}> in the page`);
  return match[1];
}

function byTestId(html: string, id: string): string | null {
  return html.match(new RegExp(`data-testid="${id}"[^>]*>([^<]*)<`))?.[1] ?? null;
}

describe("the gate's own pages", () => {
  it.each(LANGS)("are written in %s, every reason its own words, with the countdown and the refresh", (lang) => {
    const titles = new Set<string>();
    for (const reason of reasons) {
      const html = renderUnavailablePage(reason, lang, 30, undefined, context);
      expect(html).toContain(`<html lang="${lang}">`);
      expect(html).toContain(`data-reason="${reason}"`);
      expect(html).toContain('<meta http-equiv="refresh" content="30">');
      const title = textOf(html, "h1", ' id="wait-heading"');
      titles.add(title);
      expect(textOf(html, "title")).toBe(`${escapeHtml(title)} · Floodgate`);
      expect(byTestId(html, "retry-countdown")).toBe(escapeHtml(waitingMessages[lang].retryIn(30)));
      expect(byTestId(html, "retry-now")).toBe(escapeHtml(waitingMessages[lang].tryNow));
      expect(byTestId(html, "retry-noscript")).toMatch(/30/);
    }
    expect(titles.size).toBe(reasons.length);
  });

  it("says what the waiting page says to a newcomer of a full or closed room", () => {
    for (const lang of LANGS) {
      const m = waitingMessages[lang];
      const full = renderUnavailablePage("room_full", lang, 30, undefined, context);
      expect(full).toContain(escapeHtml(m.states.full.heading));
      expect(full).toContain(escapeHtml(m.states.full.body));
      expect(full).toContain('data-state="full"');
      const closed = renderUnavailablePage("room_closed", lang, 30, undefined, context);
      expect(closed).toContain(escapeHtml(m.states.closed.heading));
      expect(closed).toContain(escapeHtml(m.closedWithoutPlaceBody));
    }
  });

  it("counts the people waiting on a full room's page only", () => {
    expect(renderUnavailablePage("room_full", "en", 30, undefined, context)).toMatch(
      /People waiting now<\/dt><dd><span class="value">1,234<\/span> <span class="unit">people/,
    );
    expect(renderUnavailablePage("room_closed", "en", 30, undefined, context)).not.toContain("People waiting now");
  });

  it("hands the countdown script the sentence around the number, and what to say at 0", () => {
    const html = renderUnavailablePage("room_full", "ko", 12, undefined, context);
    expect(html).toContain('data-seconds="12"');
    expect(html).toContain(`data-before="" data-after="${waitingMessages.ko.retryIn(7).replace("7", "")}"`);
    expect(html).toContain(`data-retrying="${waitingMessages.ko.retrying}"`);
    const en = renderUnavailablePage("room_full", "en", 12, undefined, context);
    expect(en).toContain('data-before="Trying again in " data-after=" s"');
  });

  it("tries the room's page again, keeping where the visitor was going; its language form goes there too", () => {
    const html = renderUnavailablePage("room_full", "en", 30, undefined, context);
    expect(html).toContain('href="/wait/drop?next=%2Fshop%3Fitem%3D1" data-testid="retry-now"');
    expect(html).toContain('<form class="lang" method="get" action="/wait/drop">');
    expect(html).toContain('<input type="hidden" name="next" value="/shop?item=1">');
    for (const lang of LANGS) expect(html).toContain(`<option value="${lang}" lang="${lang}"`);
    expect(html).toContain('<option value="en" lang="en" selected>');
    // With no room known (a cluster follower between leaders): its own URL, and no form.
    const bare = renderUnavailablePage("switching_servers", "en", 5);
    expect(bare).toContain('href="" data-testid="retry-now"');
    expect(bare).not.toContain("<form");
  });

  it("says the delay without JavaScript, in minutes when it is whole minutes", () => {
    const noscript = (html: string) => byTestId(html, "retry-noscript");
    expect(noscript(renderUnavailablePage("room_closed", "en", 60))).toBe("This page will try again in a minute.");
    expect(noscript(renderUnavailablePage("room_closed", "en", 120))).toBe("This page will try again in 2 minutes.");
    expect(noscript(renderUnavailablePage("rate_limited", "en", 7))).toBe("This page will try again in 7 seconds.");
    expect(noscript(renderUnavailablePage("room_full", "ko", 60))).toContain("1분 후");
    expect(noscript(renderUnavailablePage("room_full", "de", 60))).toContain("in einer Minute");
    expect(noscript(renderUnavailablePage("room_full", "fr", 30))).toContain("dans 30\u00a0secondes");
    // The running countdown is hidden without JavaScript (it would stand still).
    expect(renderUnavailablePage("room_full", "en", 30)).toContain("<noscript><style>#countdown{display:none}</style>");
  });

  it("differs between languages (no language falls back to another's text)", () => {
    const bodies = LANGS.map((lang) => renderUnavailablePage("room_full", lang, 30).replace(/<style>.*<\/style>/, ""));
    expect(new Set(bodies).size).toBe(LANGS.length);
    for (const lang of LANGS) expect(pageCopy[lang].pages.rate_limited.title).not.toBe("");
  });

  it("names CJK fonts for the CJK pages only", () => {
    expect(renderUnavailablePage("room_full", "ja", 30)).toContain("Noto Sans CJK JP");
    expect(renderUnavailablePage("room_full", "zh-Hant", 30)).toContain("Noto Sans CJK TC");
    expect(renderUnavailablePage("room_full", "en", 30)).not.toContain("CJK");
  });

  it("wears the waiting page's colours, light and dark", async () => {
    const { readFile } = await import("node:fs/promises");
    const globals = await readFile("app/globals.css", "utf8");
    const darkAt = globals.indexOf("@media (prefers-color-scheme: dark)");
    for (const [name, value] of Object.entries(lightTokens))
      expect(globals.slice(0, darkAt)).toContain(`${name}: ${value};`);
    for (const [name, value] of Object.entries(darkTokens))
      expect(globals.slice(darkAt)).toContain(`${name}: ${value};`);
    expect(renderUnavailablePage("room_full", "en", 30)).toContain("@media (prefers-color-scheme:dark)");
  });
});

describe("the gate page's language", () => {
  const cases: [string | undefined, string | undefined, string][] = [
    ["ko-KR,ko;q=0.9,en;q=0.5", undefined, "ko"],
    ["en-US,en;q=0.9", undefined, "en"],
    ["ja", undefined, "ja"],
    ["zh-TW", undefined, "zh-Hant"],
    ["fr-CA,fr;q=0.9", undefined, "fr"],
    ["it-IT", undefined, "en"],
    [undefined, undefined, "en"],
    ["ko", "de", "de"],
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

  it("shows a hostile display name, message and next path as text, never as markup", () => {
    const html = renderUnavailablePage(
      "room_full",
      "en",
      30,
      brandOf({ displayName: { en: hostile }, message: { en: hostile }, logoUrl: "https://cdn.example.com/a.png" }),
      { room: "drop", next: `/x?"><script>` },
    );
    // The page's own countdown script is its one script element.
    expect(html.split("<script>")).toHaveLength(2);
    expect(html).not.toContain("onerror='");
    expect(html).not.toMatch(/<img src=x/);
    // In the title, the name beside the logo, the logo's alt and the notice.
    expect(html.split(escapeHtml(hostile))).toHaveLength(5);
    expect(html).toContain('data-testid="room-message">&lt;/p&gt;&lt;script&gt;');
    expect(html).toContain('value="/x?&quot;&gt;&lt;script&gt;"');
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

  it("names the room and uses its accent in both colour schemes, in the page's language", () => {
    const html = renderUnavailablePage(
      "rate_limited",
      "ko",
      5,
      brandOf({ displayName: { ko: "애크미" }, message: { ko: "곧 다시 열립니다" }, accentColor: "#0f766e" }, "ko"),
      context,
    );
    expect(html).toContain(`<title>${pageCopy.ko.pages.rate_limited.title} · 애크미 · Floodgate</title>`);
    expect(html).toContain('data-testid="room-display-name">애크미</p>');
    expect(html).toContain('data-testid="room-message">곧 다시 열립니다</p>');
    expect(html).toContain(":root{--accent:#0f766e;");
    expect(html).toMatch(/@media \(prefers-color-scheme:dark\)\{:root\{--accent:#[0-9a-f]{6};/);
  });

  it("without branding shows the room's name and no logo, notice or accent", () => {
    const html = renderUnavailablePage("room_full", "en", 30, brandOf({}), context);
    expect(html).toContain('data-testid="room-display-name">Drop</p>');
    expect(html).not.toContain("<img");
    expect(html).not.toContain('data-testid="room-message"');
    expect(html).not.toContain(":root{--accent:");
  });
});
