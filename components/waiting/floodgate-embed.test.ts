import fs from "node:fs";
import path from "node:path";
import vm from "node:vm";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";

// public/floodgate.js (the heartbeat script for admitted pages on other sites) run in a
// minimal page: its own timers are vitest's fake ones, its fetch a scripted server.

const source = fs.readFileSync(path.resolve("public/floodgate.js"), "utf8");

type Reply = () => Response;

function admitted(heartbeatTimeoutMs: number): Reply {
  return () =>
    new Response(JSON.stringify({ state: "admitted", heartbeatIntervalMs: 1_000, heartbeatTimeoutMs }), {
      status: 200,
      headers: { "content-type": "application/json" },
    });
}

/** The host page around the script: its data- attributes, <html lang>, the browser's language. */
type HostPage = { dataset?: Record<string, string>; htmlLang?: string; navigatorLanguage?: string };

type FakeElement = { textContent: string; style: Record<string, string>; remove: () => void };

function loadEmbed(reply: (nowMs: number, url: string) => Response | Error, random = 0.999, host: HostPage = {}) {
  const badges: FakeElement[] = [];
  const callsAtMs: number[] = [];
  const urls: string[] = [];
  const ended: unknown[] = [];
  const expired: { reason: string }[] = [];
  const target = new EventTarget();
  const window = {
    location: { href: "https://tickets.example/", origin: "https://tickets.example", assign: vi.fn() },
    history: { state: null, replaceState: () => {} },
    sessionStorage: { getItem: () => null, setItem: () => {} },
    addEventListener: target.addEventListener.bind(target),
    dispatchEvent: target.dispatchEvent.bind(target),
  } as Record<string, unknown>;
  target.addEventListener("floodgate:ended", (e) => ended.push((e as CustomEvent).detail));
  target.addEventListener("floodgate:expired", (e) => {
    expired.push((e as CustomEvent).detail);
    e.preventDefault();
  });
  const context = vm.createContext({
    window,
    document: {
      currentScript: {
        src: "https://queue.example/floodgate.js",
        dataset: { room: "default", token: "t", ...host.dataset },
      },
      documentElement: { lang: host.htmlLang ?? "" },
      body: { append: () => {} },
      createElement: () => {
        const element: FakeElement = { textContent: "", style: {}, remove: () => {} };
        badges.push(element);
        return Object.assign(element, { setAttribute: () => {} });
      },
      addEventListener: () => {},
      visibilityState: "visible",
    },
    navigator: { language: host.navigatorLanguage },
    fetch: async (url: string) => {
      callsAtMs.push(Date.now());
      urls.push(String(url));
      const next = reply(Date.now(), String(url));
      if (next instanceof Error) throw next;
      return next;
    },
    console,
    URL,
    Blob,
    CustomEvent,
    Date,
    Math: Object.assign(Object.create(Math), { random: () => random }),
    setTimeout,
    clearTimeout,
    setInterval,
    clearInterval,
  });
  vm.runInContext(source, context);
  const api = window.Floodgate as {
    stop: () => void;
    endSession: () => Promise<boolean>;
    sessionEndsAt: number | null;
  };
  return {
    callsAtMs,
    urls,
    ended,
    expired,
    stop: () => api.stop(),
    endSession: () => api.endSession(),
    sessionEndsAt: () => api.sessionEndsAt,
    badges,
  };
}

describe("floodgate.js through an outage", () => {
  beforeEach(() => {
    vi.useFakeTimers();
    vi.setSystemTime(0);
  });
  afterEach(() => vi.useRealTimers());

  it.each([
    [20_000, 5_000],
    [8_000, 2_000],
  ])("retries at most a quarter of the %i ms timeout apart, and is back within it", async (timeoutMs, capMs) => {
    const down = (t: number) => t >= 2_000 && t < 62_000;
    const embed = loadEmbed((t) => (down(t) ? new TypeError("Failed to fetch") : admitted(timeoutMs)()));
    await vi.advanceTimersByTimeAsync(90_000);
    embed.stop();
    const around = embed.callsAtMs.filter((t) => t >= 1_000 && t <= 62_000 + capMs);
    for (let i = 1; i < around.length; i++) {
      expect((around[i] as number) - (around[i - 1] as number)).toBeLessThanOrEqual(capMs);
    }
    expect((embed.callsAtMs.find((t) => t >= 62_000) as number) - 62_000).toBeLessThanOrEqual(capMs);
    expect(embed.expired).toEqual([]);
  });

  it("caps a long Retry-After by the same bound", async () => {
    let calls = 0;
    const embed = loadEmbed(() =>
      ++calls === 2 ? new Response("", { status: 503, headers: { "retry-after": "120" } }) : admitted(20_000)(),
    );
    await vi.advanceTimersByTimeAsync(1_000 + 5_000 + 10);
    embed.stop();
    expect(embed.callsAtMs.length).toBeGreaterThanOrEqual(3);
  });

  it("says when an admission lapsed right after failures", async () => {
    let calls = 0;
    const embed = loadEmbed(() => {
      calls++;
      if (calls === 1) return admitted(20_000)();
      if (calls === 2) return new TypeError("Failed to fetch");
      return new Response("", { status: 410 });
    });
    await vi.advanceTimersByTimeAsync(10_000);
    expect(embed.expired.map((e) => e.reason)).toEqual(["outage"]);
  });
});

