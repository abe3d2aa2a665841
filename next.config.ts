import type { NextConfig } from "next";
import { PHASE_DEVELOPMENT_SERVER } from "next/constants";
import { consoleSecurityHeaders, publicContentSecurityPolicy, publicSecurityHeaders } from "./server/security-headers";

const asList = (headers: Record<string, string>) => Object.entries(headers).map(([key, value]) => ({ key, value }));

export default function config(phase: string): NextConfig {
  const dev = phase === PHASE_DEVELOPMENT_SERVER;
  return {
    reactStrictMode: true,
    poweredByHeader: false,
    serverExternalPackages: ["better-sqlite3", "@prisma/adapter-better-sqlite3", "pino"],
    experimental: {
      // Next copies the body of every request the proxy (proxy.ts) sees, twice, up to this size
      // (10 MB by default), and the copy stays with the keep-alive connection after the answer:
      // 10 MB per idle connection for anyone who sends one. No page reads a body.
      proxyClientMaxBodySize: 16 * 1024,
    },
    // Framing and content policy for every response Next.js gives (server/security-headers.ts).
    // The console's Content-Security-Policy carries a per-response nonce, so proxy.ts sets it.
    async headers() {
      return [
        {
          source: "/:path((?!admin(?:/|$)).*)",
          headers: asList({ ...publicSecurityHeaders, "content-security-policy": publicContentSecurityPolicy(dev) }),
        },
        { source: "/:path(admin(?:/.*)?)", headers: asList(consoleSecurityHeaders) },
      ];
    },
  };
}
