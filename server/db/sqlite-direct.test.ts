import fs from "node:fs";
import { afterEach, describe, expect, it, vi } from "vitest";
import { createPrismaClient, type PrismaClient, sqliteConnectionOf } from "@/server/db/client";
import { openDatabase } from "@/server/db/database";
import { DirectSqlite } from "@/server/db/sqlite-direct";
import { WalSync } from "@/server/db/wal-sync";
import { tempDatabaseUrl } from "@/server/testing/temp-db";

// Direct transactions on the connection Prisma opened (sqlite-direct.ts).

const opened: PrismaClient[] = [];
afterEach(async () => {
  await Promise.all(opened.splice(0).map((db) => db.$disconnect()));
});

async function sqliteClient(context: { skip(): void }) {
  const url = tempDatabaseUrl();
  if (!url.startsWith("file:")) context.skip();
  const db = createPrismaClient(url);
  opened.push(db);
  await db.$executeRawUnsafe('CREATE TABLE "Note" ("id" TEXT PRIMARY KEY)');
  return { db, direct: new DirectSqlite(() => sqliteConnectionOf(db)) };
}

const insert = (id: string) => (execute: (sql: string, params: unknown[], rows: boolean) => unknown) =>
  execute('INSERT INTO "Note" ("id") VALUES (?)', [id], false);

async function notes(db: PrismaClient): Promise<string[]> {
  const rows = await db.$queryRawUnsafe<{ id: string }[]>('SELECT "id" FROM "Note" ORDER BY "id"');
  return rows.map((r) => r.id);
}

describe("DirectSqlite", () => {
  it("waits for an open Prisma transaction instead of running inside it", async (context) => {
    const { db, direct } = await sqliteClient(context);
    let inside!: () => void;
    const prismaInside = new Promise<void>((resolve) => {
      inside = resolve;
    });
    const prisma = db.$transaction(async (tx) => {
      await tx.$executeRawUnsafe('INSERT INTO "Note" ("id") VALUES (?)', "prisma");
      inside();
      await new Promise((resolve) => setTimeout(resolve, 50));
      throw new Error("rolled back on purpose");
    });
    await prismaInside;
    // Ran inside Prisma's open transaction, the direct write would be rolled back with it.
    const directDone = direct.transaction(insert("direct"));
    await expect(prisma).rejects.toThrow("rolled back on purpose");
    await directDone;
    expect(await notes(db)).toEqual(["direct"]);
  });

  it("rolls back all of its statements when the work throws, and the connection stays usable", async (context) => {
    const { db, direct } = await sqliteClient(context);
    const failing = direct.transaction((execute) => {
      insert("a")(execute);
      insert("a")(execute); // primary key: throws
    });
    await expect(failing).rejects.toThrow(/UNIQUE/);
    await direct.transaction(insert("b"));
    expect(await notes(db)).toEqual(["b"]);
    await db.$transaction(async (tx) => tx.$executeRawUnsafe('INSERT INTO "Note" ("id") VALUES (?)', "c"));
    expect(await notes(db)).toEqual(["b", "c"]);
  });

  it("prepares each statement once, and again after the client reconnects", async (context) => {
    const { db, direct } = await sqliteClient(context);
    const first = await sqliteConnectionOf(db);
    const prepare = vi.spyOn(first, "prepare");
    for (const id of ["1", "2", "3"]) await direct.transaction(insert(id));
    expect(prepare).toHaveBeenCalledTimes(1);
    await db.$disconnect();
    const second = await sqliteConnectionOf(db);
    expect(second).not.toBe(first);
    await direct.transaction(insert("4"));
    expect(await notes(db)).toEqual(["1", "2", "3", "4"]);
  });
});

describe("DirectSqlite durability (WAL, synchronous=FULL)", () => {
  async function walDatabase(context: { skip(): void }, synchronous: "full" | "normal") {
    const url = tempDatabaseUrl();
    if (!url.startsWith("file:")) context.skip();
    const db = await openDatabase(url, { sqliteSynchronous: synchronous });
    opened.push(db);
    await db.$executeRawUnsafe('CREATE TABLE "Note" ("id" TEXT PRIMARY KEY)');
    const syncs: { path: string; finish: () => void }[] = [];
    const wal = new WalSync((path) => new Promise<void>((resolve) => syncs.push({ path, finish: resolve })));
    return { db, url, syncs, direct: new DirectSqlite(() => sqliteConnectionOf(db), wal) };
  }

  it("resolves a commit only after a sync of the WAL, and leaves Prisma's connection on FULL", async (context) => {
    const { db, url, syncs, direct } = await walDatabase(context, "full");
    let done = false;
    const write = direct
      .transaction(insert("a"))
      .then(({ durable }) => durable)
      .then(() => {
        done = true;
      });
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(done).toBe(false);
    expect(syncs.map((s) => s.path)).toEqual([`${url.replace(/^file:/, "")}-wal`]);
    // Committed (visible), not yet acknowledged.
    expect(await notes(db)).toEqual(["a"]);
    syncs[0]?.finish();
    await write;
    const level = await db.$queryRawUnsafe<{ synchronous: bigint | number }[]>("PRAGMA synchronous");
    expect(Number(level[0]?.synchronous)).toBe(2);
  });

  it("syncs nothing itself when the database runs synchronous=NORMAL", async (context) => {
    const { syncs, direct } = await walDatabase(context, "normal");
    const { durable } = await direct.transaction(insert("a"));
    await durable;
    expect(syncs).toHaveLength(0);
  });
});