describe("floodgate.js ending the session", () => {
  beforeEach(() => {
    vi.useFakeTimers();
    vi.setSystemTime(0);
  });
  afterEach(() => vi.useRealTimers());

  it("asks Floodgate to end it, says so, and stops heartbeating", async () => {
    const embed = loadEmbed((_t, url) =>
      url.includes("/end-session") ? new Response(null, { status: 204 }) : admitted(20_000)(),
    );
    await vi.advanceTimersByTimeAsync(2_500);
    await expect(embed.endSession()).resolves.toBe(true);
    expect(embed.urls.at(-1)).toMatch(/^https:\/\/queue\.example\/api\/queue\/default\/end-session\?page=/);
    expect(embed.ended).toHaveLength(1);
    const calls = embed.urls.length;
    await vi.advanceTimersByTimeAsync(30_000);
    expect(embed.urls).toHaveLength(calls);
    expect(embed.expired).toEqual([]);
  });

  it("keeps the admission alive when Floodgate cannot be reached, and says it did not end", async () => {
    const embed = loadEmbed((_t, url) =>
      url.includes("/end-session") ? new TypeError("Failed to fetch") : admitted(20_000)(),
    );
    await vi.advanceTimersByTimeAsync(1_500);
    await expect(embed.endSession()).resolves.toBe(false);
    expect(embed.ended).toEqual([]);
    const calls = embed.urls.length;
    await vi.advanceTimersByTimeAsync(3_000);
    expect(embed.urls.length).toBeGreaterThan(calls);
    expect(embed.urls.at(-1)).toContain("/heartbeat");
    embed.stop();
  });
});

describe("floodgate.js under a session time limit", () => {
  beforeEach(() => {
    vi.useFakeTimers();
    vi.setSystemTime(0);
  });
  afterEach(() => vi.useRealTimers());

  it("knows when the visit ends, and says the limit ended it", async () => {
    let calls = 0;
    const embed = loadEmbed(() => {
      calls++;
      if (calls === 1) {
        return new Response(
          JSON.stringify({
            state: "admitted",
            heartbeatIntervalMs: 1_000,
            heartbeatTimeoutMs: 20_000,
            sessionEndsAt: 90_000,
          }),
          { status: 200, headers: { "content-type": "application/json" } },
        );
      }
      return new Response(JSON.stringify({ error: { code: "session_ended", message: "Your time is up." } }), {
        status: 410,
        headers: { "content-type": "application/json" },
      });
    });
    await vi.advanceTimersByTimeAsync(10);
    expect(embed.sessionEndsAt()).toBe(90_000);
    await vi.advanceTimersByTimeAsync(2_000);
    expect(embed.expired.map((e) => e.reason)).toEqual(["session_limit"]);
  });
});

describe("floodgate.js when the place is gone", () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it.each([
    ["evicted", "evicted"],
    ["ended_by_site", "ended_by_site"],
    ["lost", "outage"],
    ["timed_out", "gone"],
  ])("passes the server's reason %s on as %s", async (reason, expected) => {
    let calls = 0;
    const embed = loadEmbed(() =>
      calls++ === 0
        ? admitted(20_000)()
        : new Response(JSON.stringify({ error: { code: "token_expired", reason, message: "gone" } }), {
            status: 410,
            headers: { "content-type": "application/json" },
          }),
    );
    await vi.advanceTimersByTimeAsync(30_000);
    expect(embed.expired.map((e) => e.reason)).toEqual([expected]);
  });
});

describe("floodgate.js's time-left badge", () => {
  beforeEach(() => {
    vi.useFakeTimers();
    vi.setSystemTime(0);
  });
  afterEach(() => vi.useRealTimers());

  const limited = () =>
    new Response(
      JSON.stringify({
        state: "admitted",
        heartbeatIntervalMs: 1_000,
        heartbeatTimeoutMs: 20_000,
        sessionEndsAt: 90_000,
      }),
      { status: 200, headers: { "content-type": "application/json" } },
    );

  async function badgeText(host: HostPage): Promise<string> {
    const embed = loadEmbed(limited, 0.999, { ...host, dataset: { showTimeLeft: "true", ...host.dataset } });
    await vi.advanceTimersByTimeAsync(10);
    embed.stop();
    const badge = embed.badges[0];
    if (!badge) throw new Error("no badge was shown");
    return badge.textContent;
  }

  it.each([
    ["an English page", { htmlLang: "en" }, "Time left 1:30"],
    ["a Japanese page", { htmlLang: "ja" }, "残り時間 1:30"],
    ["a page without lang, in a Taiwanese browser", { navigatorLanguage: "zh-TW" }, "剩餘時間 1:30"],
    ["a page without lang, in a mainland browser", { navigatorLanguage: "zh-CN" }, "剩余时间 1:30"],
    ["a zh-Hant-HK page", { htmlLang: "zh-Hant-HK", navigatorLanguage: "de" }, "剩餘時間 1:30"],
    ["a Canadian French page", { htmlLang: "fr-CA" }, "Temps restant 1:30"],
    ["data-lang over the page", { htmlLang: "en", dataset: { lang: "ko" } }, "남은 시간 1:30"],
    ["an unknown page language, German browser", { htmlLang: "it", navigatorLanguage: "de-AT" }, "Restzeit 1:30"],
    ["nothing known", { htmlLang: "it", navigatorLanguage: "pt-BR" }, "Time left 1:30"],
  ] as const)("speaks the page's language: %s", async (_name, host, expected) => {
    expect(await badgeText(host)).toBe(expected);
  });
});
