import "server-only";
import { type PrismaClient, providerOf } from "@/server/db/client";
import { openDatabase } from "@/server/db/database";
import { type SqlDialect, sqlDialect, sqlTimestamp } from "@/server/db/sql";
import { type RoomConfig, type RoomMode, type RoomSettings, roomModes } from "@/server/queue/types";
import {
  type Admission,
  type Arrival,
  pickRoomSettings,
  type QueueStore,
  type Removal,
  type RoomCounters,
  StoreConflictError,
  type StoredEntry,
} from "@/server/store/queue-store";
import { type Settle, settleBoth } from "@/server/store/settle";

// The embedded store: SQLite through Prisma. Writes are group-committed: every write joins
// the next transaction, and a transaction starts as soon as the previous one ends, so under
// a flood many arrivals share one commit while a lone arrival waits for nobody. A caller's
// promise resolves only after its transaction committed: a reply sent after it survives kill -9.

const maxOpsPerCommit = 500;
const insertChunkRows = 1_000;
/** Ids per ORM `in` list: Prisma refuses queries with more than 999 bound parameters on SQLite. */
const idChunk = 500;
/** Rows per raw admission UPDATE (five parameters each), under SQLite's 32,766. */
const admitChunkRows = 1_000;
/** The Int columns are 32-bit: an unlimited capacity (passthrough) is clamped to this. */
const maxInt32 = 2_147_483_647;

type Tx = Parameters<Parameters<PrismaClient["$transaction"]>[0]>[0];

type Op =
  | { kind: "enter"; roomId: string; arrivals: Arrival[]; done: Settle<number[]> }
  | { kind: "admit"; roomId: string; admissions: Admission[]; capacity: number; done: Settle<void> }
  | { kind: "remove"; roomId: string; removals: Removal[]; done: Settle<void> }
  | { kind: "createRoom"; roomId: string; room: RoomConfig; done: Settle<RoomConfig> }
  | { kind: "updateRoom"; roomId: string; patch: Partial<RoomSettings>; done: Settle<RoomConfig> }
  | { kind: "deleteRoom"; roomId: string; done: Settle<void> };

/** Room settings changes commit alone, in queue order (see takeBatch). */
const isSettingsOp = (op: Op): boolean =>
  op.kind === "createRoom" || op.kind === "updateRoom" || op.kind === "deleteRoom";

export class SqliteQueueStore implements QueueStore {
  private pending: Op[] = [];
  private flushing: Promise<void> | null = null;
  /** The raw statements below run on SQLite and, for a shared config database, PostgreSQL. */
  private readonly dialect: SqlDialect;

  constructor(private readonly db: PrismaClient) {
    this.dialect = sqlDialect(providerOf(db));
  }

  /** A store on its own database client (tests, tools); the app shares one client (server/floodgate.ts). */
  static async open(databaseUrl: string): Promise<SqliteQueueStore> {
    return new SqliteQueueStore(await openDatabase(databaseUrl));
  }

  async listRooms(): Promise<RoomConfig[]> {
    const rows = await this.db.room.findMany({ orderBy: { createdAt: "asc" } });
    return rows.map(toRoomConfig);
  }

  async ensureRoom(room: RoomConfig): Promise<RoomConfig> {
    const row = await this.db.room.upsert({
      where: { id: room.id },
      update: {},
      create: roomCreateData(room),
    });
    return toRoomConfig(row);
  }

  createRoom(room: RoomConfig): Promise<RoomConfig> {
    return new Promise((resolve, reject) =>
      this.queue({ kind: "createRoom", roomId: room.id, room, done: { resolve, reject } }),
    );
  }

  updateRoom(roomId: string, patch: Partial<RoomSettings>): Promise<RoomConfig> {
    return new Promise((resolve, reject) =>
      this.queue({ kind: "updateRoom", roomId, patch, done: { resolve, reject } }),
    );
  }

  deleteRoom(roomId: string): Promise<void> {
    return new Promise((resolve, reject) => this.queue({ kind: "deleteRoom", roomId, done: { resolve, reject } }));
  }

  async loadRoomState(roomId: string): Promise<{ counters: RoomCounters; entries: StoredEntry[] }> {
    const counters = await this.db.roomCounters.upsert({ where: { roomId }, update: {}, create: { roomId } });
    const rows = await this.db.queueEntry.findMany({ where: { roomId }, orderBy: { seq: "asc" } });
    return {
      counters,
      entries: rows.map((r) => ({
        id: r.id,
        seq: r.seq,
        state: r.state === "admitted" ? "admitted" : "waiting",
        initialAhead: r.initialAhead,
        enteredAtMs: r.enteredAt.getTime(),
        admittedAtMs: r.admittedAt?.getTime() ?? null,
        admissionNo: r.admissionNo,
      })),
    };
  }

