import "server-only";
import { randomBytes } from "node:crypto";
import type { ScaleEventRecord, ScaleEventStatus } from "@/server/admin/admin-types";
import type { PrismaClient } from "@/server/db/client";
import type { ScaleEvent as EventRow, Prisma } from "@/server/db/generated/client";
import type { PlannedEvent } from "@/server/schedule/capacity-plan";

// Scale events in SQL: the only module that queries ScaleEvent. Status moves forward only by
// conditional updates (`where { id, status: <expected> }`): the caller acts only when its update
// won, so a phase is applied once even with two schedulers on one database. Every write runs in
// a transaction of its own (the shared client may be inside the queue store's transaction).

export type StoredEvent = PlannedEvent & {
  roomId: string;
  preQueue: boolean;
  leadAtMs: number | null;
  startedAtMs: number | null;
  endedAtMs: number | null;
  cancelledAtMs: number | null;
  shuffleSeed: string | null;
  createdBy: string;
  createdAtMs: number;
};

export type NewEvent = {
  roomId: string;
  name: string;
  startsAtMs: number;
  endsAtMs: number;
  capacity: number;
  newUsersPerMinute: number | null;
  leadMinutes: number;
  preQueue: boolean;
  createdBy: string;
};

/** Fields an edit may change. */
export type EventChanges = Partial<
  Pick<NewEvent, "name" | "startsAtMs" | "endsAtMs" | "capacity" | "newUsersPerMinute" | "leadMinutes" | "preQueue">
>;

/** What a transition writes besides the new status. */
export type TransitionStamp = {
  leadAtMs?: number;
  startedAtMs?: number;
  endedAtMs?: number;
  cancelledAtMs?: number;
  shuffleSeed?: string | null;
};

/** Not final: the scheduler still has something to do with these. */
export const openStatuses = ["scheduled", "lead", "running"] as const satisfies readonly ScaleEventStatus[];

const ms = (date: Date | null) => (date === null ? null : date.getTime());
const date = (value: number | undefined) => (value === undefined ? undefined : new Date(value));

function toEvent(row: EventRow): StoredEvent {
  return {
    id: row.id,
    roomId: row.roomId,
    name: row.name,
    startsAtMs: row.startsAt.getTime(),
    endsAtMs: row.endsAt.getTime(),
    capacity: row.capacity,
    newUsersPerMinute: row.newUsersPerMinute,
    leadMinutes: row.leadMinutes,
    preQueue: row.preQueue,
    status: row.status as ScaleEventStatus,
    leadAtMs: ms(row.leadAt),
    startedAtMs: ms(row.startedAt),
    endedAtMs: ms(row.endedAt),
    cancelledAtMs: ms(row.cancelledAt),
    shuffleSeed: row.shuffleSeed,
    createdBy: row.createdBy,
    createdAtMs: row.createdAt.getTime(),
  };
}

const iso = (value: number | null) => (value === null ? null : new Date(value).toISOString());

/** The API's view of an event (the shuffle seed stays inside). */
export function toEventRecord(event: StoredEvent): ScaleEventRecord {
  return {
    id: event.id,
    roomId: event.roomId,
    name: event.name,
    startsAt: new Date(event.startsAtMs).toISOString(),
    endsAt: new Date(event.endsAtMs).toISOString(),
    capacity: event.capacity,
    newUsersPerMinute: event.newUsersPerMinute,
    leadMinutes: event.leadMinutes,
    preQueue: event.preQueue,
    status: event.status,
    leadAt: iso(event.leadAtMs),
    startedAt: iso(event.startedAtMs),
    endedAt: iso(event.endedAtMs),
    cancelledAt: iso(event.cancelledAtMs),
    createdBy: event.createdBy,
    createdAt: new Date(event.createdAtMs).toISOString(),
  };
}

export class ScaleEventStore {
  constructor(private readonly db: PrismaClient) {}

  async create(input: NewEvent): Promise<StoredEvent> {
    const row = await this.db.$transaction((tx) =>
      tx.scaleEvent.create({
        data: {
          id: `evt_${randomBytes(9).toString("base64url")}`,
          roomId: input.roomId,
          name: input.name,
          startsAt: new Date(input.startsAtMs),
          endsAt: new Date(input.endsAtMs),
          capacity: input.capacity,
          newUsersPerMinute: input.newUsersPerMinute,
          leadMinutes: input.leadMinutes,
          preQueue: input.preQueue,
          createdBy: input.createdBy,
        },
      }),
    );
    return toEvent(row);
  }

  async find(id: string): Promise<StoredEvent | null> {
    const row = await this.db.scaleEvent.findUnique({ where: { id } });
    return row ? toEvent(row) : null;
  }

