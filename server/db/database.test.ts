import { afterEach, describe, expect, it } from "vitest";
import { type PrismaClient, providerOf } from "@/server/db/client";
import { openDatabase } from "@/server/db/database";
import { tempDatabaseUrl } from "@/server/testing/temp-db";

// How hard SQLite pushes a commit to the disk (README, "What is durable"): WAL always, and
// synchronous=FULL (an fsync of the log on every commit: an acknowledged place survives a
// power cut) or NORMAL (fsync at checkpoints only: survives a process crash, not a power cut).

const opened: PrismaClient[] = [];
afterEach(async () => {
  await Promise.all(opened.splice(0).map((db) => db.$disconnect()));
});

async function pragma(db: PrismaClient, name: string): Promise<unknown> {
  const rows = (await db.$queryRawUnsafe(`PRAGMA ${name}`)) as Record<string, unknown>[];
  return Object.values(rows[0] ?? {})[0];
}

describe("openDatabase (SQLite)", () => {
  it("runs WAL with synchronous=FULL by default and NORMAL when asked", async (context) => {
    const url = tempDatabaseUrl();
    if (!url.startsWith("file:")) context.skip();
    const full = await openDatabase(url);
    opened.push(full);
    expect(providerOf(full)).toBe("sqlite");
    expect(String(await pragma(full, "journal_mode")).toLowerCase()).toBe("wal");
    // PRAGMA synchronous answers 0 OFF, 1 NORMAL, 2 FULL, 3 EXTRA.
    expect(Number(await pragma(full, "synchronous"))).toBe(2);

    const normal = await openDatabase(tempDatabaseUrl(), { sqliteSynchronous: "normal" });
    opened.push(normal);
    expect(Number(await pragma(normal, "synchronous"))).toBe(1);
  });
});
