import "server-only";
import type { AuditRecord, Page, Role } from "@/server/admin/admin-types";
import type { PrismaClient } from "@/server/db/client";
import type { Logger } from "@/server/log";

// The audit log: append-only, newest first. The only module that queries AuditEntry.

export type AuditInput = {
  actor: { id: string | null; email: string; role: Role };
  action: string;
  roomId?: string | null;
  target?: string | null;
  ip?: string | null;
  before?: unknown;
  after?: unknown;
  reason?: string | null;
};

/**
 * Who made a change: a signed-in person (AdminService's Actor fits) or a machine, which has no
 * user id (see machineActor).
 */
export type AuditActor = { user: { id: string | null; email: string; role: Role }; ip: string | null };

/** What was changed, for recordBy. */
export type AuditEntry = Omit<AuditInput, "actor" | "ip">;

/** A machine actor: "scheduler", or "api-key:<name>" for a surge trigger. Acts with operator rights. */
export function machineActor(email: string): AuditActor {
  return { user: { id: null, email, role: "operator" }, ip: null };
}

export type AuditFilter = { roomId?: string; action?: string; page: number; pageSize: number };

export class AuditStore {
  constructor(
    private readonly db: PrismaClient,
    private readonly logger: Logger,
  ) {}

  /**
   * Records a change that is already made. Never throws: the change cannot be taken back, so
   * losing its record is logged loudly instead of failing the caller.
   */
  async recordBy(actor: AuditActor, entry: AuditEntry): Promise<void> {
    try {
      await this.record({
        actor: { id: actor.user.id, email: actor.user.email, role: actor.user.role },
        ip: actor.ip,
        ...entry,
      });
    } catch (error) {
      this.logger.error(
        { err: error, action: entry.action, room: entry.roomId ?? undefined },
        "audit entry not stored",
      );
    }
  }

  async record(entry: AuditInput): Promise<void> {
    // In a transaction of its own: a plain write on the shared client could land inside the
    // queue store's open transaction and be rolled back with it.
    await this.db.$transaction((tx) =>
      tx.auditEntry.create({
        data: {
          actorId: entry.actor.id,
          actorEmail: entry.actor.email,
          actorRole: entry.actor.role,
          action: entry.action,
          roomId: entry.roomId ?? null,
          target: entry.target ?? null,
          ip: entry.ip ?? null,
          before: entry.before === undefined ? null : JSON.stringify(entry.before),
          after: entry.after === undefined ? null : JSON.stringify(entry.after),
          reason: entry.reason ?? null,
        },
      }),
    );
  }

  async list(filter: AuditFilter): Promise<Page<AuditRecord>> {
    const where = {
      ...(filter.roomId ? { roomId: filter.roomId } : {}),
      ...(filter.action ? { action: { startsWith: filter.action } } : {}),
    };
    const [total, rows] = await Promise.all([
      this.db.auditEntry.count({ where }),
      this.db.auditEntry.findMany({
        where,
        orderBy: { id: "desc" },
        skip: (filter.page - 1) * filter.pageSize,
        take: filter.pageSize,
      }),
    ]);
    return {
      total,
      page: filter.page,
      pageSize: filter.pageSize,
      items: rows.map((row) => ({
        id: row.id,
        at: row.at.toISOString(),
        actorEmail: row.actorEmail,
        actorRole: row.actorRole as Role,
        // Machines (machineActor) have no user id; every person acting in the console has one.
        actorKind: row.actorId === null ? ("system" as const) : ("person" as const),
        action: row.action,
        roomId: row.roomId,
        target: row.target,
        ip: row.ip,
        before: parseJson(row.before),
        after: parseJson(row.after),
        reason: row.reason,
      })),
    };
  }
}

function parseJson(text: string | null): unknown {
  if (text === null) return null;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
