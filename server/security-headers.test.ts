import { getPathMatch } from "next/dist/shared/lib/router/utils/path-match";
import { describe, expect, it } from "vitest";
import nextConfig from "@/next.config";
import { retryScriptHash } from "@/server/gate/retry-script";
import {
  consoleContentSecurityPolicy,
  createNonce,
  gatePageContentSecurityPolicy,
  gatePageSecurityHeaders,
  isConsolePath,
  publicContentSecurityPolicy,
} from "@/server/security-headers";

function directives(policy: string): Map<string, string[]> {
  return new Map(
    policy.split(";").map((part) => {
      const [name = "", ...values] = part.trim().split(/\s+/);
      return [name, values];
    }),
  );
}

// Every source a policy allows is this origin, a nonce or a keyword: no outside host. The one
// exception, https: images (a room's logo), is asserted on its own.
function externalSources(policy: string): string[] {
  return [...directives(policy).entries()]
    .flatMap(([name, values]) => (name === "img-src" ? values.filter((v) => v !== "https:") : values))
    .filter((source) => !/^'[^']+'$/.test(source) && !["data:", "blob:"].includes(source));
}

describe("content security policies", () => {
  it("never lets the console be framed and runs only its own nonce's scripts", () => {
    const nonce = createNonce();
    const console = directives(consoleContentSecurityPolicy(nonce));
    expect(console.get("frame-ancestors")).toEqual(["'none'"]);
    expect(console.get("script-src")).toEqual(["'self'", `'nonce-${nonce}'`, "'strict-dynamic'"]);
    expect(console.get("object-src")).toEqual(["'none'"]);
    expect(console.get("base-uri")).toEqual(["'self'"]);
    expect(console.get("form-action")).toEqual(["'self'"]);
    expect(externalSources(consoleContentSecurityPolicy(nonce))).toEqual([]);
  });

  it("lets public pages be framed by this origin only", () => {
    const policy = directives(publicContentSecurityPolicy());
    expect(policy.get("frame-ancestors")).toEqual(["'self'"]);
    expect(policy.get("object-src")).toEqual(["'none'"]);
    expect(policy.get("script-src")).not.toContain("'unsafe-eval'");
    expect(externalSources(publicContentSecurityPolicy())).toEqual([]);
  });

  it("loads a room's logo from any https host, and nothing else from outside, on public pages and the console", () => {
    for (const policy of [publicContentSecurityPolicy(), consoleContentSecurityPolicy("n")]) {
      expect(directives(policy).get("img-src")).toEqual(["'self'", "data:", "blob:", "https:"]);
      expect(directives(policy).get("connect-src")).toEqual(["'self'"]);
      expect(directives(policy).get("default-src")).toEqual(["'self'"]);
    }
  });

  it("allows eval only in development", () => {
    expect(directives(consoleContentSecurityPolicy("n", true)).get("script-src")).toContain("'unsafe-eval'");
    expect(directives(publicContentSecurityPolicy(true)).get("script-src")).toContain("'unsafe-eval'");
  });

  it("gives the gate's own page only its countdown script and no outside request", () => {
    const policy = directives(gatePageContentSecurityPolicy());
    expect(policy.get("default-src")).toEqual(["'none'"]);
    // The countdown script by its hash, nothing else: no 'unsafe-inline', no 'self'.
    expect(policy.get("script-src")).toEqual([retryScriptHash]);
    expect(policy.get("form-action")).toEqual(["'self'"]);
    expect(policy.has("img-src")).toBe(false);
  });

  it("lets the gate's own page load images from the room logo's origin only", () => {
    const headers = gatePageSecurityHeaders("https://cdn.example.com/brand/logo.png?v=2");
    const policy = directives(headers["content-security-policy"] ?? "");
    expect(policy.get("img-src")).toEqual(["https://cdn.example.com"]);
    expect(policy.get("default-src")).toEqual(["'none'"]);
    expect(directives(gatePageSecurityHeaders(null)["content-security-policy"] ?? "").has("img-src")).toBe(false);
  });

  it("makes a new 128-bit nonce each time", () => {
    const nonces = new Set(Array.from({ length: 1000 }, createNonce));
    expect(nonces.size).toBe(1000);
    for (const nonce of nonces) expect(Buffer.from(nonce, "base64")).toHaveLength(16);
  });
});

// next.config.ts's headers(), matched the way Next.js matches `source` patterns.
async function headersFor(pathname: string, phase = "phase-production-server"): Promise<Record<string, string>> {
  const rules = (await nextConfig(phase).headers?.()) ?? [];
  const out: Record<string, string> = {};
  for (const rule of rules) {
    if (!getPathMatch(rule.source, { strict: true, removeUnnamedParams: true })(pathname)) continue;
    for (const { key, value } of rule.headers) out[key] = value;
  }
  return out;
}

describe("next.config.ts headers", () => {
  it.each(["/admin", "/admin/", "/admin/sign-in", "/admin/rooms/default", "/admin/tokens"])(
    "%s: DENY framing; its CSP (with the nonce) comes from proxy.ts only",
    async (path) => {
      expect(isConsolePath(path.replace(/\/$/, "") || "/")).toBe(true);
      const headers = await headersFor(path);
      expect(headers["x-frame-options"]).toBe("DENY");
      expect(headers["x-content-type-options"]).toBe("nosniff");
      // Two CSP headers would both apply; the static one must not reach console pages.
      expect(headers["content-security-policy"]).toBeUndefined();
    },
  );

  it.each(["/", "/wait/default", "/shop", "/shop/item/1", "/administrator", "/api/admin/me", "/floodgate.js"])(
    "%s: the public policy",
    async (path) => {
      const headers = await headersFor(path);
      expect(headers["content-security-policy"]).toBe(publicContentSecurityPolicy());
      expect(headers["x-frame-options"]).toBe("SAMEORIGIN");
      expect(headers["x-content-type-options"]).toBe("nosniff");
      expect(headers["referrer-policy"]).toBe("strict-origin-when-cross-origin");
    },
  );

  it("adds eval to the public policy only for the development server", async () => {
    expect((await headersFor("/shop", "phase-development-server"))["content-security-policy"]).toBe(
      publicContentSecurityPolicy(true),
    );
  });
});