  /** Events overlapping [fromMs, toMs], newest start first; every room's when roomId is absent. */
  async list(query: { roomId?: string; fromMs: number; toMs: number; limit: number }): Promise<StoredEvent[]> {
    const rows = await this.db.scaleEvent.findMany({
      where: {
        ...(query.roomId ? { roomId: query.roomId } : {}),
        endsAt: { gte: new Date(query.fromMs) },
        startsAt: { lte: new Date(query.toMs) },
      },
      orderBy: [{ startsAt: "desc" }, { id: "asc" }],
      take: query.limit,
    });
    return rows.map(toEvent);
  }

  /** Events not yet ended or cancelled (the scheduler's work), of one room or all, by start. */
  async listOpen(roomId?: string): Promise<StoredEvent[]> {
    const rows = await this.db.scaleEvent.findMany({
      where: { status: { in: [...openStatuses] }, ...(roomId ? { roomId } : {}) },
      orderBy: [{ startsAt: "asc" }, { id: "asc" }],
    });
    return rows.map(toEvent);
  }

  async countOpen(roomId: string): Promise<number> {
    return this.db.scaleEvent.count({ where: { roomId, status: { in: [...openStatuses] } } });
  }

  /** Events whose pre-queue order was drawn at a start since `sinceMs`: a restart re-applies it. */
  async listShuffledSince(sinceMs: number): Promise<StoredEvent[]> {
    const rows = await this.db.scaleEvent.findMany({
      where: { shuffleSeed: { not: null }, startsAt: { gte: new Date(sinceMs) }, status: { in: ["running", "ended"] } },
      orderBy: [{ startsAt: "asc" }, { id: "asc" }],
    });
    return rows.map(toEvent);
  }

  /**
   * Moves an event from `from` to `to`. Returns the updated event when this call made the change,
   * null when the event was not in `from` any more (someone else moved it first).
   */
  async transition(
    id: string,
    from: ScaleEventStatus,
    to: ScaleEventStatus,
    stamp: TransitionStamp,
  ): Promise<StoredEvent | null> {
    return this.updateIf(id, from, {
      status: to,
      leadAt: date(stamp.leadAtMs),
      startedAt: date(stamp.startedAtMs),
      endedAt: date(stamp.endedAtMs),
      cancelledAt: date(stamp.cancelledAtMs),
      shuffleSeed: stamp.shuffleSeed,
    });
  }

  /** Edits an event still in `expected`; null when its status moved on meanwhile. */
  async update(id: string, expected: ScaleEventStatus, changes: EventChanges): Promise<StoredEvent | null> {
    return this.updateIf(id, expected, {
      name: changes.name,
      startsAt: date(changes.startsAtMs),
      endsAt: date(changes.endsAtMs),
      capacity: changes.capacity,
      newUsersPerMinute: changes.newUsersPerMinute,
      leadMinutes: changes.leadMinutes,
      preQueue: changes.preQueue,
    });
  }

  private async updateIf(
    id: string,
    status: ScaleEventStatus,
    data: Prisma.ScaleEventUpdateManyMutationInput,
  ): Promise<StoredEvent | null> {
    return this.db.$transaction(async (tx) => {
      const { count } = await tx.scaleEvent.updateMany({ where: { id, status }, data });
      if (count !== 1) return null;
      const row = await tx.scaleEvent.findUnique({ where: { id } });
      return row ? toEvent(row) : null;
    });
  }
}

/**
 * The fields of an event the audit log records (named as the API names them): what an operator
 * sets, and its status. The console labels each (components/admin/audit/audit-fields.ts; its
 * test fails when one here has no label).
 */
export const auditedEventFields = [
  "name",
  "startsAt",
  "endsAt",
  "capacity",
  "newUsersPerMinute",
  "leadMinutes",
  "preQueue",
  "status",
] as const satisfies readonly (keyof ScaleEventRecord)[];

type AuditedEventField = (typeof auditedEventFields)[number];

/** The audit's view of an event: its audited fields (times as ISO). */
export function eventSummary(event: StoredEvent): Pick<ScaleEventRecord, AuditedEventField> {
  const record = toEventRecord(event);
  return Object.fromEntries(auditedEventFields.map((field) => [field, record[field]])) as Pick<
    ScaleEventRecord,
    AuditedEventField
  >;
}

/** The audit's view of some changed fields (times as ISO, named as the API names them). */
export function pickSummary(event: StoredEvent, fields: (keyof EventChanges)[]): Record<string, unknown> {
  const summary: Record<string, unknown> = eventSummary(event);
  const out: Record<string, unknown> = {};
  for (const field of fields) {
    const name = field === "startsAtMs" ? "startsAt" : field === "endsAtMs" ? "endsAt" : field;
    out[name] = summary[name];
  }
  return out;
}
