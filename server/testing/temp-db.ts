import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

// Fresh, migrated databases for tests. The global setup (server/testing/global-setup.ts) migrates
// one template per run: a SQLite file, or with FLOODGATE_TEST_DATABASE=postgres a database in a
// throwaway PostgreSQL cluster. Each call copies the template, which is much faster than migrating.

let created = 0;

/** A fresh, migrated database for one test; returns its URL (file: or postgresql://). */
export function tempDatabaseUrl(): string {
  const postgresTemplate = process.env.FLOODGATE_TEST_PG_TEMPLATE;
  if (postgresTemplate) return copyPostgresTemplate(postgresTemplate);
  const template = process.env.FLOODGATE_TEST_DB_TEMPLATE;
  if (!template) throw new Error("FLOODGATE_TEST_DB_TEMPLATE is not set: run tests through vitest (global setup)");
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "floodgate-test-"));
  const file = path.join(dir, "test.db");
  fs.copyFileSync(template, file);
  return `file:${file}`;
}

/**
 * A folder of one test's own files (secrets) that goes with its database: the database file's
 * folder for SQLite, a temp folder named after the database for PostgreSQL. Same URL, same folder.
 */
export function testDataDir(databaseUrl: string): string {
  if (databaseUrl.startsWith("file:")) return path.dirname(databaseUrl.replace(/^file:/, ""));
  const dir = path.join(os.tmpdir(), `floodgate-test-${new URL(databaseUrl).pathname.slice(1)}`);
  fs.mkdirSync(dir, { recursive: true });
  return dir;
}

// Synchronous, as the SQLite copy is (callers build fixtures in plain functions): PostgreSQL's
// createdb copies the template database's files.
function copyPostgresTemplate(templateUrl: string): string {
  const url = new URL(templateUrl);
  const name = `floodgate_test_${process.pid}_${++created}`;
  const binDir = process.env.FLOODGATE_TEST_PG_BIN ?? "";
  execFileSync(
    path.join(binDir, "createdb"),
    ["-h", url.hostname, "-p", url.port, "-U", url.username, "-T", url.pathname.slice(1), name],
    { stdio: ["ignore", "ignore", "pipe"] },
  );
  url.pathname = `/${name}`;
  return url.toString();
}
