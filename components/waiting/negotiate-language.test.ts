import { describe, expect, it } from "vitest";
import {
  isLang,
  LANG_NAMES,
  LANGS,
  type Lang,
  negotiateLanguage,
  negotiateLanguageAmong,
  supportedLangOf,
} from "./negotiate-language";

describe("supportedLangOf", () => {
  const cases: Array<[string, Lang | null]> = [
    ["en", "en"],
    ["en-GB", "en"],
    ["ko-KR", "ko"],
    ["KO-kr", "ko"],
    ["ja", "ja"],
    ["ja-JP", "ja"],
    ["es", "es"],
    ["es-419", "es"],
    ["es-MX", "es"],
    ["fr-CA", "fr"],
    ["fr-ch", "fr"],
    ["de-AT", "de"],
    ["DE-de", "de"],
    // Chinese by script, then by region.
    ["zh", "zh-Hans"],
    ["zh-CN", "zh-Hans"],
    ["zh-SG", "zh-Hans"],
    ["zh-Hans", "zh-Hans"],
    ["zh-Hans-CN", "zh-Hans"],
    ["zh-hans-hk", "zh-Hans"],
    ["zh-TW", "zh-Hant"],
    ["zh-HK", "zh-Hant"],
    ["zh-MO", "zh-Hant"],
    ["ZH-tw", "zh-Hant"],
    ["zh-Hant", "zh-Hant"],
    ["zh-Hant-TW", "zh-Hant"],
    ["zh-hant-cn", "zh-Hant"],
    ["  zh-TW  ", "zh-Hant"],
    // Not ours, or not a tag at all.
    ["it", null],
    ["pt-BR", null],
    ["english", null],
    ["jav", null],
    ["*", null],
    ["", null],
    ["zh_TW", null],
    ["en-", null],
    ["-en", null],
    ["en--US", null],
    ["ko KR", null],
    ["toolongprimary-KR", null],
  ];

  it.each(cases)("%j -> %s", (tag, expected) => {
    expect(supportedLangOf(tag)).toBe(expected);
  });
});

