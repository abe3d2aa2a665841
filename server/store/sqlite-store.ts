import "server-only";
import { type PrismaClient, providerOf, sqliteConnectionOf } from "@/server/db/client";
import { openDatabase } from "@/server/db/database";
import { type SqlDialect, sqlDialect } from "@/server/db/sql";
import { DirectSqlite } from "@/server/db/sqlite-direct";
import type { WalSync } from "@/server/db/wal-sync";
import type { Logger } from "@/server/log";
import { readStoredBranding, readStoredLanguage, reportOnce } from "@/server/queue/branding";
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
import { admitWrite, enterWrite, removeWrite, runAsync, runSync, type Write } from "@/server/store/queue-writes";
import { type Settle, settleBoth } from "@/server/store/settle";

// The embedded store: SQLite through Prisma. Writes are group-committed: every write joins
// the next transaction, and a transaction starts as soon as the previous one ends, so under
// a flood many arrivals share one commit while a lone arrival waits for nobody. A caller's
// promise resolves only after its transaction committed: a reply sent after it survives kill -9.
// Arrivals, admissions and removals are SQL statements (queue-writes.ts): on SQLite run
// synchronously on Prisma's own connection (server/db/sqlite-direct.ts), on PostgreSQL through
// Prisma's raw queries. Room settings changes go through the ORM on both.

