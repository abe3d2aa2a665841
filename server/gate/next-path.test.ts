import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { defaultNextPath, nextPathFromQuery, safeNextPath } from "@/server/gate/next-path";

const fallback = defaultNextPath;

// Every spelling from issue 11 (item 2) and the usual open-redirect corpus. Each one must come
// back as the fallback: none is a path a browser or Next.js produces for a page of this site.
const refused: Array<[string, unknown]> = [
  ["dot segment then protocol-relative", "/.//evil.com"],
  ["encoded dot then protocol-relative", "/%2e//evil.com"],
  ["encoded dot, upper case", "/%2E//evil.com"],
  ["encoded dot-dot then protocol-relative", "/%2e%2e//evil.com"],
  ["half-encoded dot-dot", "/.%2e//evil.com"],
  ["dot then encoded slash", "/./%2Fevil.com"],
  ["climbing out of a real path", "/shop/..//evil.com"],
  ["encoded slashes after a dot", "/.%2F%2Fevil.com"],
  ["climbing above the root", "/../../evil.com"],
  ["climbing above the root, then //", "/..//evil.com"],
  ["climbing in the middle", "/shop/../admin"],
  ["single dot segment", "/shop/./item"],
  ["trailing dot segment", "/shop/."],
  ["trailing dot-dot segment", "/shop/.."],
  ["protocol-relative", "//evil.com"],
  ["protocol-relative with path", "//evil.com/shop"],
  ["triple slash", "///evil.com"],
  ["slash backslash", "/\\evil.com"],
  ["slash backslash backslash", "/\\\\evil.com"],
  ["backslash only", "\\\\evil.com"],
  ["backslash inside", "/shop\\..\\..\\evil.com"],
  ["encoded backslash", "/%5Cevil.com"],
  ["encoded backslash, lower case", "/%5cevil.com"],
  ["encoded slash", "/%2F/evil.com"],
  ["encoded slash, lower case", "/%2f%2fevil.com"],
  ["encoded double slash", "/%2F%2Fevil.com"],
  ["tab between slashes", "/\t/evil.com"],
  ["newline between slashes", "/\n/evil.com"],
  ["carriage return between slashes", "/\r/evil.com"],
  ["CRLF header injection", "/shop\r\nSet-Cookie: x=1"],
  ["leading tab", "\t//evil.com"],
  ["leading space", " //evil.com"],
  ["trailing space", "/shop "],
  ["inner space", "/shop item"],
  ["NUL", "/shop\u0000"],
  ["DEL", "/shop\u007f"],
  ["encoded NUL", "/shop%00"],
  ["encoded CR LF", "/shop%0d%0aSet-Cookie:x=1"],
  ["encoded tab", "/%09/evil.com"],
  ["encoded DEL", "/shop%7F"],
  ["broken escape", "/shop%zz"],
  ["truncated escape", "/shop%2"],
  ["division slash U+2215", "/\u2215evil.com"],
  ["full-width solidus U+FF0F", "/\uff0fevil.com"],
  ["fraction slash U+2044", "/\u2044evil.com"],
  ["full-width dots U+FF0E", "/\uff0e\uff0e/evil.com"],
  ["one-dot leader U+2024", "/\u2024\u2024/evil.com"],
  ["non-ASCII letter", "/caf\u00e9"],
  ["javascript:", "javascript:alert(1)"],
  ["JavaScript: mixed case", "JaVaScRiPt:alert(1)"],
  ["javascript: with a tab", "java\tscript:alert(1)"],
  ["data:", "data:text/html,<script>alert(1)</script>"],
  ["vbscript:", "vbscript:msgbox(1)"],
  ["http URL", "http://evil.com/"],
  ["https URL", "https://evil.com/"],
  ["mixed-case scheme", "HtTpS://evil.com/"],
  ["scheme without slashes", "https:evil.com"],
  ["scheme with backslashes", "https:\\\\evil.com"],
  ["user info", "//user@evil.com"],
  ["relative without slash", "shop"],
  ["dot relative", "./shop"],
  ["dot-dot relative", "../shop"],
  ["query only", "?next=//evil.com"],
  ["fragment only", "#top"],
  ["empty", ""],
  ["only a question mark after a path", "/shop/item?"],
  ["only a hash after a path", "/shop/item#"],
  ["too long", `/${"a".repeat(2048)}`],
  ["undefined", undefined],
  ["null", null],
  ["two values", ["/shop", "/shop/item/1"]],
  ["one value in an array", ["/shop"]],
  ["a number", 42],
];