describe("DirectSqlite checkpoints (WAL)", () => {
  async function walNotes(context: { skip(): void }) {
    const url = tempDatabaseUrl();
    if (!url.startsWith("file:")) context.skip();
    const db = await openDatabase(url, { sqliteSynchronous: "normal" });
    opened.push(db);
    await db.$executeRawUnsafe('CREATE TABLE "Blob" ("id" INTEGER PRIMARY KEY, "data" BLOB)');
    const direct = new DirectSqlite(() => sqliteConnectionOf(db), new WalSync(), {
      minGapMs: 20,
      drainAtFrames: 256,
      idleMs: 50,
    });
    closers.push(() => direct.close());
    return { db, direct, walPath: `${url.replace(/^file:/, "")}-wal` };
  }
  const closers: (() => Promise<void>)[] = [];
  afterEach(async () => {
    await Promise.all(closers.splice(0).map((close) => close()));
  });
  const blob = (id: number) => (execute: (sql: string, params: unknown[], rows: boolean) => unknown) =>
    execute('INSERT INTO "Blob" ("id", "data") VALUES (?, ?)', [id, Buffer.alloc(16_384, id % 251)], false);
  const autoCheckpoint = async (db: PrismaClient) =>
    Number((await sqliteConnectionOf(db)).pragma("wal_autocheckpoint", { simple: true }));

  it("never checkpoints in a commit: a worker does, and the log stays bounded", async (context) => {
    const { db, direct, walPath } = await walNotes(context);
    await direct.transaction(blob(0));
    expect(await autoCheckpoint(db)).toBe(0);
    // 6.4 MB in 400 commits: without checkpoints the log would hold all of it; a checkpoint
    // beside steady commits never lets it restart, so it is drained at 256 pages (1 MiB).
    for (let id = 1; id <= 400; id++) {
      await direct.transaction(blob(id));
      await new Promise((resolve) => setTimeout(resolve, 1));
    }
    await vi.waitFor(() => expect(direct.checkpointer?.completed ?? 0).toBeGreaterThan(2), { timeout: 5_000 });
    expect(fs.statSync(walPath).size).toBeLessThan(2_000_000);
    const rows = await db.$queryRawUnsafe<{ n: bigint | number }[]>('SELECT COUNT(*) AS n FROM "Blob"');
    expect(Number(rows[0]?.n)).toBe(401);
  });

  it("checkpoints what Prisma commits too, with no direct commit to say so", async (context) => {
    const { db, direct } = await walNotes(context);
    await direct.transaction(blob(0));
    // The direct commit's own checkpoints are done (the log copied, nothing pending).
    await vi.waitFor(() => {
      const last = direct.checkpointer?.last;
      expect(last && last.checkpointed === last.log).toBe(true);
    });
    await new Promise((resolve) => setTimeout(resolve, 100));
    // 20 rows of 16 KiB through Prisma alone: 80 pages or more in the log, nobody nudging.
    for (let id = 1; id <= 20; id++) {
      await db.$executeRawUnsafe('INSERT INTO "Blob" ("id", "data") VALUES (?, ?)', id, Buffer.alloc(16_384, 1));
    }
    await vi.waitFor(
      () => {
        const last = direct.checkpointer?.last;
        expect(last?.log ?? 0).toBeGreaterThanOrEqual(80);
        expect(last?.checkpointed).toBe(last?.log);
      },
      { timeout: 5_000 },
    );
  });

  it("turns SQLite's own checkpoints back on when the worker fails", async (context) => {
    const { db, direct } = await walNotes(context);
    await direct.transaction(blob(0));
    const worker = (direct.checkpointer as unknown as { worker: { terminate(): Promise<number> } }).worker;
    const warned = new Promise((resolve) => process.once("warning", resolve));
    await worker.terminate();
    await warned;
    expect(await autoCheckpoint(db)).toBe(1000);
  });
});