const maxOpsPerCommit = 500;

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
  /** The entries' primary key is the visitor id: ids in arrival order make inserts appends. */
  readonly idOrder = "arrival" as const;
  private pending: Op[] = [];
  private flushing: Promise<void> | null = null;
  /** The raw statements below run on SQLite and, for a shared config database, PostgreSQL. */
  private readonly dialect: SqlDialect;

  /** SQLite: the hot writes' synchronous path on Prisma's connection; null on PostgreSQL. */
  private readonly direct: DirectSqlite | null;

  /** A stored setting that no longer passes its check is left out of the room, and said once. */
  private readonly reportBadSetting: (roomId: string, problem: string) => void;

  /**
   * `walSync`: how the SQLite WAL is synced after direct commits (tests observe it). `logger`:
   * where a stored setting that fails its check is reported (once per room and problem).
   */
  constructor(
    private readonly db: PrismaClient,
    options: { walSync?: WalSync; logger?: Pick<Logger, "warn"> } = {},
  ) {
    this.reportBadSetting = reportOnce((problem, room) =>
      options.logger?.warn({ room, problem }, "a stored room setting fails its check: the room goes on without it"),
    );
    const provider = providerOf(db);
    this.dialect = sqlDialect(provider);
    this.direct = provider === "sqlite" ? new DirectSqlite(() => sqliteConnectionOf(db), options.walSync) : null;
  }

  /** A store on its own database client (tests, tools); the app shares one client (server/floodgate.ts). */
  static async open(databaseUrl: string): Promise<SqliteQueueStore> {
    return new SqliteQueueStore(await openDatabase(databaseUrl));
  }

  async listRooms(): Promise<RoomConfig[]> {
    const rows = await this.db.room.findMany({ orderBy: { createdAt: "asc" } });
    return rows.map((row) => toRoomConfig(row, this.reportBadSetting));
  }

  async ensureRoom(room: RoomConfig): Promise<RoomConfig> {
    const row = await this.db.room.upsert({
      where: { id: room.id },
      update: {},
      create: roomCreateData(room),
    });
    return toRoomConfig(row, this.reportBadSetting);
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
    await this.direct?.close();
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
      // Group commit: while the WAL's sync runs, a commit made now would wait for the next sync
      // anyway. Held until this one ends, whatever arrives meanwhile commits as one transaction,
      // which writes each touched page once (small commits wrote the same few pages over and
      // over). Not beyond a full batch, so a flood still commits at its own pace.
      const syncing = this.direct?.syncInFlight();
      if (syncing && !this.fullBatchPending()) await syncing;
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

  /** Enough arrivals are queued to fill a commit. */
  private fullBatchPending(): boolean {
    let enters = 0;
    for (const op of this.pending) if (op.kind === "enter" && ++enters >= maxOpsPerCommit) return true;
    return false;
  }

  /**
   * The next ops to commit together. A room settings change commits alone, after everything
   * queued before it and before everything queued after it: coalescing moves arrivals to the
   * front of a batch, and an arrival must not jump ahead of its room's creation or deletion.
   * Up to that boundary, every admission and removal goes into this commit, ahead of arrivals
   * beyond the first maxOpsPerCommit: they only touch entries whose arrival already committed,
   * and under a flood they would otherwise wait behind thousands of queued arrivals (the first
   * admissions of a surge reached their visitors seconds late). Admissions and removals keep
   * their order among themselves (a removal lands before the admission that reuses its slot).
   */
  private takeBatch(): Op[] {
    const first = this.pending[0];
    if (first && isSettingsOp(first)) return this.pending.splice(0, 1);
    const batch: Op[] = [];
    const later: Op[] = [];
    let enters = 0;
    let end = 0;
    for (; end < this.pending.length; end++) {
      const op = this.pending[end] as Op;
      if (isSettingsOp(op)) break;
      if (op.kind !== "enter") batch.push(op);
      else if (enters < maxOpsPerCommit) {
        batch.push(op);
        enters++;
      } else later.push(op);
    }
    this.pending = later.concat(this.pending.slice(end));
    return batch;
  }

  /** Commits a batch; its promises settle once the commit is durable (the next may start before). */
  private async commit(batch: Op[]): Promise<void> {
    const ops = coalesce(batch);
    if (this.direct && !ops.some(isSettingsOp)) return this.commitDirect(this.direct, ops);
    for (const settle of await this.commitOrm(ops)) settle();
  }

  /**
   * SQLite: one synchronous transaction on Prisma's own connection (sqlite-direct.ts). The WAL's
   * sync runs off the event loop while the next batch commits; a failed sync fails the batch's
   * callers (committed, but not known durable: nobody is told "yes").
   */
  private async commitDirect(direct: DirectSqlite, ops: Op[]): Promise<void> {
    const { result: outcomes, durable } = await direct.transaction((execute) =>
      ops.map((op) => {
        const write = this.dataWrite(op);
        if (!write) throw new Error(`${op.kind} is not a queue write`);
        return write.settle(runSync(write.run, (s) => execute(s.text, s.params, s.result === "rows")));
      }),
    );
    durable.then(
      () => {
        for (const settle of outcomes) settle();
      },
      (error: unknown) => {
        for (const op of ops) op.done.reject(error);
      },
    );
  }

  /** PostgreSQL, and room settings changes anywhere: an interactive Prisma transaction. */
  private async commitOrm(ops: Op[]): Promise<(() => void)[]> {
    const outcomes: (() => void)[] = [];
    await this.db.$transaction(async (tx) => {
      for (const op of ops) {
        const write = this.dataWrite(op);
        if (!write) outcomes.push(await this.applySettings(tx, op));
        else {
          const result = await runAsync(write.run, (s) =>
            s.result === "rows" ? tx.$queryRawUnsafe(s.text, ...s.params) : tx.$executeRawUnsafe(s.text, ...s.params),
          );
          outcomes.push(write.settle(result));
        }
      }
    });
    return outcomes;
  }

  /** An arrival, admission or removal as statements (queue-writes.ts) and how to settle it; null for settings. */
  private dataWrite(op: Op): { run: Write<unknown>; settle: (result: unknown) => () => void } | null {
    switch (op.kind) {
      case "enter":
        return {
          run: enterWrite(this.dialect, op.roomId, op.arrivals),
          settle: (seqs) => () => op.done.resolve(seqs as number[]),
        };
      case "admit":
        return {
          run: admitWrite(this.dialect, op.roomId, op.admissions, op.capacity),
          settle: (conflict) =>
            conflict ? () => op.done.reject(new StoreConflictError(conflict as string)) : () => op.done.resolve(),
        };
      case "remove":
        return { run: removeWrite(this.dialect, op.roomId, op.removals), settle: () => () => op.done.resolve() };
      default:
        return null;
    }
  }

  /** Runs a room settings change inside the batch transaction; returns how to settle its promise after commit. */
  private async applySettings(tx: Tx, op: Op): Promise<() => void> {
    switch (op.kind) {
      case "createRoom": {
        const existing = await tx.room.findUnique({ where: { id: op.roomId }, select: { id: true } });
        if (existing) {
          return () => op.done.reject(new StoreConflictError(`room ${op.roomId} already exists`));
        }
        const row = await tx.room.create({ data: roomCreateData(op.room) });
        return () => op.done.resolve(toRoomConfig(row, this.reportBadSetting));
      }
      case "updateRoom": {
        const existing = await tx.room.findUnique({ where: { id: op.roomId } });
        if (!existing) return () => op.done.reject(new StoreConflictError(`no room ${op.roomId}`));
        const data = roomColumns(op.patch);
        const changed = Object.values(data).some((value) => value !== undefined);
        const row = changed ? await tx.room.update({ where: { id: op.roomId }, data }) : existing;
        return () => op.done.resolve(toRoomConfig(row, this.reportBadSetting));
      }
      case "deleteRoom": {
        // Explicit rather than by foreign-key cascade: SQLite enforces foreign keys only when
        // the connection enables them.
        await tx.queueEntry.deleteMany({ where: { roomId: op.roomId } });
        await tx.roomCounters.deleteMany({ where: { roomId: op.roomId } });
        await tx.room.deleteMany({ where: { id: op.roomId } });
        return () => op.done.resolve();
      }
      default:
        throw new Error(`${op.kind} is not a settings change`);
    }
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
    newUsersPerMinute: room.newUsersPerMinute,
    sessionDurationSeconds: room.sessionDurationSeconds,
    sessionRenewal: room.sessionRenewal,
    typicalVisitSeconds: room.typicalVisitSeconds,
    bypassCidrs: JSON.stringify(room.bypassCidrs),
    bypassApiKeys: room.bypassApiKeys,
    bypassUncounted: room.bypassUncounted,
    challenge: room.challenge,
    challengeDifficulty: room.challengeDifficulty,
    blockedCidrs: JSON.stringify(room.blockedCidrs),
    infiniteLine: room.infiniteLine,
    defaultLanguage: room.defaultLanguage,
    branding: JSON.stringify(room.branding),
    counters: { create: {} },
  };
}

