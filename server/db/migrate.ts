import "server-only";
import { execFile } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);

/** Applies committed migrations (prisma migrate deploy) before the app opens the database. */
export async function applyMigrations(databaseUrl: string): Promise<void> {
  const file = databaseUrl.replace(/^file:/, "");
  fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  const prismaCli = require.resolve("prisma/build/index.js");
  try {
    await run(process.execPath, [prismaCli, "migrate", "deploy"], {
      env: { ...process.env, DATABASE_URL: databaseUrl, PRISMA_HIDE_UPDATE_MESSAGE: "1" },
      cwd: process.cwd(),
      timeout: 60_000,
    });
  } catch (error) {
    const output = (error as { stdout?: string; stderr?: string }).stderr ?? String(error);
    throw new Error(`Database migration failed for ${file}: ${output.trim()}`);
  }
}
