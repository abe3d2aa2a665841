import { describe, expect, it } from "vitest";
import { waitingMessages } from "./messages";
import { LANGS, type Lang } from "./negotiate-language";
import { displayStateOf, viewFromStatus } from "./queue-view";

describe("a lost place on the waiting page", () => {
  it("is put down to us when it was lost right after failures, to the page otherwise", () => {
    expect(displayStateOf({ kind: "expired", cause: "outage" })).toBe("lost");
    expect(displayStateOf({ kind: "expired", cause: "silence" })).toBe("expired");
    expect(displayStateOf({ kind: "expired", cause: "session_limit" })).toBe("ended");
    expect(displayStateOf({ kind: "expired", cause: "evicted" })).toBe("removed");
    expect(displayStateOf({ kind: "expired", cause: "ended_by_site" })).toBe("siteEnded");
  });

  it("renders a reloaded page's expired status with the reason the server gave", () => {
    const expired = {
      room: "r",
      reference: null,
      state: "expired",
      position: null,
      ahead: null,
      waiting: 0,
      progress: 0,
      etaSeconds: null,
      admissionsPerMinute: 0,
      heartbeatIntervalMs: 5_000,
      heartbeatTimeoutMs: 20_000,
      admittedAt: null,
      sessionEndsAt: null,
      startsAt: null,
      hold: false,
    } as const;
    expect(viewFromStatus({ ...expired, goneReason: "evicted" })).toEqual({ kind: "expired", cause: "evicted" });
    expect(viewFromStatus({ ...expired, goneReason: "lost" })).toEqual({ kind: "expired", cause: "outage" });
    expect(viewFromStatus({ ...expired, goneReason: "ended_by_site" })).toEqual({
      kind: "expired",
      cause: "ended_by_site",
    });
    // A server that does not say: the time limit's mark, else silence.
    expect(viewFromStatus({ ...expired, sessionEndsAt: 1 })).toEqual({ kind: "expired", cause: "session_limit" });
    expect(viewFromStatus(expired)).toEqual({ kind: "expired", cause: "silence" });
  });

  // How each language's silence message says the page was closed or lost its connection.
  const blame: Record<Lang, RegExp> = {
    en: /page was closed|lost its connection/i,
    ko: /페이지가 닫혀|연결이 너무 오래/,
    ja: /ページが閉じられ|接続が長く/,
    "zh-Hans": /页面已关闭|断开连接太久/,
    "zh-Hant": /頁面已關閉|連線中斷太久/,
    es: /se cerró|sin conexión/,
    fr: /a été fermée|privée de connexion/,
    de: /geschlossen oder ohne Verbindung/,
  };

  it.each(LANGS)("does not blame the visitor for our outage (%s)", (lang) => {
    const { lost, expired } = waitingMessages[lang].states;
    expect(lost.heading).not.toBe(expired.heading);
    expect(lost.body).not.toBe(expired.body);
    // The silence message says the page was closed or lost its connection; ours must not.
    expect(lost.body).not.toMatch(blame[lang]);
    expect(expired.body).toMatch(blame[lang]);
  });

  it.each(LANGS)("puts a removal or an ended visit down to the site, not the page (%s)", (lang) => {
    const { removed, siteEnded, expired, lost, ended } = waitingMessages[lang].states;
    const others = [expired, lost, ended];
    for (const copy of [removed, siteEnded]) {
      expect(copy.body).not.toMatch(blame[lang]);
      for (const other of others) expect(copy.heading).not.toBe(other.heading);
    }
    expect(removed.heading).not.toBe(siteEnded.heading);
  });
});
