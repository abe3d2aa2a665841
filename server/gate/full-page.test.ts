import { describe, expect, it } from "vitest";
import { resolveRoomBrand } from "@/components/waiting/room-brand";
import { emptyBranding } from "@/server/queue/branding";
import { escapeHtml, renderUnavailablePage } from "./full-page";

const hostile = `</p><script>alert("x")</script><img src=x onerror='alert(1)'>&amp;`;

const brandOf = (branding: Partial<typeof emptyBranding>, lang: "en" | "ko" = "en") =>
  resolveRoomBrand({ name: "Drop", defaultLanguage: null, branding: { ...emptyBranding, ...branding } }, lang);

describe("the gate's own page", () => {
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
    expect(html).toContain("<title>같은 네트워크에서 새 자리 요청이 너무 많습니다 · 애크미</title>");
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