describe("negotiateLanguage", () => {
  const cases: Array<[string, string | undefined, string | null | undefined, Lang]> = [
    ["no cookie, no header", undefined, null, "en"],
    ["undefined header", undefined, undefined, "en"],
    ["empty header", undefined, "", "en"],
    ["Korean browser", undefined, "ko-KR,ko;q=0.9,en-US;q=0.8,en;q=0.7", "ko"],
    ["Japanese browser", undefined, "ja-JP,ja;q=0.9,en-US;q=0.8", "ja"],
    ["Taiwanese browser", undefined, "zh-TW,zh;q=0.9,en-US;q=0.8", "zh-Hant"],
    ["Hong Kong browser", undefined, "zh-HK,zh;q=0.9,en;q=0.8", "zh-Hant"],
    ["mainland browser", undefined, "zh-CN,zh;q=0.9", "zh-Hans"],
    ["bare zh", undefined, "zh", "zh-Hans"],
    ["Québec browser", undefined, "fr-CA,fr;q=0.9,en-CA;q=0.8", "fr"],
    ["Mexican browser", undefined, "es-MX,es;q=0.9", "es"],
    ["Swiss German browser", undefined, "de-CH", "de"],
    ["English browser", undefined, "en-US,en;q=0.9,ko;q=0.8", "en"],
    ["unsupported first, then French", undefined, "it-IT,it;q=0.9,fr;q=0.5", "fr"],
    ["unsupported first, English before Korean", undefined, "pt,en;q=0.8,ko;q=0.7", "en"],
    ["q order beats header order", undefined, "en;q=0.3,de;q=0.9", "de"],
    ["q order across Chinese scripts", undefined, "zh-CN;q=0.4,zh-TW;q=0.8", "zh-Hant"],
    ["equal q keeps header order", undefined, "fr;q=0.5,de;q=0.5", "fr"],
    ["missing q counts as 1", undefined, "de;q=0.9,ja", "ja"],
    ["spaces around parameters", undefined, " es ; q = 0.7 , ko ; q = 0.2 ", "es"],
    ["q=0 is never chosen", undefined, "ja;q=0,en;q=0.1", "en"],
    ["q=0.0 is never chosen either", undefined, "zh-TW;q=0.0,de;q=0.01", "de"],
    ["everything q=0", undefined, "ja;q=0,ko;q=0", "en"],
    ["non-numeric q is not acceptable", undefined, "ja;q=high,es;q=0.2", "es"],
    ["negative q is not acceptable", undefined, "ja;q=-1,es;q=0.2", "es"],
    ["only unsupported", undefined, "it,pt-BR;q=0.8", "en"],
    ["wildcard", undefined, "*", "en"],
    ["wildcard after an unsupported one", undefined, "it, *;q=0.5", "en"],
    ["garbage", undefined, ";;,,=q", "en"],
    ["binary-ish junk", undefined, "\u0000\u00ff,<script>", "en"],
    ["underscores are not tags", undefined, "zh_TW,ko;q=0.1", "ko"],
    ["very long header", undefined, `${"x-junk,".repeat(500)}ja`, "en"],
    ["cookie ko beats English header", "ko", "en-US", "ko"],
    ["cookie en beats Korean header", "en", "ko-KR", "en"],
    ["cookie zh-Hant beats a mainland header", "zh-Hant", "zh-CN", "zh-Hant"],
    ["cookie de", "de", "ja", "de"],
    ["unknown cookie is ignored", "it", "fr-FR", "fr"],
    ["cookie must be an exact code", "zh-hant", "ja", "ja"],
    ["cookie must be an exact code (case)", "KO", "ja", "ja"],
    ["a bare zh cookie is not a code", "zh", "de", "de"],
    ["empty cookie is ignored", "", "ko", "ko"],
  ];

  it.each(cases)("%s", (_name, cookie, header, expected) => {
    expect(negotiateLanguage(cookie, header)).toBe(expected);
  });

  it("falls back to the room's default language, after the cookie and the header", () => {
    expect(negotiateLanguage(undefined, null, "ja")).toBe("ja");
    expect(negotiateLanguage(undefined, "it,pt;q=0.5", "de")).toBe("de");
    expect(negotiateLanguage(undefined, "*", "zh-Hant")).toBe("zh-Hant");
    expect(negotiateLanguage(undefined, "ko-KR", "ja")).toBe("ko");
    expect(negotiateLanguage("es", "ko-KR", "ja")).toBe("es");
    expect(negotiateLanguage("bogus", "", "fr")).toBe("fr");
  });
});

describe("negotiateLanguageAmong", () => {
  const siteLangs = ["en", "ko"] as const;

  it("skips a cookie or a preference the page has no words for", () => {
    expect(negotiateLanguageAmong(siteLangs, "ja", "ko-KR", "en")).toBe("ko");
    expect(negotiateLanguageAmong(siteLangs, undefined, "ja-JP,ko;q=0.5", "en")).toBe("ko");
    expect(negotiateLanguageAmong(siteLangs, undefined, "ja-JP", "en")).toBe("en");
    expect(negotiateLanguageAmong(siteLangs, "ko", "en", "en")).toBe("ko");
  });
});

describe("the language list", () => {
  it("has a native name for each language and recognises exactly its codes", () => {
    expect(Object.keys(LANG_NAMES).sort()).toEqual([...LANGS].sort());
    for (const lang of LANGS) {
      expect(LANG_NAMES[lang].length).toBeGreaterThan(0);
      expect(isLang(lang)).toBe(true);
      // Each code is what a browser tag of that language maps to, so a cookie and a header agree.
      expect(supportedLangOf(lang)).toBe(lang);
    }
    expect(isLang("zh")).toBe(false);
    expect(isLang(undefined)).toBe(false);
    expect(isLang(42)).toBe(false);
  });
});
