import { describe, expect, it } from "vitest";
import { type EtaDisplay, formatEta } from "./format-eta";

describe("formatEta", () => {
  const cases: Array<[number | null, EtaDisplay]> = [
    [null, { kind: "unknown" }],
    [Number.NaN, { kind: "unknown" }],
    [Number.POSITIVE_INFINITY, { kind: "unknown" }],
    [-5, { kind: "under-minute" }],
    [0, { kind: "under-minute" }],
    [59.9, { kind: "under-minute" }],
    [60, { kind: "minutes", minutes: 1 }],
    [61, { kind: "minutes", minutes: 2 }],
    [120, { kind: "minutes", minutes: 2 }],
    [599, { kind: "minutes", minutes: 10 }],
    [600, { kind: "minutes", minutes: 10 }],
    [601, { kind: "minutes", minutes: 15 }],
    [900, { kind: "minutes", minutes: 15 }],
    [1501, { kind: "minutes", minutes: 30 }],
    [3300, { kind: "minutes", minutes: 55 }],
    [3301, { kind: "hours", hours: 1, minutes: 0 }],
    [3599, { kind: "hours", hours: 1, minutes: 0 }],
    [3600, { kind: "hours", hours: 1, minutes: 0 }],
    [3601, { kind: "hours", hours: 1, minutes: 15 }],
    [5400, { kind: "hours", hours: 1, minutes: 30 }],
    [7199, { kind: "hours", hours: 2, minutes: 0 }],
    [7201, { kind: "hours", hours: 2, minutes: 15 }],
    [36000, { kind: "hours", hours: 10, minutes: 0 }],
  ];

  it.each(cases)("formats %s seconds", (etaSeconds, expected) => {
    expect(formatEta(etaSeconds)).toEqual(expected);
  });

  it("never shows less time than estimated", () => {
    for (let s = 60; s < 20_000; s += 7) {
      const eta = formatEta(s);
      const shownMinutes =
        eta.kind === "minutes" ? eta.minutes : eta.kind === "hours" ? eta.hours * 60 + eta.minutes : 0;
      expect(shownMinutes * 60).toBeGreaterThanOrEqual(s);
    }
  });
});
