import fs from "node:fs";
import path from "node:path";
import { defineConfig } from "vitest/config";

const include = [
  "server/**/*.test.ts",
  "bench/**/*.test.ts",
  "components/**/*.test.ts",
  "app/**/*.test.ts",
  "proxy.test.ts",
  "scripts/**/*.test.ts",
];

// FLOODGATE_TEST_DATABASE=postgres (npm run test:unit runs it after the SQLite run): the test
// files that open a database run again, on PostgreSQL (server/testing/global-setup.ts). A file
// opens one when it imports the temp database or a fixture built on it.
const opensDatabase =
  /@\/server\/testing\/(temp-db|engine-fixture|schedule-fixture|admin-fixture)"|@\/server\/db\/client"/;
// Files that derive a folder from a file: database URL instead of calling testDataDir: on
// PostgreSQL they would write into the working directory, so they stay SQLite-only until fixed.
const derivesFolderFromUrl = /replace\(\/\^file:\//;
const postgres = process.env.FLOODGATE_TEST_DATABASE === "postgres";

function databaseTestFiles(): string[] {
  const found: string[] = [];
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const file = path.join(dir, entry.name);
      if (entry.isDirectory() && entry.name !== "node_modules") walk(file);
      else if (entry.name.endsWith(".test.ts")) found.push(file);
    }
  };
  for (const dir of ["server", "bench", "components", "app"]) walk(dir);
  return found.filter((file) => {
    const source = fs.readFileSync(file, "utf8");
    return opensDatabase.test(source) && !derivesFolderFromUrl.test(source);
  });
}

export default defineConfig({
  resolve: {
    alias: [
      { find: /^server-only$/, replacement: path.resolve("node_modules/server-only/empty.js") },
      { find: /^@\//, replacement: `${path.resolve(".")}/` },
    ],
  },
  test: {
    include: postgres ? databaseTestFiles() : include,
    environment: "node",
    testTimeout: 20_000,
    pool: "forks",
    globalSetup: ["server/testing/global-setup.ts"],
  },
});
