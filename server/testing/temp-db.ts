import fs from "node:fs";
import os from "node:os";
import path from "node:path";

/** A fresh, migrated SQLite database file for one test; returns its file: URL. */
export function tempDatabaseUrl(): string {
  const template = process.env.FLOODGATE_TEST_DB_TEMPLATE;
  if (!template) throw new Error("FLOODGATE_TEST_DB_TEMPLATE is not set: run tests through vitest (global setup)");
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "floodgate-test-"));
  const file = path.join(dir, "test.db");
  fs.copyFileSync(template, file);
  return `file:${file}`;
}
