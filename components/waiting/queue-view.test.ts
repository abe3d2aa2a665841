import { describe, expect, it } from "vitest";
import { waitingMessages } from "./messages";
import { displayStateOf } from "./queue-view";

describe("a lost place on the waiting page", () => {
  it("is put down to us when it was lost right after failures, to the page otherwise", () => {
    expect(displayStateOf({ kind: "expired", cause: "outage" })).toBe("lost");
    expect(displayStateOf({ kind: "expired", cause: "silence" })).toBe("expired");
    expect(displayStateOf({ kind: "expired", cause: "session_limit" })).toBe("ended");
  });

  it.each(["en", "ko"] as const)("does not blame the visitor for our outage (%s)", (lang) => {
    const { lost, expired } = waitingMessages[lang].states;
    expect(lost.heading).not.toBe(expired.heading);
    expect(lost.body).not.toBe(expired.body);
    // The silence message says the page was closed or lost its connection; ours must not.
    const blame = lang === "en" ? /page was closed|lost its connection/i : /페이지가 닫혀|연결이 너무 오래/;
    expect(lost.body).not.toMatch(blame);
    expect(expired.body).toMatch(blame);
  });
});