/** Room columns for a patch; fields left undefined are not written. */
function roomColumns(settings: Partial<RoomSettings>) {
  return {
    ...pickRoomSettings(settings),
    protectedPaths: settings.protectedPaths && JSON.stringify(settings.protectedPaths),
    bypassCidrs: settings.bypassCidrs && JSON.stringify(settings.bypassCidrs),
    blockedCidrs: settings.blockedCidrs && JSON.stringify(settings.blockedCidrs),
    branding: settings.branding && JSON.stringify(settings.branding),
  };
}

function toRoomConfig(
  row: {
    id: string;
    name: string;
    capacity: number;
    heartbeatIntervalMs: number;
    heartbeatTimeoutMs: number;
    maxQueueLength: number;
    mode: string;
    protectedPaths: string;
    newUsersPerMinute: number | null;
    sessionDurationSeconds: number | null;
    sessionRenewal: boolean;
    typicalVisitSeconds: number | null;
    bypassCidrs: string;
    bypassApiKeys: boolean;
    bypassUncounted: boolean;
    challenge: string;
    challengeDifficulty: number;
    blockedCidrs: string;
    infiniteLine: boolean;
    defaultLanguage: string | null;
    branding: string;
  },
  reportBadSetting: (roomId: string, problem: string) => void,
): RoomConfig {
  const report = (problem: string) => reportBadSetting(row.id, problem);
  return {
    id: row.id,
    name: row.name,
    capacity: row.capacity,
    heartbeatIntervalMs: row.heartbeatIntervalMs,
    heartbeatTimeoutMs: row.heartbeatTimeoutMs,
    maxQueueLength: row.maxQueueLength,
    mode: isRoomMode(row.mode) ? row.mode : "fifo",
    protectedPaths: stringsIn(JSON.parse(row.protectedPaths)),
    newUsersPerMinute: row.newUsersPerMinute,
    sessionDurationSeconds: row.sessionDurationSeconds,
    sessionRenewal: row.sessionRenewal,
    typicalVisitSeconds: row.typicalVisitSeconds,
    bypassCidrs: stringsIn(JSON.parse(row.bypassCidrs)),
    bypassApiKeys: row.bypassApiKeys,
    bypassUncounted: row.bypassUncounted,
    challenge: row.challenge === "pow" ? "pow" : "off",
    challengeDifficulty: row.challengeDifficulty,
    blockedCidrs: stringsIn(JSON.parse(row.blockedCidrs)),
    infiniteLine: row.infiniteLine,
    defaultLanguage: readStoredLanguage(row.defaultLanguage, report),
    branding: readStoredBranding(row.branding, report),
  };
}

/** The strings of a stored JSON array (anything else: none). */
function stringsIn(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((c): c is string => typeof c === "string") : [];
}
