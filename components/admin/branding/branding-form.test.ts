import { describe, expect, it } from "vitest";
import { emptyBranding } from "@/server/queue/branding";
import { brandingFormFrom, previewRoom, sameBranding, validateBrandingForm } from "./branding-form";

const blank = brandingFormFrom({ defaultLanguage: null, branding: emptyBranding });

describe("the branding form", () => {
  it("turns filled languages into the patch and leaves blank ones out", () => {
    const values = {
      ...blank,
      defaultLanguage: "ko" as const,
      accentColor: " #0F766E ",
      logoUrl: "https://cdn.example.com/l.png",
      displayName: { ...blank.displayName, ko: " 애크미 " },
      message: { ...blank.message, ko: "1인 1켤레" },
    };
    expect(validateBrandingForm(values)).toEqual({
      errors: {},
      patch: {
        defaultLanguage: "ko",
        branding: {
          displayName: { ko: "애크미" },
          message: { ko: "1인 1켤레" },
          logoUrl: "https://cdn.example.com/l.png",
          accentColor: "#0f766e",
        },
      },
    });
  });

  it("puts the server's messages beside the fields they are about", () => {
    const { errors, patch } = validateBrandingForm({
      ...blank,
      accentColor: "teal",
      logoUrl: "javascript:alert(1)",
      displayName: { ...blank.displayName, en: "x".repeat(81) },
      message: { ...blank.message, ko: "x".repeat(281) },
    });
    expect(patch).toBeNull();
    expect(errors).toEqual({
      accentColor: expect.stringMatching(/^The accent colour is "#rrggbb"/),
      logoUrl: expect.stringMatching(/^The logo URL must be an https URL/),
      "displayName.en": expect.stringMatching(/at most 80 characters/),
      "message.ko": expect.stringMatching(/at most 280 characters/),
    });
  });

  it("previews what passes as typed and ignores what does not yet", () => {
    const room = previewRoom(
      {
        ...blank,
        accentColor: "#0f76",
        logoUrl: "https://cdn.example.com/l.png",
        displayName: { ...blank.displayName, ko: "애크미", en: "x".repeat(81) },
      },
      "Drop",
    );
    expect(room).toEqual({
      name: "Drop",
      defaultLanguage: null,
      branding: { ...emptyBranding, displayName: { ko: "애크미" }, logoUrl: "https://cdn.example.com/l.png" },
    });
  });

  it("knows when nothing changed, whatever the order of the languages", () => {
    const current = { defaultLanguage: null, branding: { ...emptyBranding, displayName: { en: "A", ko: "B" } } };
    expect(
      sameBranding({ ...current, branding: { ...current.branding, displayName: { ko: "B", en: "A" } } }, current),
    ).toBe(true);
    expect(sameBranding({ ...current, defaultLanguage: "ko" }, current)).toBe(false);
  });
});
