import { createRequire } from "node:module";
import path from "node:path";
import { request } from "undici";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ManagedProcess, startEnterFloorServer } from "@/bench/server-process";

// The floor must do the durable work it stands for, or its ratio says nothing: every 201 is a
// row in the app's schema, in order, before the reply, and every token is signed and distinct.

type Db = { prepare(sql: string): { all(): unknown[] }; close(): void };
const BetterSqlite = createRequire(path.join(process.cwd(), "package.json"))("better-sqlite3") as new (
  file: string,
  options: { readonly: boolean },
) => Db;

describe("enter floor server", () => {
  let floor: ManagedProcess;
  beforeAll(async () => {
    floor = await startEnterFloorServer();
  }, 40_000);
  afterAll(async () => {
    await floor?.stop();
  });

  it("answers each arrival after its row is committed, places in order, tokens distinct", async () => {
    const replies = await Promise.all(
      Array.from({ length: 40 }, async () => {
        const res = await request(`${floor.origin}/api/queue/default/enter`, { method: "POST" });
        const body = (await res.body.json()) as { token: string; status: { position: number } };
        return { code: res.statusCode, cookie: String(res.headers["set-cookie"]), ...body };
      }),
    );
    expect(replies.every((r) => r.code === 201)).toBe(true);
    expect(new Set(replies.map((r) => r.token)).size).toBe(40);
    expect(replies.map((r) => r.status.position).sort((a, b) => a - b)).toEqual(
      Array.from({ length: 40 }, (_, i) => i + 1),
    );
    for (const r of replies) {
      expect(r.token).toMatch(/^[\w-]+\.[\w-]+\.[\w-]{43}$/);
      expect(r.cookie).toContain(r.token);
    }
    const db = new BetterSqlite(path.join(floor.dataDir ?? "", "floor.db"), { readonly: true });
    try {
      const rows = db.prepare(`SELECT "seq", "state" FROM "QueueEntry" ORDER BY "seq"`).all() as {
        seq: number;
        state: string;
      }[];
      expect(rows.map((row) => row.seq)).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
      expect(rows.every((row) => row.state === "waiting")).toBe(true);
    } finally {
      db.close();
    }
  }, 30_000);
});
