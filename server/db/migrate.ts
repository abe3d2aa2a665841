import "server-only";
import { execFile } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { promisify } from "node:util";
import { databaseProvider } from "@/server/db/client";

const run = promisify(execFile);

/**
 * Applies committed migrations (prisma migrate deploy) before the app opens the database:
 * prisma.config.ts picks SQLite's or PostgreSQL's schema and migrations from DATABASE_URL.
 * On PostgreSQL several nodes may start at once: migrate deploy takes an advisory lock.
 */
export async function applyMigrations(databaseUrl: string): Promise<void> {
  const sqlite = databaseProvider(databaseUrl) === "sqlite";
  const file = databaseUrl.replace(/^file:/, "");
  if (sqlite) fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  const prismaCli = require.resolve("prisma/build/index.js");
  try {
    await run(process.execPath, [prismaCli, "migrate", "deploy"], {
      env: { ...process.env, DATABASE_URL: databaseUrl, PRISMA_HIDE_UPDATE_MESSAGE: "1" },
      cwd: process.cwd(),
      timeout: 60_000,
    });
  } catch (error) {
    const output = (error as { stdout?: string; stderr?: string }).stderr ?? String(error);
    throw new Error(`Database migration failed for ${sqlite ? file : redactUrl(databaseUrl)}: ${output.trim()}`);
  }
}

/** The URL without its password, for messages and logs. */
export function redactUrl(databaseUrl: string): string {
  return databaseUrl.replace(/^(\w+:\/\/[^:/@]*):[^@]*@/, "$1:***@");
}
