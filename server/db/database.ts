import "server-only";
import { createPrismaClient, databaseProvider, type PrismaClient } from "@/server/db/client";

/** The process's one database client; SQLite is set up for a write-heavy single writer. */
export async function openDatabase(databaseUrl: string): Promise<PrismaClient> {
  const db = createPrismaClient(databaseUrl);
  if (databaseProvider(databaseUrl) === "sqlite") {
    // WAL with synchronous=NORMAL: a commit is one append to the log, no fsync on the event
    // loop, and still nothing lost when the process is killed (only an OS crash or power cut
    // can take the last commits).
    await db.$queryRawUnsafe("PRAGMA journal_mode = WAL");
    await db.$executeRawUnsafe("PRAGMA synchronous = NORMAL");
    await db.$queryRawUnsafe("PRAGMA busy_timeout = 5000");
  } else {
    // Connect now, so a wrong URL or an unreachable server fails at start, not at first use.
    await db.$queryRawUnsafe("SELECT 1");
  }
  return db;
}
