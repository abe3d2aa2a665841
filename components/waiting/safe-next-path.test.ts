import { describe, expect, it } from "vitest";
import { MAX_NEXT_PATH_LENGTH, safeNextPath } from "./safe-next-path";

describe("safeNextPath", () => {
  const accepted = [
    "/",
    "/shop",
    "/shop/item/3?size=270#buy",
    "/shop/%2F%2Fevil.com",
    "/a:b",
    `/${"a".repeat(MAX_NEXT_PATH_LENGTH - 1)}`,
  ];
  it.each(accepted)("accepts %s", (path) => {
    expect(safeNextPath(path)).toBe(path);
  });

  const rejected: Array<[string, string | string[] | undefined]> = [
    ["missing", undefined],
    ["repeated parameter", ["/shop", "/shop/item/1"]],
    ["empty", ""],
    ["relative", "shop"],
    ["protocol-relative", "//evil.com"],
    ["protocol-relative with path", "//evil.com/shop"],
    ["backslash host", "/\\evil.com"],
    ["backslash later", "/shop\\..\\x"],
    ["absolute URL", "https://evil.com/shop"],
    ["javascript scheme", "javascript:alert(1)"],
    ["data scheme", "data:text/html,hi"],
    ["tab trick", "/\t/evil.com"],
    ["newline trick", "/\n/evil.com"],
    ["null byte", "/shop\u0000"],
    ["too long", `/${"a".repeat(MAX_NEXT_PATH_LENGTH)}`],
  ];
  it.each(rejected)("rejects %s", (_name, raw) => {
    expect(safeNextPath(raw)).toBe("/shop");
  });

  it("uses the given fallback", () => {
    expect(safeNextPath("//evil.com", "/")).toBe("/");
  });
});
