import { describe, expect, it } from "vitest";
import { waitingMessages } from "./messages";
import { tabTitle } from "./tab-title";

describe("the waiting page's tab title", () => {
  it("leads with the place in line, in the page's language", () => {
    expect(tabTitle(waitingMessages.en, "Spring drop", 1234)).toBe("#1,234 in line · Waiting room · Spring drop");
    expect(tabTitle(waitingMessages.ko, "봄 한정판", 3)).toMatch(/^.*3.* · .* · 봄 한정판$/);
  });

  it("names only the room without a place", () => {
    expect(tabTitle(waitingMessages.en, "Spring drop", null)).toBe("Waiting room · Spring drop");
  });
});
