import { describe, expect, it } from "vitest";
import { emptyBranding } from "@/server/queue/branding";
import { brandCustomProperties, resolveRoomBrand } from "./room-brand";
import { languageFor } from "./room-language";

const room = {
  name: "Spring drop",
  defaultLanguage: null,
  branding: {
    ...emptyBranding,
    displayName: { en: "Acme spring drop", ko: "애크미 봄 드롭" },
    message: { ko: "1인 1켤레" },
  },
};

describe("resolveRoomBrand", () => {
  it("uses the page's language's name and message", () => {
    const brand = resolveRoomBrand(room, "ko");
    expect(brand.displayName).toBe("애크미 봄 드롭");
    expect(brand.message).toBe("1인 1켤레");
  });

  it("falls back to the room's default language, then to the room's name and no message", () => {
    expect(resolveRoomBrand(room, "en").message).toBeNull();
    expect(resolveRoomBrand({ ...room, defaultLanguage: "ko" }, "en").message).toBe("1인 1켤레");
    const nameless = { ...room, branding: { ...room.branding, displayName: { ko: "애크미" } } };
    expect(resolveRoomBrand(nameless, "en").displayName).toBe("Spring drop");
    expect(resolveRoomBrand({ ...nameless, defaultLanguage: "ko" }, "en").displayName).toBe("애크미");
  });

  it("colours the page only when the room has an accent", () => {
    expect(brandCustomProperties(resolveRoomBrand(room, "en"))).toEqual({});
    const accented = resolveRoomBrand({ ...room, branding: { ...room.branding, accentColor: "#0f766e" } }, "en");
    expect(brandCustomProperties(accented)["--brand-accent-light"]).toBe("#0f766e");
  });
});

describe("languageFor", () => {
  it.each([
    ["the cookie wins", "ko", "en", "en-US", "en"],
    ["the browser's supported language wins over the room's", "ko", undefined, "en-GB,en;q=0.9", "en"],
    ["the browser's second choice, when supported, wins too", "ko", undefined, "it-IT,en;q=0.5", "en"],
    ["the room's default when the browser names nothing supported", "ko", undefined, "it-IT,pl;q=0.8", "ko"],
    ["the room's default without Accept-Language", "ko", undefined, undefined, "ko"],
    ["the room's default when the browser refuses English", "ko", undefined, "en;q=0", "ko"],
    ["English without a room default", null, undefined, "it-IT", "en"],
    ["Korean from the browser without a room default", null, undefined, "ko-KR", "ko"],
    ["an unknown cookie is no choice", "ko", "xx", "it", "ko"],
  ] as const)("%s", (_name, defaultLanguage, cookie, accept, expected) => {
    expect(languageFor(defaultLanguage, cookie, accept)).toBe(expected);
  });

  it("keeps the room's default after a header long enough to be cut", () => {
    const long = Array.from({ length: 200 }, (_, i) => `x${i}`).join(",");
    expect(languageFor("ko", undefined, long)).toBe("ko");
  });
});
