import pino from "pino";
import { describe, expect, it } from "vitest";
import { AuditStore, machineActor } from "@/server/admin/audit-store";
import { createPrismaClient } from "@/server/db/client";
import { tempDatabaseUrl } from "@/server/testing/temp-db";

describe("AuditStore.recordBy", () => {
  it("records a person's change with their address, and a machine's with no user id", async () => {
    const db = createPrismaClient(tempDatabaseUrl());
    const audit = new AuditStore(db, pino({ level: "silent" }));
    const person = {
      user: { id: "u1", email: "olga@example.com", name: "Olga", role: "operator" as const },
      ip: "10.0.0.1",
    };
    await audit.recordBy(person, { action: "event.cancel", roomId: "shop", target: "evt_1", reason: "postponed" });
    await audit.recordBy(machineActor("scheduler"), {
      action: "event.start",
      roomId: "shop",
      after: { capacity: 500 },
    });
    const rows = await db.auditEntry.findMany({ orderBy: { id: "asc" } });
    expect(rows.map((r) => [r.actorId, r.actorEmail, r.actorRole, r.ip, r.action])).toEqual([
      ["u1", "olga@example.com", "operator", "10.0.0.1", "event.cancel"],
      [null, "scheduler", "operator", null, "event.start"],
    ]);
    // The console tells the two apart: a machine is the system, not an operator.
    const listed = await audit.list({ page: 1, pageSize: 10 });
    expect(listed.items.map((item) => [item.actorEmail, item.actorKind])).toEqual([
      ["scheduler", "system"],
      ["olga@example.com", "person"],
    ]);
    await db.$disconnect();
  });

  it("never throws: a record that cannot be stored is logged", async () => {
    const db = createPrismaClient(tempDatabaseUrl());
    const logged: string[] = [];
    const logger = pino({ level: "error" }, { write: (line: string) => logged.push(line) });
    const audit = new AuditStore(db, logger);
    await db.$executeRawUnsafe('DROP TABLE "AuditEntry"');
    await expect(
      audit.recordBy(machineActor("scheduler"), { action: "surge.end", roomId: "shop" }),
    ).resolves.toBeUndefined();
    expect(JSON.parse(logged[0] ?? "{}")).toMatchObject({
      action: "surge.end",
      room: "shop",
      msg: "audit entry not stored",
    });
    await db.$disconnect();
  });
});
