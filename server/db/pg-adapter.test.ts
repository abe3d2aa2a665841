import { afterEach, describe, expect, it } from "vitest";
import { createPrismaClient, type PrismaClient } from "@/server/db/client";
import { tempDatabaseUrl } from "@/server/testing/temp-db";

// A transaction whose COMMIT PostgreSQL refuses must give its connection back (pg-adapter.ts).
// With a pool of one connection, a lost connection makes the next query wait for ever.

const opened: PrismaClient[] = [];
afterEach(async () => {
  await Promise.all(opened.splice(0).map((db) => db.$disconnect()));
});

function withinMs<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: no answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

describe("PostgreSQL transactions whose COMMIT fails", () => {
  it("release their connection: a pool of one still answers after each of three refused commits", async (context) => {
    const url = tempDatabaseUrl();
    if (!url.startsWith("postgres")) context.skip();
    const db = createPrismaClient(url, { maxConnections: 1 });
    opened.push(db);
    for (let n = 0; n < 3; n++) {
      // A deferred unique constraint is checked at COMMIT: the duplicate passes the INSERT and
      // fails the COMMIT, as a serialization failure found at commit does.
      const refused = db.$transaction(async (tx) => {
        await tx.$executeRawUnsafe(
          "CREATE TEMP TABLE once (id int UNIQUE DEFERRABLE INITIALLY DEFERRED) ON COMMIT DROP",
        );
        await tx.$executeRawUnsafe("INSERT INTO once VALUES (1), (1)");
      });
      await expect(withinMs(refused, 10_000, "the transaction")).rejects.toThrow(/duplicate key|unique/i);
      const rows = await withinMs(db.$queryRawUnsafe<{ one: number }[]>("SELECT 1 AS one"), 5_000, `query ${n}`);
      expect(rows).toEqual([{ one: 1 }]);
    }
  });

  it("leave nothing behind: the refused transaction's writes are gone", async (context) => {
    const url = tempDatabaseUrl();
    if (!url.startsWith("postgres")) context.skip();
    const db = createPrismaClient(url, { maxConnections: 1 });
    opened.push(db);
    await db.$executeRawUnsafe("CREATE TABLE kept (id int UNIQUE DEFERRABLE INITIALLY DEFERRED)");
    const refused = db.$transaction(async (tx) => {
      await tx.$executeRawUnsafe("INSERT INTO kept VALUES (7), (7)");
    });
    await expect(withinMs(refused, 10_000, "the transaction")).rejects.toThrow();
    const rows = await withinMs(db.$queryRawUnsafe<{ n: bigint }[]>("SELECT count(*) AS n FROM kept"), 5_000, "count");
    expect(Number(rows[0]?.n)).toBe(0);
  });
});
