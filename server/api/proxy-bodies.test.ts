import { PHASE_PRODUCTION_SERVER } from "next/constants";
import { describe, expect, it } from "vitest";
import nextConfigFor from "@/next.config";
import { config } from "@/proxy";

// Next.js copies a request's body for the proxy (proxy.ts) before any route runs: up to
// `experimental.proxyClientMaxBodySize` (10 MB by default) is buffered twice, and the copy
// stays on the keep-alive connection after the answer. So bodies bound for the API routes,
// which read and cap them themselves (server/api/json-body.ts), must not pass the proxy, and
// whatever else does is copied only up to a small limit.

const nextConfig = nextConfigFor(PHASE_PRODUCTION_SERVER);

/** The proxy's matcher as Next compiles it: the whole path must match the pattern. */
function proxyMatches(pathname: string): boolean {
  return config.matcher.some((pattern) => new RegExp(`^${pattern}$`).test(pathname));
}

describe("request bodies and the proxy", () => {
  it("keeps the API routes that take bodies out of the proxy", () => {
    for (const path of [
      "/api/admin/rooms",
      "/api/admin/rooms/default/capacity",
      "/api/auth/callback/credentials",
      "/api/triggers/surge",
      "/api/triggers/end-session",
    ]) {
      expect(proxyMatches(path), path).toBe(false);
    }
  });

  it("still runs the proxy for pages, protected paths and the console", () => {
    for (const path of ["/shop", "/shop/item/1", "/admin", "/admin/rooms/default", "/"]) {
      expect(proxyMatches(path), path).toBe(true);
    }
  });

  it("copies at most 16 KB of any other request's body for the proxy", () => {
    const limit = nextConfig.experimental?.proxyClientMaxBodySize;
    expect(limit).toBeDefined();
    expect(limit).toBeLessThanOrEqual(16 * 1024);
  });
});
