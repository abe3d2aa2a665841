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
    // Spellings that resolve to another site or out of the console (issue 11, item 2).
    ["/admin/..//evil.example", "/admin"],
    ["/admin/.//evil.example", "/admin"],
    ["/admin/%2e%2e//evil.example", "/admin"],
    ["/admin/../api/admin/users", "/admin"],
    ["/admin/%2e%2e/api/admin/users", "/admin"],
    ["/admin/%2F%2Fevil.example", "/admin"],
    ["/admin/%5Cevil.example", "/admin"],
    ["/admin\\..\\..\\evil.example", "/admin"],
    ["/admin\t/x", "/admin"],
    ["/admin/\u2215\u2215evil.example", "/admin"],
    ["HTTPS://evil.example/admin", "/admin"],
    ["https://queue.example.evil.example/admin", "/admin"],
    ["https://queue.example@evil.example/admin", "/admin"],
    ["https://queue.example/admin/../..//evil.example", "/admin"],
    ["https://queue.example//evil.example/admin", "/admin"],
    ["data:text/html,x", "/admin"],
  ])("%s -> %s", (raw, expected) => {
    expect(safeCallbackPath(raw, origin)).toBe(expected);
  });
});
