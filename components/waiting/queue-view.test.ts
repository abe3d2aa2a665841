import { describe, expect, it } from "vitest";
import { waitingMessages } from "./messages";
import { LANGS, type Lang } from "./negotiate-language";
import { displayStateOf } from "./queue-view";

describe("a lost place on the waiting page", () => {
  it("is put down to us when it was lost right after failures, to the page otherwise", () => {
    expect(displayStateOf({ kind: "expired", cause: "outage" })).toBe("lost");
    expect(displayStateOf({ kind: "expired", cause: "silence" })).toBe("expired");
    expect(displayStateOf({ kind: "expired", cause: "session_limit" })).toBe("ended");
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
});
