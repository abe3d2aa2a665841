import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type PrismaClient, sqliteConnectionOf } from "@/server/db/client";
import { sqlDialect } from "@/server/db/sql";
import {
  admitWrite,
  enterWrite,
  powerOfTwoChunks,
  removeWrite,
  runSync,
  type Statement,
  type Write,
} from "@/server/store/queue-writes";
import { SqliteQueueStore } from "@/server/store/sqlite-store";
import { testRoom } from "@/server/testing/room-fixture";
import { tempDatabaseUrl } from "@/server/testing/temp-db";

describe("powerOfTwoChunks", () => {
  it("keeps every item in order, in chunks of at most 512 whose sizes are powers of two", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 5_000 }), (n) => {
        const items = Array.from({ length: n }, (_, i) => i);
        const chunks = powerOfTwoChunks(items);
        expect(chunks.flat()).toEqual(items);
        for (const chunk of chunks) {
          expect(chunk.length).toBeLessThanOrEqual(512);
          expect(chunk.length & (chunk.length - 1)).toBe(0);
        }
        // Few statements: full 512s, then at most one chunk per smaller power of two.
        expect(chunks.length).toBeLessThanOrEqual(Math.floor(n / 512) + 9);
      }),
    );
  });
});

describe("writes as statements", () => {
  it("numbers arrivals from the counter's answer, in as few statement shapes as chunks", () => {
    const seen: Statement[] = [];
    const arrivals = Array.from({ length: 13 }, (_, i) => ({ id: `v${i}`, initialAhead: i, enteredAtMs: 0 }));
    const seqs = runSync(enterWrite(sqlDialect("sqlite"), "r1", arrivals), (statement) => {
      seen.push(statement);
      return statement.result === "rows" ? [{ nextSeq: 113n }] : statement.params.length / 5;
    });
    expect(seqs).toEqual(Array.from({ length: 13 }, (_, i) => 100 + i));
    // 13 = 8 + 4 + 1: one counter update, three inserts.
    expect(seen.map((s) => s.params.length)).toEqual([3, 40, 20, 5]);
    expect(seen[1]?.params.slice(0, 3)).toEqual(["v0", "r1", 100]);
  });

  it("numbers PostgreSQL's placeholders", () => {
    const [first] = (function* () {
      const write = enterWrite(sqlDialect("postgresql"), "r1", [{ id: "v", initialAhead: 0, enteredAtMs: 0 }]);
      yield write.next().value as Statement;
    })();
    expect(first?.text).toContain('"nextSeq" + $1, "arrivedTotal" = "arrivedTotal" + $2 WHERE "roomId" = $3');
  });
});

describe("query plans on SQLite", () => {
  it("finds entries by primary key, never scanning a room's line, for lists of any length", async (context) => {
    const url = tempDatabaseUrl();
    if (!url.startsWith("file:")) context.skip();
    const store = await SqliteQueueStore.open(url);
    try {
      await store.ensureRoom(testRoom({ id: "r1", name: "Room r1", capacity: 10_000, maxQueueLength: 10_000 }));
      const ids = Array.from({ length: 2_000 }, (_, i) => `v${i}`);
      await store.enter(
        "r1",
        ids.map((id) => ({ id, initialAhead: 0, enteredAtMs: 1 })),
      );
      const connection = await sqliteConnectionOf((store as unknown as { db: PrismaClient }).db);
      const dialect = sqlDialect("sqlite");
      for (const n of [1, 8, 64, 512]) {
        const some = ids.slice(0, n);
        const writes: Write<unknown>[] = [
          admitWrite(
            dialect,
            "r1",
            some.map((id, i) => ({ id, admissionNo: i + 1, admittedAtMs: 2 })),
            10_000,
          ),
          removeWrite(
            dialect,
            "r1",
            some.map((id) => ({ id, reason: "left" as const })),
          ),
        ];
        for (const write of writes) {
          // Answers as if every entry were waiting in r1, so each write reaches all its statements.
          runSync(write, (statement) => {
            const plan = connection.prepare(`EXPLAIN QUERY PLAN ${statement.text}`).all(...statement.params);
            const details = (plan as { detail: string }[]).map((row) => row.detail).join("; ");
            if (statement.text.includes('"QueueEntry"'))
              expect(details, statement.text).not.toMatch(/\bSCAN\b|QueueEntry_roomId_state/);
            if (statement.result === "changes") return 1;
            return statement.text.startsWith('SELECT "id"')
              ? statement.params.map((id) => ({ id, roomId: "r1", state: "waiting" }))
              : [{ nextSeq: 1 }];
          });
        }
      }
    } finally {
      await store.close();
    }
  });
});