  enter(roomId: string, arrivals: Arrival[]): Promise<number[]> {
    return new Promise((resolve, reject) => this.queue({ kind: "enter", roomId, arrivals, done: { resolve, reject } }));
  }

  admit(roomId: string, admissions: Admission[], capacity: number): Promise<void> {
    return new Promise((resolve, reject) =>
      this.queue({ kind: "admit", roomId, admissions, capacity, done: { resolve, reject } }),
    );
  }

  remove(roomId: string, removals: Removal[]): Promise<void> {
    return new Promise((resolve, reject) =>
      this.queue({ kind: "remove", roomId, removals, done: { resolve, reject } }),
    );
  }

  async close(): Promise<void> {
    while (this.flushing) await this.flushing;
    await this.db.$disconnect();
  }

  private queue(op: Op): void {
    this.pending.push(op);
    if (!this.flushing) this.flushing = this.flushLoop();
  }

  private async flushLoop(): Promise<void> {
    // Let the arrivals of this event-loop turn join the first commit.
    await new Promise((resolve) => setImmediate(resolve));
    while (this.pending.length) {
      // Bounded commits, with a turn of the event loop between them: a flood of arrivals
      // must not hold heartbeats up behind one long transaction.
      const batch = this.takeBatch();
      try {
        await this.commit(batch);
      } catch {
        // One bad write must not fail its neighbours: replay the batch one op per transaction.
        for (const op of batch) await this.commit([op]).catch((error: unknown) => op.done.reject(error));
      }
      if (this.pending.length) await new Promise((resolve) => setImmediate(resolve));
    }
    this.flushing = null;
  }

  /**
   * The next ops to commit together. A room settings change commits alone, after everything
   * queued before it and before everything queued after it: coalescing moves arrivals to the
   * front of a batch, and an arrival must not jump ahead of its room's creation or deletion.
   */
  private takeBatch(): Op[] {
    const first = this.pending[0];
    if (first && isSettingsOp(first)) return this.pending.splice(0, 1);
    let end = 1;
    while (end < this.pending.length && end < maxOpsPerCommit && !isSettingsOp(this.pending[end] as Op)) end++;
    return this.pending.splice(0, end);
  }

  private async commit(batch: Op[]): Promise<void> {
    const ops = coalesce(batch);
    const outcomes: (() => void)[] = [];
    await this.db.$transaction(async (tx) => {
      for (const op of ops) outcomes.push(await this.apply(tx, op));
    });
    for (const settle of outcomes) settle();
  }

