import { describe, expect, it } from "vitest";
import {
  accentCustomProperties,
  accentPalette,
  contrastRatio,
  minTextContrast,
  mix,
  readableForeground,
  relativeLuminance,
} from "./accent-colors";

describe("contrast helpers", () => {
  it("computes WCAG luminance and contrast", () => {
    expect(relativeLuminance("#000000")).toBe(0);
    expect(relativeLuminance("#ffffff")).toBe(1);
    expect(contrastRatio("#000000", "#ffffff")).toBeCloseTo(21, 5);
    expect(contrastRatio("#777777", "#ffffff")).toBeCloseTo(4.48, 2);
    expect(contrastRatio("#ffffff", "#777777")).toBe(contrastRatio("#777777", "#ffffff"));
  });

  it.each([
    ["#ffff00", "#000000"],
    ["#ffffff", "#000000"],
    ["#7fa8ff", "#000000"],
    ["#000080", "#ffffff"],
    ["#b42318", "#ffffff"],
    ["#0f766e", "#ffffff"],
  ])("puts readable text on %s: %s", (background, foreground) => {
    expect(readableForeground(background)).toBe(foreground);
  });

  it("picks a foreground with at least 4.5:1 on any colour (every 17th step of each channel)", () => {
    for (let r = 0; r <= 255; r += 17)
      for (let g = 0; g <= 255; g += 17)
        for (let b = 0; b <= 255; b += 17) {
          const color = `#${[r, g, b].map((c) => c.toString(16).padStart(2, "0")).join("")}`;
          expect(contrastRatio(color, readableForeground(color))).toBeGreaterThanOrEqual(4.5);
        }
  });

  it("mixes in sRGB as CSS color-mix does", () => {
    expect(mix("#000000", "#ffffff", 0.5)).toBe("#808080");
    expect(mix("#102030", "#102030", 0.3)).toBe("#102030");
  });
});

describe("accentPalette", () => {
  it("keeps a colour that already reads, in the light scheme", () => {
    expect(accentPalette("#0f766e").light.accent).toBe("#0f766e");
    expect(accentPalette("#0f766e").light.onAccent).toBe("#ffffff");
  });

  it("darkens a pale colour for the light scheme and lightens a dark one for the dark scheme", () => {
    const yellow = accentPalette("#ffe600");
    expect(yellow.light.accent).not.toBe("#ffe600");
    expect(contrastRatio(yellow.light.accent, "#eef2f8")).toBeGreaterThanOrEqual(minTextContrast);
    const navy = accentPalette("#0b1f66");
    expect(navy.dark.accent).not.toBe("#0b1f66");
    expect(contrastRatio(navy.dark.accent, "#1c2635")).toBeGreaterThanOrEqual(minTextContrast);
  });

  it.each(["#ffe600", "#0b1f66", "#ff00ff", "#808080", "#0f766e", "#000000", "#ffffff", "#1f57c9"])(
    "%s: in both schemes the accent reads as text on the surfaces and its tint, and text reads on it",
    (color) => {
      const palette = accentPalette(color);
      for (const [scheme, surfaces] of [
        [palette.light, ["#ffffff", "#f3f6fa", "#eef2f8"]],
        [palette.dark, ["#0d131c", "#151d29", "#1c2635"]],
      ] as const) {
        for (const surface of surfaces) expect(contrastRatio(scheme.accent, surface)).toBeGreaterThanOrEqual(4.5);
        expect(contrastRatio(scheme.accent, scheme.soft)).toBeGreaterThanOrEqual(4.5);
        expect(contrastRatio(scheme.accent, scheme.onAccent)).toBeGreaterThanOrEqual(4.5);
        expect(contrastRatio(scheme.hover, scheme.onAccent)).toBeGreaterThanOrEqual(
          contrastRatio(scheme.accent, scheme.onAccent),
        );
      }
    },
  );

  it("hands the page one custom property per colour and scheme", () => {
    const properties = accentCustomProperties(accentPalette("#0f766e"));
    expect(properties["--brand-accent-light"]).toBe("#0f766e");
    expect(Object.keys(properties)).toHaveLength(8);
    for (const value of Object.values(properties)) expect(value).toMatch(/^#[0-9a-f]{6}$/);
  });
});
