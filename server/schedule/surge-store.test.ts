import { afterAll, describe, expect, it } from "vitest";
import { openDatabase } from "@/server/db/database";
import { SurgeStore } from "@/server/schedule/surge-store";
import { tempDatabaseUrl } from "@/server/testing/temp-db";

// The store's read-then-write transactions under concurrency. On SQLite they run one at a time;
// on PostgreSQL (the second unit run) side by side, where only Serializable isolation and the
// client's retry keep two triggers from opening two surges.

const databases: { $disconnect(): Promise<void> }[] = [];
afterAll(async () => {
  for (const db of databases) await db.$disconnect();
});

describe("SurgeStore under concurrent triggers", () => {
  it("opens one surge for ten simultaneous triggers: one starts it, nine extend it", async () => {
    const db = await openDatabase(tempDatabaseUrl());
    databases.push(db);
    const store = new SurgeStore(db);
    const nowMs = Date.parse("2026-11-25T12:00:00Z");
    const results = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        store.startOrExtend({ roomId: "shop", capacity: 100 + i, holdMinutes: 30 + i, nowMs, startedBy: `key-${i}` }),
      ),
    );
    expect(results.filter((r) => r.action === "started")).toHaveLength(1);
    expect(results.filter((r) => r.action === "extended")).toHaveLength(9);
    const open = await db.surge.findMany({ where: { roomId: "shop", endedAt: null } });
    expect(open).toHaveLength(1);
    expect(open[0]).toMatchObject({ capacity: 109, extensions: 9 });
    expect(open[0]?.holdUntil.getTime()).toBe(nowMs + 39 * 60_000);
  });
});
