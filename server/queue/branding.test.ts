import { describe, expect, it, vi } from "vitest";
import { LANGS } from "@/components/waiting/negotiate-language";
import {
  brandingSchema,
  defaultLanguageSchema,
  emptyBranding,
  logoUrlProblem,
  readStoredBranding,
  readStoredLanguage,
  reportOnce,
} from "./branding";

const issueOf = (value: unknown) => {
  const parsed = brandingSchema.safeParse(value);
  if (parsed.success) return null;
  const issue = parsed.error.issues[0];
  return `${issue?.path.join(".")}: ${issue?.message}`;
};

describe("brandingSchema", () => {
  it("takes a whole branding, trims the texts and lowercases the colour", () => {
    const parsed = brandingSchema.parse({
      displayName: { en: "  Spring drop  ", ko: "봄 드롭" },
      message: { en: "Doors open at 10:00.\nOne pair each." },
      logoUrl: " https://cdn.example.com/logo.png ",
      accentColor: "#0F766E",
    });
    expect(parsed).toEqual({
      displayName: { en: "Spring drop", ko: "봄 드롭" },
      message: { en: "Doors open at 10:00.\nOne pair each." },
      logoUrl: "https://cdn.example.com/logo.png",
      accentColor: "#0f766e",
    });
  });

  it("fills what was left out with nothing (the branding is sent as a whole)", () => {
    expect(brandingSchema.parse({})).toEqual(emptyBranding);
    expect(brandingSchema.parse({ accentColor: "#123456" })).toEqual({ ...emptyBranding, accentColor: "#123456" });
  });

  it("accepts every language the waiting page speaks, from LANGS", () => {
    const names = Object.fromEntries(LANGS.map((lang) => [lang, `Name ${lang}`]));
    expect(brandingSchema.parse({ displayName: names }).displayName).toEqual(names);
  });

  it("keeps text with markup as text (it is never rendered as HTML)", () => {
    const text = "<b>Sale</b> & <script>alert(1)</script>";
    expect(brandingSchema.parse({ message: { en: text } }).message.en).toBe(text);
  });

  it.each([
    ["an empty display name", { displayName: { en: "   " } }, /displayName.en: a display name has 1 to 80/],
    ["an 81-character display name", { displayName: { en: "x".repeat(81) } }, /at most 80 characters/],
    ["a display name on two lines", { displayName: { en: "a\nb" } }, /one line of plain text/],
    ["a 281-character message", { message: { en: "x".repeat(281) } }, /message.en: a message has at most 280/],
    ["a message with a control character", { message: { en: "a\u0007b" } }, /plain text/],
    ["a message with a bidi override", { message: { en: "a\u202eb" } }, /plain text/],
    [
      "a language Floodgate does not speak",
      { displayName: { xx: "Name" } },
      /displayName.xx: "xx" is not a language code, one of en/,
    ],
    ["a display name that is not text", { displayName: { en: 5 } }, /displayName.en/],
    ["a javascript: logo", { logoUrl: "javascript:alert(1)" }, /logoUrl: the logo URL must be an https URL/],
    ["a data: logo", { logoUrl: "data:image/png;base64,AAAA" }, /no data:/],
    ["an http logo elsewhere", { logoUrl: "http://cdn.example.com/l.png" }, /https \(http only for localhost/],
    ["a logo URL with a password", { logoUrl: "https://user:pw@cdn.example.com/l.png" }, /user name or password/],
    ["a logo that is not a URL", { logoUrl: "logo.png" }, /not a URL/],
    ["a 501-character logo URL", { logoUrl: `https://e.com/${"a".repeat(487)}` }, /at most 500/],
    ["a three-digit colour", { accentColor: "#abc" }, /accentColor: the accent colour is "#rrggbb"/],
    ["a named colour", { accentColor: "red" }, /#rrggbb/],
    ["a colour with CSS after it", { accentColor: "#000000;background:url(x)" }, /#rrggbb/],
    ["a misspelt field", { accentColour: "#000000" }, /accentColour|Unrecognized/i],
  ])("refuses %s", (_name, value, message) => {
    expect(issueOf(value)).toMatch(message);
  });

  it.each([
    "https://cdn.example.com/logo.svg",
    "http://localhost:3000/brand-demo-logo.png",
    "http://127.0.0.1:41234/brand-demo-logo.png",
    "http://[::1]:3000/l.png",
  ])("allows the logo %s", (url) => {
    expect(logoUrlProblem(url)).toBeNull();
  });
});

describe("defaultLanguageSchema", () => {
  it("takes a language Floodgate speaks, or null", () => {
    for (const lang of LANGS) expect(defaultLanguageSchema.parse(lang)).toBe(lang);
    expect(defaultLanguageSchema.parse(null)).toBeNull();
    expect(defaultLanguageSchema.safeParse("xx").error?.issues[0]?.message).toMatch(/a language code, one of en/);
  });
});

describe("reading stored values", () => {
  it("reads what was stored, as JSON text or as an object", () => {
    const onInvalid = vi.fn();
    const value = { ...emptyBranding, accentColor: "#112233" };
    expect(readStoredBranding(JSON.stringify(value), onInvalid)).toEqual(value);
    expect(readStoredBranding(value, onInvalid)).toEqual(value);
    expect(readStoredBranding("{}", onInvalid)).toEqual(emptyBranding);
    expect(readStoredBranding(undefined, onInvalid)).toEqual(emptyBranding);
    expect(onInvalid).not.toHaveBeenCalled();
  });

  it.each([
    ["not JSON", "{oops", /not JSON/],
    ["a bad logo", JSON.stringify({ logoUrl: "javascript:alert(1)" }), /branding: logoUrl/],
    ["an array", "[]", /branding/],
  ])("falls back to no branding for %s, and says why", (_name, stored, problem) => {
    const onInvalid = vi.fn();
    expect(readStoredBranding(stored, onInvalid)).toEqual(emptyBranding);
    expect(onInvalid).toHaveBeenCalledWith(expect.stringMatching(problem));
  });

  it("drops a stored language Floodgate no longer speaks", () => {
    const onInvalid = vi.fn();
    expect(readStoredLanguage("ko", onInvalid)).toBe("ko");
    expect(readStoredLanguage(null, onInvalid)).toBeNull();
    expect(onInvalid).not.toHaveBeenCalled();
    expect(readStoredLanguage("tlh", onInvalid)).toBeNull();
    expect(onInvalid).toHaveBeenCalledWith(expect.stringMatching(/"tlh" is not a language/));
  });

  it("reports each problem of each room once", () => {
    const report = vi.fn();
    const once = reportOnce(report);
    once("shop", "branding is not JSON");
    once("shop", "branding is not JSON");
    once("drop", "branding is not JSON");
    expect(report.mock.calls).toEqual([
      ["branding is not JSON", "shop"],
      ["branding is not JSON", "drop"],
    ]);
  });
});
