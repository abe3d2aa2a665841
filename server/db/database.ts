import "server-only";
import { createPrismaClient, type PrismaClient } from "@/server/db/client";

/** The process's one database client, with SQLite set up for a write-heavy single writer. */
export async function openDatabase(databaseUrl: string): Promise<PrismaClient> {
  const db = createPrismaClient(databaseUrl);
  // WAL with synchronous=NORMAL: a commit is one append to the log, no fsync on the event
  // loop, and still nothing lost when the process is killed (only an OS crash or power cut
  // can take the last commits).
  await db.$queryRawUnsafe("PRAGMA journal_mode = WAL");
  await db.$executeRawUnsafe("PRAGMA synchronous = NORMAL");
  await db.$queryRawUnsafe("PRAGMA busy_timeout = 5000");
  return db;
}
