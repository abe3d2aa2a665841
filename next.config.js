// @ts-check
/** @type {import('next').NextConfig} */
const nextConfig = {
  reactStrictMode: true,
  poweredByHeader: false,
  serverExternalPackages: ["better-sqlite3", "@prisma/adapter-better-sqlite3", "pino"],
  experimental: {
    // Next copies the body of every request the proxy (proxy.ts) sees, twice, up to this size
    // (10 MB by default), and the copy stays with the keep-alive connection after the answer:
    // 10 MB per idle connection for anyone who sends one. No page reads a body.
    proxyClientMaxBodySize: 16 * 1024,
  },
};
module.exports = nextConfig;
