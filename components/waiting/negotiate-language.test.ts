import { describe, expect, it } from "vitest";
import { type Lang, negotiateLanguage } from "./negotiate-language";

describe("negotiateLanguage", () => {
  const cases: Array<[string, string | undefined, string | null, Lang]> = [
    ["no cookie, no header", undefined, null, "en"],
    ["empty header", undefined, "", "en"],
    ["Korean browser", undefined, "ko-KR,ko;q=0.9,en-US;q=0.8,en;q=0.7", "ko"],
    ["bare ko", undefined, "ko", "ko"],
    ["upper-case tag", undefined, "KO-kr", "ko"],
    ["English browser", undefined, "en-US,en;q=0.9,ko;q=0.8", "en"],
    ["unsupported first, Korean next", undefined, "fr-FR,fr;q=0.9,ko;q=0.5", "ko"],
    ["unsupported first, English before Korean", undefined, "de,en;q=0.8,ko;q=0.7", "en"],
    ["q order beats header order", undefined, "en;q=0.3,ko;q=0.9", "ko"],
    ["q=0 is never chosen", undefined, "ko;q=0,en;q=0.1", "en"],
    ["only unsupported", undefined, "ja,zh-CN;q=0.8", "en"],
    ["wildcard", undefined, "*", "en"],
    ["garbage", undefined, ";;,,=q", "en"],
    ["cookie ko beats English header", "ko", "en-US", "ko"],
    ["cookie en beats Korean header", "en", "ko-KR", "en"],
    ["unknown cookie is ignored", "fr", "ko-KR", "ko"],
    ["empty cookie is ignored", "", "ko", "ko"],
  ];

  it.each(cases)("%s", (_name, cookie, header, expected) => {
    expect(negotiateLanguage(cookie, header)).toBe(expected);
  });
});
