import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

// Builds one migrated SQLite template per test run; tests copy it instead of migrating each time.
export default function setup() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "floodgate-unit-"));
  const template = path.join(dir, "template.db");
  execFileSync(process.execPath, [require.resolve("prisma/build/index.js"), "migrate", "deploy"], {
    env: { ...process.env, DATABASE_URL: `file:${template}`, PRISMA_HIDE_UPDATE_MESSAGE: "1" },
    stdio: "pipe",
  });
  process.env.FLOODGATE_TEST_DB_TEMPLATE = template;
  return () => fs.rmSync(dir, { recursive: true, force: true });
}
