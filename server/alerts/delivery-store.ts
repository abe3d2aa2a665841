import "server-only";
import type { DeliveryKind, DeliveryRecord, DeliveryStatus, Page } from "@/server/admin/admin-types";
import type { PrismaClient } from "@/server/db/client";
import type { Delivery as DeliveryRow } from "@/server/db/generated/client";
import { readPage } from "@/server/db/page";

// The delivery log (table Delivery) and the rooms' notification channels (NotificationChannel):
// the only module that touches them. Every write runs in a transaction of its own: the process
// shares one SQLite connection with the queue store, and only a transaction takes its lock (a
// bare statement could land inside the queue store's open transaction and be rolled back with it).
// Status changes are conditional on the row still being on its way, so a row that is sent,
// failed or dropped never moves again.

export type NewDelivery = Pick<DeliveryRecord, "id" | "roomId" | "kind" | "topicArn" | "subject" | "message"> & {
  createdAtMs: number;
  expiresAtMs: number;
};

export type DeliveryFilter = { roomId?: string; status?: DeliveryStatus; page: number; pageSize: number };

const openStatuses: DeliveryStatus[] = ["pending", "retrying"];
const finishedStatuses: DeliveryStatus[] = ["sent", "failed", "dropped"];
const maxErrorLength = 500;

export class DeliveryStore {
  constructor(private readonly db: PrismaClient) {}

  // ---- the worker's side ---------------------------------------------------------------------

  async insert(delivery: NewDelivery): Promise<void> {
    await this.db.$transaction((tx) =>
      tx.delivery.create({
        data: {
          id: delivery.id,
          roomId: delivery.roomId,
          kind: delivery.kind,
          topicArn: delivery.topicArn,
          subject: delivery.subject,
          message: delivery.message,
          status: "pending",
          createdAt: new Date(delivery.createdAtMs),
          expiresAt: new Date(delivery.expiresAtMs),
          nextAttemptAt: new Date(delivery.createdAtMs),
        },
      }),
    );
  }

  /** Open deliveries whose next attempt is due and that are not yet too old, oldest first. */
  async due(nowMs: number, limit: number, excludeIds: string[]): Promise<DeliveryRecord[]> {
    if (limit <= 0) return [];
    const now = new Date(nowMs);
    const rows = await this.db.delivery.findMany({
      where: {
        status: { in: openStatuses },
        nextAttemptAt: { lte: now },
        expiresAt: { gt: now },
        ...exclude(excludeIds),
      },
      orderBy: [{ nextAttemptAt: "asc" }, { createdAt: "asc" }],
      take: limit,
    });
    return rows.map(toRecord);
  }

  /** When the worker next has something to do: the earliest next attempt or expiry of an open delivery. */
  async nextWakeAtMs(excludeIds: string[]): Promise<number | null> {
    const { _min } = await this.db.delivery.aggregate({
      where: { status: { in: openStatuses }, ...exclude(excludeIds) },
      _min: { nextAttemptAt: true, expiresAt: true },
    });
    const times = [_min.nextAttemptAt, _min.expiresAt].filter((t): t is Date => t !== null).map((t) => t.getTime());
    return times.length ? Math.min(...times) : null;
  }

  /**
   * Marks open deliveries past their time-to-live dropped, except those being sent right now
   * (their attempt decides). Returns how many were dropped.
   */
  async dropExpired(nowMs: number, excludeIds: string[], note: string): Promise<number> {
    const where = {
      status: { in: openStatuses },
      expiresAt: { lte: new Date(nowMs) },
      ...exclude(excludeIds),
    };
    // Most passes find nothing to drop: a read first spares them a write transaction.
    if ((await this.db.delivery.count({ where })) === 0) return 0;
    return this.db.$transaction(async (tx) => {
      // A delivery that never got an answer says why it was dropped; one that did keeps its last error.
      const silent = await tx.delivery.updateMany({
        where: { ...where, lastError: null },
        data: { status: "dropped", nextAttemptAt: null, lastError: note },
      });
      const failing = await tx.delivery.updateMany({ where, data: { status: "dropped", nextAttemptAt: null } });
      return silent.count + failing.count;
    });
  }

