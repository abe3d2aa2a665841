import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { waitingMessages } from "./messages";
import { RetryCountdown, secondsUntil } from "./retry-countdown";

describe("the refused newcomer's countdown", () => {
  it("counts whole seconds up, and stops at 0", () => {
    expect(secondsUntil(10_000, 0)).toBe(10);
    expect(secondsUntil(10_000, 9_001)).toBe(1);
    expect(secondsUntil(10_000, 10_000)).toBe(0);
    expect(secondsUntil(10_000, 60_000)).toBe(0);
  });

  it("says when the page tries again and offers to try now, in the page's language", () => {
    const render = (lang: "en" | "ko", retryAtMs: number) =>
      renderToStaticMarkup(
        createElement(RetryCountdown, {
          retryAtMs,
          retryInMs: 0,
          messages: waitingMessages[lang],
          onTryNow: () => {},
        }),
      );
    const soon = render("en", Date.now() + 12_000);
    expect(soon).toMatch(/Trying again in 1[12] s/);
    expect(soon).toContain(">Try now</button>");
    expect(render("en", Date.now() - 1_000)).toContain("Trying again…");
    expect(render("ko", Date.now() + 5_000)).toMatch(/[45]초 후 다시 시도합니다\./);
  });
});