  /** Runs one op inside the batch transaction; returns how to settle its promise after commit. */
  private async apply(tx: Tx, op: Op): Promise<() => void> {
    switch (op.kind) {
      case "enter": {
        const n = op.arrivals.length;
        // The atomic counter hands out the places; raw SQL skips the ORM's per-call query planning.
        const [counters] = await tx.$queryRawUnsafe<{ nextSeq: number | bigint }[]>(
          this.dialect.sql(
            `UPDATE "RoomCounters" SET "nextSeq" = "nextSeq" + ?, "arrivedTotal" = "arrivedTotal" + ? WHERE "roomId" = ? RETURNING "nextSeq"`,
          ),
          n,
          n,
          op.roomId,
        );
        if (!counters) throw new Error(`no counters for room ${op.roomId}`);
        const first = Number(counters.nextSeq) - n;
        const seqs = op.arrivals.map((_, i) => first + i);
        // Multi-row INSERTs through Prisma's raw path: createMany spends most of a flood's
        // CPU building per-row query plans. Chunks stay under SQLite's bound-parameter limit.
        for (let start = 0; start < n; start += insertChunkRows) {
          const chunk = op.arrivals.slice(start, start + insertChunkRows);
          await tx.$executeRawUnsafe(
            this.dialect.sql(
              `INSERT INTO "QueueEntry" ("id", "roomId", "seq", "state", "initialAhead", "enteredAt") VALUES ${chunk.map(() => "(?, ?, ?, 'waiting', ?, ?)").join(", ")}`,
            ),
            ...chunk.flatMap((a, i) => [
              a.id,
              op.roomId,
              first + start + i,
              a.initialAhead,
              sqlTimestamp(a.enteredAtMs),
            ]),
          );
        }
        return () => op.done.resolve(seqs);
      }
      case "admit": {
        const conflict = await this.admitConditionally(tx, op.roomId, op.admissions, op.capacity);
        return conflict ? () => op.done.reject(new StoreConflictError(conflict)) : () => op.done.resolve();
      }
      case "remove": {
        // The stored state, not the caller's belief, decides what the active count loses.
        const stateOf = new Map<string, string>();
        const allIds = op.removals.map((r) => r.id);
        for (const ids of chunks(allIds, idChunk)) {
          const rows = await tx.queueEntry.findMany({
            where: { roomId: op.roomId, id: { in: ids } },
            select: { id: true, state: true },
          });
          for (const row of rows) stateOf.set(row.id, row.state);
          if (rows.length) await tx.queueEntry.deleteMany({ where: { id: { in: rows.map((r) => r.id) } } });
        }
        // A removal filed twice (a retry) counts once.
        const removed = new Map(op.removals.filter((r) => stateOf.has(r.id)).map((r) => [r.id, r.reason]));
        // Nothing found (all gone already, or the room was deleted): no counters to touch.
        if (!removed.size) return () => op.done.resolve();
        const count = (reason: Removal["reason"]) => [...removed.values()].filter((r) => r === reason).length;
        await tx.roomCounters.update({
          where: { roomId: op.roomId },
          data: {
            active: { decrement: [...removed.keys()].filter((id) => stateOf.get(id) === "admitted").length },
            expiredTotal: { increment: count("expired") },
            leftTotal: { increment: count("left") },
            evictedTotal: { increment: count("evicted") },
          },
        });
        return () => op.done.resolve();
      }
      case "createRoom": {
        const existing = await tx.room.findUnique({ where: { id: op.roomId }, select: { id: true } });
        if (existing) {
          return () => op.done.reject(new StoreConflictError(`room ${op.roomId} already exists`));
        }
        const row = await tx.room.create({ data: roomCreateData(op.room) });
        return () => op.done.resolve(toRoomConfig(row));
      }
      case "updateRoom": {
        const existing = await tx.room.findUnique({ where: { id: op.roomId } });
        if (!existing) return () => op.done.reject(new StoreConflictError(`no room ${op.roomId}`));
        const data = roomColumns(op.patch);
        const changed = Object.values(data).some((value) => value !== undefined);
        const row = changed ? await tx.room.update({ where: { id: op.roomId }, data }) : existing;
        return () => op.done.resolve(toRoomConfig(row));
      }
      case "deleteRoom": {
        // Explicit rather than by foreign-key cascade: SQLite enforces foreign keys only when
        // the connection enables them.
        await tx.queueEntry.deleteMany({ where: { roomId: op.roomId } });
        await tx.roomCounters.deleteMany({ where: { roomId: op.roomId } });
        await tx.room.deleteMany({ where: { id: op.roomId } });
        return () => op.done.resolve();
      }
    }
  }

  /** Returns a conflict message, or null after writing the admissions. */
  private async admitConditionally(tx: Tx, roomId: string, admissions: Admission[], capacity: number) {
    const n = admissions.length;
    let waiting = 0;
    const allIds = admissions.map((a) => a.id);
    for (const ids of chunks(allIds, idChunk)) {
      waiting += await tx.queueEntry.count({ where: { roomId, state: "waiting", id: { in: ids } } });
    }
    if (waiting !== n) return `only ${waiting} of ${n} entries are still waiting`;
    let lastNo = 0;
    for (const a of admissions) lastNo = Math.max(lastNo, a.admissionNo);
    const grown = await tx.roomCounters.updateMany({
      where: { roomId, active: { lte: Math.min(capacity, maxInt32) - n } },
      data: { active: { increment: n }, admittedTotal: { increment: n }, nextAdmission: lastNo + 1 },
    });
    if (grown.count !== 1) return `admitting ${n} would exceed capacity ${capacity}`;
    // Few statements for the whole batch (a capacity raise can admit thousands at once).
    // Timestamps are written in the ISO form Prisma uses for SQLite DateTime columns (sqlTimestamp).
    for (const chunk of chunks(admissions, admitChunkRows)) {
      // CASE branches give PostgreSQL no column to infer a type from: the values are cast.
      const numbers = chunk.map(() => "WHEN ? THEN CAST(? AS INTEGER)").join(" ");
      const times = chunk.map(() => `WHEN ? THEN ${this.dialect.timestampParam}`).join(" ");
      const placeholders = chunk.map(() => "?").join(",");
      await tx.$executeRawUnsafe(
        this.dialect.sql(
          `UPDATE "QueueEntry" SET "state" = 'admitted', "admissionNo" = CASE "id" ${numbers} END, "admittedAt" = CASE "id" ${times} END WHERE "id" IN (${placeholders})`,
        ),
        ...chunk.flatMap((a) => [a.id, a.admissionNo]),
        ...chunk.flatMap((a) => [a.id, sqlTimestamp(a.admittedAtMs)]),
        ...chunk.map((a) => a.id),
      );
    }
    return null;
  }
}

