import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { startPostgres } from "@/server/testing/postgres";

// Builds one migrated database template per test run; tests copy it instead of migrating each
// time (server/testing/temp-db.ts). FLOODGATE_TEST_DATABASE=postgres: the template is a database
// in a throwaway PostgreSQL cluster started here for the run; otherwise a SQLite file.
export default async function setup() {
  if (process.env.FLOODGATE_TEST_DATABASE === "postgres") {
    const server = await startPostgres();
    const template = await server.createDatabase();
    migrate(template);
    process.env.FLOODGATE_TEST_PG_TEMPLATE = template;
    process.env.FLOODGATE_TEST_PG_BIN = server.binDir;
    return () => server.stop();
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "floodgate-unit-"));
  const template = path.join(dir, "template.db");
  migrate(`file:${template}`);
  process.env.FLOODGATE_TEST_DB_TEMPLATE = template;
  return () => fs.rmSync(dir, { recursive: true, force: true });
}

function migrate(databaseUrl: string) {
  execFileSync(process.execPath, [require.resolve("prisma/build/index.js"), "migrate", "deploy"], {
    env: { ...process.env, DATABASE_URL: databaseUrl, PRISMA_HIDE_UPDATE_MESSAGE: "1" },
    stdio: "pipe",
  });
}