  /** Sent: final, whatever the row said meanwhile (an answer that came after the TTL still reached SNS). */
  async markSent(id: string, attempts: number, messageId: string, sentAtMs: number): Promise<void> {
    await this.db.$transaction((tx) =>
      tx.delivery.updateMany({
        where: { id, status: { not: "sent" } },
        data: { status: "sent", attempts, messageId, sentAt: new Date(sentAtMs), nextAttemptAt: null },
      }),
    );
  }

  async markRetrying(id: string, attempts: number, lastError: string, nextAttemptAtMs: number): Promise<void> {
    await this.db.$transaction((tx) =>
      tx.delivery.updateMany({
        where: { id, status: { in: openStatuses } },
        data: {
          status: "retrying",
          attempts,
          lastError: clip(lastError),
          nextAttemptAt: new Date(nextAttemptAtMs),
        },
      }),
    );
  }

  async markFailed(id: string, attempts: number, lastError: string): Promise<void> {
    await this.db.$transaction((tx) =>
      tx.delivery.updateMany({
        where: { id, status: { in: openStatuses } },
        data: { status: "failed", attempts, lastError: clip(lastError), nextAttemptAt: null },
      }),
    );
  }

  /**
   * Deletes finished deliveries created before `olderThanMs`, then the oldest finished ones
   * beyond the newest `keepRows`. Open deliveries stay (their TTL finishes them soon).
   */
  async prune(olderThanMs: number, keepRows: number): Promise<number> {
    return this.db.$transaction(async (tx) => {
      const old = await tx.delivery.deleteMany({
        where: { status: { in: finishedStatuses }, createdAt: { lt: new Date(olderThanMs) } },
      });
      const boundary = await tx.delivery.findFirst({
        orderBy: [{ createdAt: "desc" }, { id: "desc" }],
        skip: keepRows,
        select: { createdAt: true, id: true },
      });
      if (!boundary) return old.count;
      // The boundary row and everything after it in the same (createdAt, id) order.
      const excess = await tx.delivery.deleteMany({
        where: {
          status: { in: finishedStatuses },
          OR: [{ createdAt: { lt: boundary.createdAt } }, { createdAt: boundary.createdAt, id: { lte: boundary.id } }],
        },
      });
      return old.count + excess.count;
    });
  }

  // ---- the console's side --------------------------------------------------------------------

  /** Newest first. */
  async list(filter: DeliveryFilter): Promise<Page<DeliveryRecord>> {
    const where = {
      ...(filter.roomId ? { roomId: filter.roomId } : {}),
      ...(filter.status ? { status: filter.status } : {}),
    };
    return readPage(
      filter,
      () => this.db.delivery.count({ where }),
      (window) => this.db.delivery.findMany({ where, orderBy: [{ createdAt: "desc" }, { id: "desc" }], ...window }),
      toRecord,
    );
  }

  async channelTopic(roomId: string): Promise<string | null> {
    const row = await this.db.notificationChannel.findUnique({ where: { roomId } });
    return row?.topicArn ?? null;
  }

  /** Sets (or with null removes) a room's own topic; returns the one it had. */
  async setChannelTopic(roomId: string, topicArn: string | null): Promise<string | null> {
    return this.db.$transaction(async (tx) => {
      const before = await tx.notificationChannel.findUnique({ where: { roomId } });
      if (topicArn === null) {
        if (before) await tx.notificationChannel.delete({ where: { roomId } });
      } else {
        await tx.notificationChannel.upsert({ where: { roomId }, create: { roomId, topicArn }, update: { topicArn } });
      }
      return before?.topicArn ?? null;
    });
  }
}

function toRecord(row: DeliveryRow): DeliveryRecord {
  return {
    id: row.id,
    roomId: row.roomId,
    kind: row.kind as DeliveryKind,
    topicArn: row.topicArn,
    subject: row.subject,
    message: row.message,
    status: row.status as DeliveryStatus,
    attempts: row.attempts,
    lastError: row.lastError,
    createdAt: row.createdAt.toISOString(),
    expiresAt: row.expiresAt.toISOString(),
    sentAt: row.sentAt?.toISOString() ?? null,
    messageId: row.messageId,
  };
}

/** Leaves out the deliveries being sent right now. */
function exclude(ids: string[]) {
  return ids.length ? { id: { notIn: ids } } : {};
}

function clip(text: string): string {
  return text.length > maxErrorLength ? `${text.slice(0, maxErrorLength - 1)}…` : text;
}
