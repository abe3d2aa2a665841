import { describe, expect, it } from "vitest";
import { safeNextPath } from "@/server/gate/next-path";

describe("safeNextPath", () => {
  it.each([
    ["/shop/item/3", "/shop/item/3"],
    ["/shop?x=1#top", "/shop?x=1#top"],
    ["/", "/"],
    [undefined, "/shop"],
    ["", "/shop"],
    ["shop", "/shop"],
    ["//evil.example/x", "/shop"],
    ["/\\evil.example", "/shop"],
    ["https://evil.example/", "/shop"],
    ["javascript:alert(1)", "/shop"],
    ["/ok\u0000", "/shop"],
    ["/a\\b", "/shop"],
    [`/${"a".repeat(3000)}`, "/shop"],
    ["/%2F%2Fevil.example", "/%2F%2Fevil.example"],
    ["/\t/evil.example", "/shop"],
    ["/\n/evil.example", "/shop"],
    [["/a", "/b"], "/shop"],
  ])("%j -> %j", (input, expected) => {
    expect(safeNextPath(input)).toBe(expected);
  });
});