const kept: string[] = [
  "/",
  "/shop",
  "/shop/item/3",
  "/shop?x=1&y=2",
  "/shop?x=1#top",
  "/shop?back=%2Fshop%2Fitem%2F1",
  "/caf%C3%A9",
  "/shop/item-3_v2~x",
  "/a.b/c..d/...",
  "/.well-known/x",
  "/@evil.com",
  "/shop;jsessionid=1",
  // A same-site path that only looks like a scheme: resolved, it stays here.
  "/javascript:alert(1)//",
  `/${"a".repeat(2047)}`,
];

describe("safeNextPath", () => {
  it.each(refused)("refuses %s", (_name, input) => {
    expect(safeNextPath(input as string)).toBe(fallback);
  });

  it.each(kept)("keeps %j exactly as given", (input) => {
    expect(safeNextPath(input)).toBe(input);
  });

  it("accepts its own fallback", () => {
    expect(safeNextPath(fallback)).toBe(fallback);
    expect(safeNextPath("//evil.com", "/elsewhere")).toBe("/elsewhere");
  });

  it("takes exactly one `next` from a query, never the first of several", () => {
    expect(nextPathFromQuery(new URLSearchParams("next=%2Fshop%2Fitem%2F1"))).toBe("/shop/item/1");
    expect(nextPathFromQuery(new URLSearchParams("next=%2Fshop%2Fitem%2F1&next=%2F%2Fevil.com"))).toBe(fallback);
    expect(nextPathFromQuery(new URLSearchParams("next=%2F.%2F%2Fevil.com"))).toBe(fallback);
    expect(nextPathFromQuery(new URLSearchParams(""))).toBe(fallback);
  });
});

// What the result is used as: a Location header and window.location.assign(), both resolved
// by the WHATWG URL parser against the page's own URL.
const origins = [
  "https://site.example",
  "http://127.0.0.1:3000",
  "https://site.example/wait/default?next=%2Fshop",
  "https://site.example/a/b/c/",
];

// Strings made of the pieces open redirects are built from, so the search spends its time
// where the bugs are rather than on random letters.
const pieces = [
  "/",
  "//",
  "\\",
  ".",
  "..",
  "%2e",
  "%2E",
  "%2f",
  "%2F",
  "%5c",
  "%00",
  "%0a",
  "%",
  "evil.com",
  "shop",
  "@",
  ":",
  "?",
  "#",
  "\t",
  "\n",
  "\r",
  " ",
  "\u2215",
  "\uff0f",
  "\u2044",
  "\uff0e",
  "http:",
  "https:",
  "javascript:",
  "data:",
];
const hostile = fc.array(fc.constantFrom(...pieces), { maxLength: 12 }).map((parts) => parts.join(""));
const anyInput = fc.oneof(hostile, fc.string({ unit: "binary", maxLength: 64 }), fc.webUrl(), fc.webPath());

describe("safeNextPath, any input", () => {
  it("returns the fallback or the input itself, which stays on the origin and is a fixed point", () => {
    fc.assert(
      fc.property(anyInput, (input) => {
        const out = safeNextPath(input);
        if (out === fallback) return;
        // The value used is the value checked: nothing was rewritten on the way.
        expect(out).toBe(input);
        expect(safeNextPath(out)).toBe(out);
        for (const origin of origins) {
          const resolved = new URL(out, origin);
          expect(resolved.origin).toBe(new URL(origin).origin);
          expect(`${resolved.pathname}${resolved.search}${resolved.hash}`).toBe(out);
        }
      }),
      { numRuns: 20_000 },
    );
  });

  it("is idempotent for every input", () => {
    fc.assert(
      fc.property(anyInput, (input) => {
        const out = safeNextPath(input);
        expect(safeNextPath(out)).toBe(out);
      }),
      { numRuns: 5_000 },
    );
  });
});
