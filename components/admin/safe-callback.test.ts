import { describe, expect, it } from "vitest";
import { safeCallbackPath } from "./safe-callback";

const origin = "https://queue.example";

describe("safeCallbackPath", () => {
  it.each([
    ["/admin", "/admin"],
    ["/admin/tokens?room=default&page=2", "/admin/tokens?room=default&page=2"],
    ["https://queue.example/admin/audit", "/admin/audit"],
    [null, "/admin"],
    ["", "/admin"],
    ["https://evil.example/admin", "/admin"],
    ["//evil.example/admin", "/admin"],
    ["/\\evil.example/admin", "/admin"],
    ["/administrator", "/admin"],
    ["/api/admin/users", "/admin"],
    ["/admin/sign-in?callbackUrl=/admin", "/admin"],
    ["javascript:alert(1)", "/admin"],
  ])("%s -> %s", (raw, expected) => {
    expect(safeCallbackPath(raw, origin)).toBe(expected);
  });
});
