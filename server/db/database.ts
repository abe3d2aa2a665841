import "server-only";
import { createPrismaClient, databaseProvider, type PrismaClient } from "@/server/db/client";

export type DatabaseOptions = {
  /** SQLite only: `full` (the default) syncs the WAL on every commit; `normal` at checkpoints. */
  sqliteSynchronous?: "full" | "normal";
};

/** The process's one database client; SQLite is set up for a write-heavy single writer. */
export async function openDatabase(databaseUrl: string, options: DatabaseOptions = {}): Promise<PrismaClient> {
  const db = createPrismaClient(databaseUrl);
  if (databaseProvider(databaseUrl) === "sqlite") {
    // WAL: a commit is one append to the log. synchronous=FULL adds an fsync of the log per
    // commit, so a commit acknowledged to a visitor survives a power cut or an OS crash;
    // writes are group-committed (sqlite-store.ts), so that is one fsync per batch of
    // arrivals. NORMAL skips it: still nothing lost when the process is killed, but a power
    // cut can take the last commits (README, "What is durable").
    await db.$queryRawUnsafe("PRAGMA journal_mode = WAL");
    const synchronous = options.sqliteSynchronous === "normal" ? "NORMAL" : "FULL";
    await db.$executeRawUnsafe(`PRAGMA synchronous = ${synchronous}`);
    await db.$queryRawUnsafe("PRAGMA busy_timeout = 5000");
  } else {
    // Connect now, so a wrong URL or an unreachable server fails at start, not at first use.
    await db.$queryRawUnsafe("SELECT 1");
  }
  return db;
}
