import { describe, expect, it } from "vitest";
import { createPrismaClient, databaseProvider, isSerializationFailure, providerOf } from "@/server/db/client";
import { Prisma as SqlitePrisma } from "@/server/db/generated/client";
import { Prisma as PostgresPrisma } from "@/server/db/generated-pg/client";
import { sqlDialect, sqlTimestamp } from "@/server/db/sql";
import { parseEnv } from "@/server/env";
import { tempDatabaseUrl } from "@/server/testing/temp-db";

// The app types against the SQLite client and is handed the PostgreSQL one behind a cast: this
// holds only while both come from the same models. Runs on both databases (npm run test:unit).

const fieldEnums = (prisma: object) =>
  Object.fromEntries(
    Object.entries(prisma)
      .filter(([name]) => name.endsWith("ScalarFieldEnum"))
      .map(([name, fields]) => [name, Object.keys(fields as object).sort()]),
  );

describe("the two generated clients", () => {
  it("have the same models with the same fields", () => {
    expect(Object.keys(PostgresPrisma.ModelName).sort()).toEqual(Object.keys(SqlitePrisma.ModelName).sort());
    expect(Object.keys(SqlitePrisma.ModelName).length).toBeGreaterThan(10);
    expect(fieldEnums(PostgresPrisma)).toEqual(fieldEnums(SqlitePrisma));
  });

  it("expose the same model delegates, whichever URL made them", async () => {
    const sqlite = createPrismaClient("file:/nonexistent/never-opened.db");
    const postgres = createPrismaClient("postgresql://nobody@127.0.0.1:1/never_connected");
    expect(providerOf(sqlite)).toBe("sqlite");
    expect(providerOf(postgres)).toBe("postgresql");
    for (const model of Object.keys(SqlitePrisma.ModelName)) {
      const delegate = model.charAt(0).toLowerCase() + model.slice(1);
      for (const client of [sqlite, postgres]) {
        const methods = (client as unknown as Record<string, Record<string, unknown>>)[delegate];
        for (const method of ["findMany", "findUnique", "create", "update", "updateMany", "upsert", "deleteMany"]) {
          expect(typeof methods?.[method], `${delegate}.${method}`).toBe("function");
        }
      }
    }
    await Promise.all([sqlite.$disconnect(), postgres.$disconnect()]);
  });
});

describe("databaseProvider", () => {
  it.each([
    ["file:data/floodgate.db", "sqlite"],
    ["postgres://u:p@db:5432/floodgate", "postgresql"],
    ["postgresql://u@10.0.0.5/floodgate?sslmode=require", "postgresql"],
  ])("%s -> %s", (url, provider) => {
    expect(databaseProvider(url)).toBe(provider);
  });

  it.each(["mysql://u@db/floodgate", "data/floodgate.db", "postgresql:floodgate"])("refuses %s", (url) => {
    expect(() => databaseProvider(url)).toThrow(/Unsupported database URL/);
  });
});

describe("DATABASE_URL", () => {
  it.each(["file:data/floodgate.db", "postgres://u:p@db:5432/floodgate", "postgresql://u@db/floodgate"])(
    "accepts %s",
    (url) => {
      expect(parseEnv({ DATABASE_URL: url }).databaseUrl).toBe(url);
    },
  );

  it.each(["mysql://u@db/floodgate", "data/floodgate.db", "file:", "postgresql://"])("refuses %s, naming it", (url) => {
    expect(() => parseEnv({ DATABASE_URL: url })).toThrow(
      /DATABASE_URL: must be a SQLite file: URL .* or a PostgreSQL URL/,
    );
  });
});

describe("on the test database", () => {
  it("is the database this run is for", async () => {
    const db = createPrismaClient(tempDatabaseUrl());
    const expected = process.env.FLOODGATE_TEST_DATABASE === "postgres" ? "postgresql" : "sqlite";
    expect(providerOf(db)).toBe(expected);
    await db.$disconnect();
  });

  it("keeps milliseconds, 32-bit extremes and floats, and takes the raw SQL's placeholders and casts", async () => {
    const db = createPrismaClient(tempDatabaseUrl());
    const at = new Date("2026-05-01T12:34:56.789Z");
    await db.room.create({
      data: {
        id: "r",
        name: "R",
        capacity: 2_147_483_647,
        heartbeatIntervalMs: 5_000,
        heartbeatTimeoutMs: 15_000,
        maxQueueLength: -2_147_483_648,
        counters: { create: {} },
      },
    });
    await db.surge.create({
      data: { id: "s", roomId: "r", capacity: 1, startedAt: at, holdUntil: at, startedBy: "t" },
    });
    const room = await db.room.findUniqueOrThrow({ where: { id: "r" } });
    expect([room.capacity, room.maxQueueLength]).toEqual([2_147_483_647, -2_147_483_648]);
    expect((await db.surge.findUniqueOrThrow({ where: { id: "s" } })).startedAt.toISOString()).toBe(at.toISOString());

    const dialect = sqlDialect(providerOf(db));
    const later = Date.parse("2026-05-01T13:00:00.001Z");
    await db.$executeRawUnsafe(
      dialect.sql(`UPDATE "Surge" SET "lowSince" = CASE "id" WHEN ? THEN ${dialect.timestampParam} END WHERE "id" = ?`),
      "s",
      sqlTimestamp(later),
      "s",
    );
    expect((await db.surge.findUniqueOrThrow({ where: { id: "s" } })).lowSince?.getTime()).toBe(later);
    await db.$disconnect();
  });
});

describe("isSerializationFailure", () => {
  it.each([
    ["Prisma's P2034", Object.assign(new Error("Transaction failed due to a write conflict"), { code: "P2034" })],
    ["SQLSTATE 40001", { code: "40001", message: "could not serialize access" }],
    ["a deadlock", { code: "40P01" }],
    // Seen at COMMIT on PostgreSQL (surge-store.test.ts, ten simultaneous triggers): the
    // adapter's own error, never converted to P2034.
    [
      "the driver adapter's TransactionWriteConflict",
      Object.assign(new Error("TransactionWriteConflict"), {
        name: "DriverAdapterError",
        cause: { kind: "TransactionWriteConflict", originalCode: "40001" },
      }),
    ],
  ])("runs the transaction again after %s", (_, error) => {
    expect(isSerializationFailure(error)).toBe(true);
  });

  it.each([
    ["a unique violation", { code: "P2002", message: "Unique constraint failed" }],
    ["another adapter error", Object.assign(new Error("TableDoesNotExist"), { cause: { kind: "TableDoesNotExist" } })],
    ["nothing", undefined],
  ])("does not retry %s", (_, error) => {
    expect(isSerializationFailure(error)).toBe(false);
  });
});
