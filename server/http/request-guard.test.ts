import type { IncomingMessage } from "node:http";
import { describe, expect, it } from "vitest";
import { checkRequest, maxBodyBytes, maxUrlLength } from "@/server/http/request-guard";

// Every shape that reached Next and came back as a 500 (issue 11, item 5), and the ones that
// must go through untouched. The fuzz test (e2e/request-fuzz.spec.ts) covers the rest end to end.

function request(method: string, url: string, headers: Record<string, string> = {}) {
  return { method, url, headers } as unknown as IncomingMessage;
}

describe("checkRequest", () => {
  // biome-ignore format: one case per line reads as a table
  it.each([
    ["TRACE", "/shop", 405, "GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS"],
    ["TRACE", "/api/admin/me", 405, "GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS"],
    ["TRACK", "/", 405, "GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS"],
    ["PROPFIND", "/favicon.svg", 405, "GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS"],
    ["POST", "/floodgate.js", 405, "GET, HEAD, OPTIONS"],
    ["PUT", "/openapi.yaml", 405, "GET, HEAD, OPTIONS"],
    ["PATCH", "/openapi.yaml", 405, "GET, HEAD, OPTIONS"],
    ["DELETE", "/floodgate.js", 405, "GET, HEAD, OPTIONS"],
    ["POST", "/shop", 405, "GET, HEAD, OPTIONS"],
    ["POST", "/admin/sign-in", 405, "GET, HEAD, OPTIONS"],
    ["POST", "/_next/static/chunk.js", 405, "GET, HEAD, OPTIONS"],
    ["OPTIONS", "/floodgate.js", 204, "GET, HEAD, OPTIONS"],
    ["OPTIONS", "*", 204, "GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS"],
    ["GET", "/api/auth/callback/credentials", 405, "POST"],
  ])("%s %s -> %i, Allow: %s", (method, url, status, allow) => {
    const refusal = checkRequest(request(method, url));
    expect(refusal?.status).toBe(status);
    expect(refusal?.headers.allow).toBe(allow);
  });

  // biome-ignore format: one case per line reads as a table
  it.each([
    ["POST", "*", 400],
    ["GET", "http://evil.example/shop", 400],
    ["GET", "127.0.0.1:443", 400],
    ["GET", "", 400],
    ["GET", `/${"a".repeat(maxUrlLength)}`, 414],
  ])("%s %s -> %i", (method, url, status) => {
    expect(checkRequest(request(method, url))?.status).toBe(status);
  });

  it("refuses a declared body over the limit, except node-to-node calls", () => {
    const big = { "content-length": String(maxBodyBytes + 1) };
    expect(checkRequest(request("PUT", "/api/admin/rooms/default", big))?.status).toBe(413);
    expect(checkRequest(request("POST", "/__floodgate/cluster/calls", big))).toBeNull();
  });

  it("takes only forms on next-auth's endpoints", () => {
    const json = { "content-type": "application/json" };
    const form = { "content-type": "application/x-www-form-urlencoded; charset=utf-8" };
    expect(checkRequest(request("POST", "/api/auth/callback/credentials", json))?.status).toBe(415);
    expect(checkRequest(request("POST", "/api/auth/callback/credentials"))?.status).toBe(415);
    expect(checkRequest(request("POST", "/api/auth/callback/credentials", form))).toBeNull();
  });

  // biome-ignore format: one case per line reads as a table
  it.each([
    ["GET", "/"],
    ["HEAD", "/shop"],
    ["GET", "/wait/default?next=/shop"],
    ["POST", "/api/queue/default/heartbeat"],
    ["OPTIONS", "/api/queue/default/enter"],
    ["PUT", "/api/admin/rooms/default/capacity"],
    ["DELETE", "/api/admin/users/u1"],
    ["POST", "/api/triggers/surge"],
    ["POST", "/api/triggers/end-session"],
    ["POST", "/__floodgate/cluster/calls"],
    ["GET", "/api/auth/session"],
  ])("lets %s %s through", (method, url) => {
    expect(checkRequest(request(method, url))).toBeNull();
  });

  it("answers refusals in the one error shape", () => {
    expect(checkRequest(request("TRACE", "/"))?.error?.toBody()).toEqual({
      error: { code: "method_not_allowed", message: "TRACE is not served here." },
    });
  });
});
