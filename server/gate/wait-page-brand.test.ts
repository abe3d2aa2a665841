import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { emptyBranding } from "@/server/queue/branding";
import { createEngineFixture, type EngineFixture, testRoom } from "@/server/testing/engine-fixture";
import { startGateServer } from "@/server/testing/gate-server";

// The gate's own pages (closed, full) carry the room's branding, in the room's default
// language when the browser names none Floodgate speaks, and load the logo from its origin only.

let fixture: EngineFixture;
let gate: Awaited<ReturnType<typeof startGateServer>>;

const branding = {
  ...emptyBranding,
  displayName: { en: "Acme <Spring> drop", ko: "애크미 봄 드롭" },
  message: { ko: "1인 1켤레만 살 수 있습니다" },
  logoUrl: "https://cdn.example.com/brand/acme.png",
  accentColor: "#0f766e",
};

beforeAll(async () => {
  fixture = await createEngineFixture([
    testRoom({ id: "shut", mode: "closed", protectedPaths: ["/shut"], defaultLanguage: "ko", branding }),
    testRoom({ id: "tiny", capacity: 0, maxQueueLength: 1, protectedPaths: ["/tiny"], branding }),
  ]);
  gate = await startGateServer(fixture);
});

afterAll(async () => {
  gate.close();
  await fixture.store.close();
});

const page = (room: string, headers: Record<string, string> = {}) => fetch(`${gate.base}/wait/${room}`, { headers });

describe("the gate's own pages for a branded room", () => {
  it("speaks the room's default language when the browser names none Floodgate speaks", async () => {
    const res = await page("shut", { "accept-language": "it-IT,pl;q=0.8" });
    expect(res.status).toBe(503);
    const html = await res.text();
    expect(html).toContain('<html lang="ko">');
    expect(html).toContain('data-testid="room-display-name">애크미 봄 드롭</p>');
    expect(html).toContain('data-testid="room-message">1인 1켤레만 살 수 있습니다</p>');
    expect(html).toContain(
      '<img class="logo" data-testid="room-logo" src="https://cdn.example.com/brand/acme.png" alt="애크미 봄 드롭"',
    );
    const csp = res.headers.get("content-security-policy") ?? "";
    expect(csp).toContain("img-src https://cdn.example.com;");
    expect(csp).toContain("default-src 'none'");
  });

  it("takes a language chosen on the page (?lang=) over the browser's, and keeps it in the page switch's cookie", async () => {
    const res = await fetch(`${gate.base}/wait/shut?lang=de&next=%2Fshut%2Fa`, {
      headers: { "accept-language": "en-US", cookie: "fg_lang=ko" },
    });
    expect(res.status).toBe(503);
    const html = await res.text();
    expect(html).toContain('<html lang="de">');
    expect(html).toContain('<option value="de" lang="de" selected>');
    expect(html).toContain('href="/wait/shut?next=%2Fshut%2Fa" data-testid="retry-now"');
    const cookie = res.headers.get("set-cookie") ?? "";
    expect(cookie).toMatch(/^fg_lang=de; Path=\/; Max-Age=\d+; SameSite=Lax/);
    // The page's own switch rewrites it from script: not HttpOnly.
    expect(cookie).not.toContain("HttpOnly");
    // Anything else is no choice at all.
    const odd = await fetch(`${gate.base}/wait/shut?lang=xx`, { headers: { "accept-language": "en-US" } });
    expect(await odd.text()).toContain('<html lang="en">');
    expect(odd.headers.get("set-cookie")).toBeNull();
  });

  it("follows the browser's own supported language, and escapes the name", async () => {
    const html = await (await page("shut", { "accept-language": "en-US" })).text();
    expect(html).toContain('<html lang="en">');
    expect(html).toContain("Acme &lt;Spring&gt; drop");
    expect(html).not.toContain("<Spring>");
    // No English message: the notice falls back to the default language only when it is set.
    expect(html).toContain("1인 1켤레만");
  });

  it("brands the room-full page too", async () => {
    await fixture.engine.enter("tiny", undefined);
    const res = await page("tiny", { "accept-language": "en" });
    expect(res.status).toBe(503);
    const html = await res.text();
    expect(html).toContain('data-reason="room_full"');
    expect(html).toContain("--accent:#0f766e");
    // Room "tiny" has no default language and no English message: no notice.
    expect(html).not.toContain('data-testid="room-message"');
  });
});
