import path from "node:path";
import { defineConfig } from "vitest/config";

// The bench's own unit tests (npx vitest run --config bench/vitest.config.mts): the root
// config only includes server/, components/ and app/.
export default defineConfig({
  root: path.resolve(import.meta.dirname, ".."),
  resolve: { alias: [{ find: /^@\//, replacement: `${path.resolve(import.meta.dirname, "..")}/` }] },
  test: { include: ["bench/**/*.test.ts"], environment: "node" },
});
