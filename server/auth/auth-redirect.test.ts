import { describe, expect, it } from "vitest";
import { redirectAfterAuth } from "@/server/auth/auth-redirect";

const baseUrl = "https://queue.example";

describe("redirectAfterAuth (next-auth's redirect callback)", () => {
  it.each([
    ["/admin/sign-in", "/admin/sign-in"],
    ["/admin/tokens?room=default", "/admin/tokens?room=default"],
    ["https://queue.example/admin/audit", "/admin/audit"],
    ["https://queue.example", "/admin"],
    ["https://evil.example/admin", "/admin"],
    ["https://queue.example.evil.example/admin", "/admin"],
    ["https://queue.example@evil.example/", "/admin"],
    ["//evil.example", "/admin"],
    ["/.//evil.example", "/admin"],
    ["/admin/..//evil.example", "/admin"],
    ["https://queue.example/.//evil.example", "/admin"],
    ["https://queue.example//evil.example", "/admin"],
    ["/%2e%2e//evil.example", "/admin"],
    ["/\\evil.example", "/admin"],
    ["javascript:alert(1)", "/admin"],
  ])("%s -> %s", (url, path) => {
    const out = redirectAfterAuth({ url, baseUrl });
    expect(out).toBe(`${baseUrl}${path}`);
    expect(new URL(out).origin).toBe(baseUrl);
  });
});
