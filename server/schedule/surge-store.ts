import "server-only";
import { randomBytes } from "node:crypto";
import type { SurgePolicyRecord, SurgeRecord } from "@/server/admin/admin-types";
import type { PrismaClient } from "@/server/db/client";
import type { SurgePolicy as SurgePolicyRow, Surge as SurgeRow } from "@/server/db/generated/client";
import type { PlannedSurge } from "@/server/schedule/capacity-plan";

// Surges and surge policies in SQL: the only module that queries Surge and SurgePolicy.
// A room has at most one surge with endedAt null; starting or extending it happens in one
// transaction, and ending is a conditional update, so an end is applied (and announced) once.

export type SurgeEndReason = NonNullable<SurgeRecord["endReason"]>;

export type StoredSurge = PlannedSurge & {
  roomId: string;
  startedAtMs: number;
  extensions: number;
  startedBy: string;
  lowSinceMs: number | null;
  endReason: SurgeEndReason | null;
};

const minuteMs = 60_000;

function toSurge(row: SurgeRow): StoredSurge {
  return {
    id: row.id,
    roomId: row.roomId,
    capacity: row.capacity,
    startedAtMs: row.startedAt.getTime(),
    holdUntilMs: row.holdUntil.getTime(),
    extensions: row.extensions,
    startedBy: row.startedBy,
    lowSinceMs: row.lowSince?.getTime() ?? null,
    endedAtMs: row.endedAt?.getTime() ?? null,
    endReason: row.endReason as SurgeEndReason | null,
  };
}

export function toSurgeRecord(surge: StoredSurge): SurgeRecord {
  return {
    id: surge.id,
    roomId: surge.roomId,
    capacity: surge.capacity,
    startedAt: new Date(surge.startedAtMs).toISOString(),
    holdUntil: new Date(surge.holdUntilMs).toISOString(),
    extensions: surge.extensions,
    startedBy: surge.startedBy,
    endedAt: surge.endedAtMs === null ? null : new Date(surge.endedAtMs).toISOString(),
    endReason: surge.endReason,
  };
}

function toPolicy(row: SurgePolicyRow): SurgePolicyRecord {
  return {
    roomId: row.roomId,
    capacity: row.capacity,
    holdMinutes: row.holdMinutes,
    endBelowArrivalsPerMin: row.endBelowArrivalsPerMin,
    endAfterLowMinutes: row.endAfterLowMinutes,
    newUsersPerMinute: row.newUsersPerMinute,
  };
}

export class SurgeStore {
  constructor(private readonly db: PrismaClient) {}

  async policy(roomId: string): Promise<SurgePolicyRecord | null> {
    const row = await this.db.surgePolicy.findUnique({ where: { roomId } });
    return row ? toPolicy(row) : null;
  }

  async policies(): Promise<SurgePolicyRecord[]> {
    return (await this.db.surgePolicy.findMany()).map(toPolicy);
  }

  async setPolicy(policy: SurgePolicyRecord): Promise<SurgePolicyRecord> {
    const { roomId, ...values } = policy;
    const row = await this.db.$transaction((tx) =>
      tx.surgePolicy.upsert({ where: { roomId }, create: policy, update: values }),
    );
    return toPolicy(row);
  }

  /** Removes a room's surge policy (a deleted room's); nothing when it has none. */
  async deletePolicy(roomId: string): Promise<void> {
    await this.db.$transaction((tx) => tx.surgePolicy.deleteMany({ where: { roomId } }));
  }

  /** The room's surge that has not ended (its hold may be over: the scheduler ends it). */
  async current(roomId: string): Promise<StoredSurge | null> {
    const row = await this.db.surge.findFirst({ where: { roomId, endedAt: null }, orderBy: { startedAt: "desc" } });
    return row ? toSurge(row) : null;
  }

  /** Every surge that has not ended, in every room. */
  async listCurrent(): Promise<StoredSurge[]> {
    const rows = await this.db.surge.findMany({ where: { endedAt: null }, orderBy: { startedAt: "asc" } });
    return rows.map(toSurge);
  }

  async listRecent(roomId: string, limit: number): Promise<StoredSurge[]> {
    const rows = await this.db.surge.findMany({ where: { roomId }, orderBy: { startedAt: "desc" }, take: limit });
    return rows.map(toSurge);
  }

  /**
   * Starts a surge, or extends the one running: its hold to whichever ends later (now + hold,
   * or what it had), its capacity to the higher of the two. A surge whose hold is over but not
   * yet ended by the scheduler is ended here (hold_expired) and a new one started.
   */
  async startOrExtend(input: {
    roomId: string;
    capacity: number;
    holdMinutes: number;
    startedBy: string;
    nowMs: number;
  }): Promise<{
    action: "started" | "extended";
    surge: StoredSurge;
    /** The surge as it was before an extension. */
    previous: StoredSurge | null;
    /** A surge whose hold was over, ended here before the new one started. */
    expired: StoredSurge | null;
  }> {
    const holdUntilMs = input.nowMs + input.holdMinutes * minuteMs;
    return this.db.$transaction(async (tx) => {
      const row = await tx.surge.findFirst({
        where: { roomId: input.roomId, endedAt: null },
        orderBy: { startedAt: "desc" },
      });
      const running = row && row.holdUntil.getTime() > input.nowMs ? toSurge(row) : null;
      if (running) {
        const updated = await tx.surge.update({
          where: { id: running.id },
          data: {
            capacity: Math.max(running.capacity, input.capacity),
            holdUntil: new Date(Math.max(running.holdUntilMs, holdUntilMs)),
            extensions: { increment: 1 },
          },
        });
        return { action: "extended" as const, surge: toSurge(updated), previous: running, expired: null };
      }
      const expired = row
        ? toSurge(
            await tx.surge.update({
              where: { id: row.id },
              data: { endedAt: row.holdUntil, endReason: "hold_expired" },
            }),
          )
        : null;
      const created = await tx.surge.create({
        data: {
          id: `srg_${randomBytes(9).toString("base64url")}`,
          roomId: input.roomId,
          capacity: input.capacity,
          startedAt: new Date(input.nowMs),
          holdUntil: new Date(holdUntilMs),
          startedBy: input.startedBy,
        },
      });
      return { action: "started" as const, surge: toSurge(created), previous: null, expired };
    });
  }

  /** Ends a surge; null when it had already ended (someone else ended it first). */
  async end(id: string, reason: SurgeEndReason, nowMs: number): Promise<StoredSurge | null> {
    return this.db.$transaction(async (tx) => {
      const { count } = await tx.surge.updateMany({
        where: { id, endedAt: null },
        data: { endedAt: new Date(nowMs), endReason: reason },
      });
      if (count !== 1) return null;
      const row = await tx.surge.findUnique({ where: { id } });
      return row ? toSurge(row) : null;
    });
  }

  /** Marks (or clears, with null) since when traffic has been below the policy's threshold. */
  async setLowSince(id: string, lowSinceMs: number | null): Promise<void> {
    await this.db.$transaction((tx) =>
      tx.surge.updateMany({
        where: { id, endedAt: null },
        data: { lowSince: lowSinceMs === null ? null : new Date(lowSinceMs) },
      }),
    );
  }
}
