import path from "node:path";
import { defineConfig } from "vitest/config";

export default defineConfig({
  resolve: {
    alias: [
      { find: /^server-only$/, replacement: path.resolve("node_modules/server-only/empty.js") },
      { find: /^@\//, replacement: `${path.resolve(".")}/` },
    ],
  },
  test: {
    include: [
      "server/**/*.test.ts",
      "bench/**/*.test.ts",
      "components/**/*.test.ts",
      "app/**/*.test.ts",
      "proxy.test.ts",
    ],
    environment: "node",
    testTimeout: 20_000,
    pool: "forks",
    globalSetup: ["server/testing/global-setup.ts"],
  },
});
