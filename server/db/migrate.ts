import "server-only";
import { execFile } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { promisify } from "node:util";
import { createPrismaClient, databaseProvider } from "@/server/db/client";

const run = promisify(execFile);

/**
 * Applies committed migrations (prisma migrate deploy) before the app opens the database:
 * prisma.config.ts picks SQLite's or PostgreSQL's schema and migrations from DATABASE_URL.
 * On PostgreSQL several nodes may start at once: migrate deploy takes an advisory lock.
 *
 * Nothing is run when every migration is already applied. On SQLite that is what lets
 * `npm run admin` work beside a running server: Prisma's schema engine sets
 * `locking_mode=EXCLUSIVE`, which a WAL database cannot grant while another process has it
 * open (it fails with SQLITE_BUSY after the busy timeout, reported as "SocketTimeout"), so no
 * busy timeout or journal setting could make migrate deploy share the file.
 */
export async function applyMigrations(databaseUrl: string): Promise<void> {
  const sqlite = databaseProvider(databaseUrl) === "sqlite";
  const file = databaseUrl.replace(/^file:/, "");
  if (sqlite) fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  const pending = await pendingMigrations(databaseUrl);
  if (pending.length === 0) return;
  const prismaCli = require.resolve("prisma/build/index.js");
  try {
    await run(process.execPath, [prismaCli, "migrate", "deploy"], {
      env: { ...process.env, DATABASE_URL: databaseUrl, PRISMA_HIDE_UPDATE_MESSAGE: "1" },
      cwd: process.cwd(),
      timeout: 60_000,
    });
  } catch (error) {
    const output = (error as { stdout?: string; stderr?: string }).stderr ?? String(error);
    const where = sqlite ? file : redactUrl(databaseUrl);
    if (sqlite && /SQLITE_BUSY|SocketTimeout/.test(output)) {
      throw new Error(
        `Database migration failed for ${where}: ${pending.length} migration(s) to apply (${pending.join(", ")}) ` +
          "while another process has the database open (a running Floodgate?). Migrations need the SQLite " +
          "file to themselves: stop the server and start it again (it migrates on start), then retry.",
      );
    }
    throw new Error(`Database migration failed for ${where}: ${output.trim()}`);
  }
}

/** Committed migrations not yet applied to the database (all of them when it has none). */
export async function pendingMigrations(databaseUrl: string): Promise<string[]> {
  const sqlite = databaseProvider(databaseUrl) === "sqlite";
  const committed = committedMigrations(sqlite ? "prisma" : path.join("prisma", "postgres"));
  // A file that is not there yet is not created just to be read.
  if (sqlite && !fs.existsSync(databaseUrl.replace(/^file:/, ""))) return committed;
  const db = createPrismaClient(databaseUrl);
  try {
    const rows = await db.$queryRawUnsafe<{ migration_name: string }[]>(
      'SELECT migration_name FROM "_prisma_migrations" WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL',
    );
    const applied = new Set(rows.map((row) => row.migration_name));
    return committed.filter((name) => !applied.has(name));
  } catch {
    // No migrations table (a new database) or an unreadable one: let migrate deploy decide.
    return committed;
  } finally {
    await db.$disconnect();
  }
}

function committedMigrations(schemaDir: string): string[] {
  const dir = path.join(process.cwd(), schemaDir, "migrations");
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && fs.existsSync(path.join(dir, entry.name, "migration.sql")))
    .map((entry) => entry.name)
    .sort();
}

/** The URL without its password, for messages and logs. */
export function redactUrl(databaseUrl: string): string {
  return databaseUrl.replace(/^(\w+:\/\/[^:/@]*):[^@]*@/, "$1:***@");
}