/**
 * Fewer, larger statements: all arrivals of a room become one counter increment and one
 * insert, and back-to-back removals of a room one delete. Arrivals go first: they are
 * independent of admissions and removals, which keep their order (a removal must land
 * before the admission that reuses its slot).
 */
function coalesce(batch: Op[]): Op[] {
  const enters = new Map<string, Extract<Op, { kind: "enter" }>[]>();
  const rest: Op[] = [];
  for (const op of batch) {
    if (op.kind === "enter") {
      const list = enters.get(op.roomId);
      if (list) list.push(op);
      else enters.set(op.roomId, [op]);
      continue;
    }
    const previous = rest[rest.length - 1];
    if (op.kind === "remove" && previous?.kind === "remove" && previous.roomId === op.roomId) {
      rest[rest.length - 1] = mergeRemovals(previous, op);
      continue;
    }
    rest.push(op);
  }
  const merged: Op[] = [];
  for (const [roomId, ops] of enters) merged.push(ops.length === 1 ? (ops[0] as Op) : mergeArrivals(roomId, ops));
  return merged.concat(rest);
}

function mergeArrivals(roomId: string, ops: Extract<Op, { kind: "enter" }>[]): Op {
  return {
    kind: "enter",
    roomId,
    arrivals: ops.flatMap((op) => op.arrivals),
    done: {
      resolve(seqs) {
        let offset = 0;
        for (const op of ops) {
          op.done.resolve(seqs.slice(offset, offset + op.arrivals.length));
          offset += op.arrivals.length;
        }
      },
      reject: (error) => {
        for (const op of ops) op.done.reject(error);
      },
    },
  };
}

function mergeRemovals(a: Extract<Op, { kind: "remove" }>, b: Extract<Op, { kind: "remove" }>): Op {
  return {
    kind: "remove",
    roomId: a.roomId,
    removals: a.removals.concat(b.removals),
    done: settleBoth(a.done, b.done),
  };
}

function isRoomMode(value: string): value is RoomMode {
  return (roomModes as readonly string[]).includes(value);
}

function roomCreateData(room: RoomConfig) {
  return {
    id: room.id,
    name: room.name,
    capacity: room.capacity,
    heartbeatIntervalMs: room.heartbeatIntervalMs,
    heartbeatTimeoutMs: room.heartbeatTimeoutMs,
    maxQueueLength: room.maxQueueLength,
    mode: room.mode,
    protectedPaths: JSON.stringify(room.protectedPaths),
    counters: { create: {} },
  };
}

/** Room columns for a patch; fields left undefined are not written. */
function roomColumns(settings: Partial<RoomSettings>) {
  return {
    ...pickRoomSettings(settings),
    protectedPaths: settings.protectedPaths && JSON.stringify(settings.protectedPaths),
  };
}

function chunks<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let start = 0; start < items.length; start += size) out.push(items.slice(start, start + size));
  return out;
}

function toRoomConfig(row: {
  id: string;
  name: string;
  capacity: number;
  heartbeatIntervalMs: number;
  heartbeatTimeoutMs: number;
  maxQueueLength: number;
  mode: string;
  protectedPaths: string;
}): RoomConfig {
  const paths: unknown = JSON.parse(row.protectedPaths);
  return {
    id: row.id,
    name: row.name,
    capacity: row.capacity,
    heartbeatIntervalMs: row.heartbeatIntervalMs,
    heartbeatTimeoutMs: row.heartbeatTimeoutMs,
    maxQueueLength: row.maxQueueLength,
    mode: isRoomMode(row.mode) ? row.mode : "fifo",
    protectedPaths: Array.isArray(paths) ? paths.filter((p): p is string => typeof p === "string") : [],
  };
}
