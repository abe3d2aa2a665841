import "server-only";
import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";
import { WalCheckpointer } from "@/server/db/wal-checkpointer";
import { WalSync } from "@/server/db/wal-sync";

// The queue's hot writes skip the ORM on SQLite: Prisma prepares every statement anew, compiles
// a query plan per call and chains several promises per statement, which a flood of arrivals
// paid on every group commit. They run instead on the very connection Prisma opened
// (better-sqlite3, so one connection, one lock, no SQLITE_BUSY between the two), as one
// synchronous BEGIN IMMEDIATE … COMMIT with cached prepared statements.
//
// Sharing the connection is safe because both sides are synchronous underneath: Prisma's
// interactive transactions are the only thing that spans turns of the event loop, and while
// one is open (`inTransaction`) a direct transaction waits for it to end instead of running
// inside it. A direct transaction never yields, so Prisma never sees one half done.

/** The part of a better-sqlite3 Database used here (the package ships no types of its own). */
export interface SqliteConnection {
  readonly open: boolean;
  readonly inTransaction: boolean;
  /** The database file's path as opened. */
  readonly name: string;
  readonly memory: boolean;
  pragma(source: string, options?: { simple: boolean }): unknown;
  prepare(sql: string): SqliteStatement;
  transaction<T>(fn: () => T): { immediate(): T };
}

export interface SqliteStatement {
  readonly reader: boolean;
  run(...params: unknown[]): { changes: number };
  all(...params: unknown[]): unknown[];
}

/** Where a client's adapter leaves its connection once Prisma has connected. */
export type ConnectionSlot = { connection: SqliteConnection | null };

/** The Prisma better-sqlite3 adapter, recording each connection it opens in `slot`. */
export function sqliteAdapter(url: string, slot: ConnectionSlot): PrismaBetterSQLite3 {
  const factory = new PrismaBetterSQLite3({ url });
  const connect = factory.connect.bind(factory);
  factory.connect = async () => {
    const adapter = await connect();
    const connection = (adapter as unknown as { client?: unknown }).client;
    if (!isConnection(connection)) {
      throw new Error(
        "@prisma/adapter-better-sqlite3 no longer exposes its connection: sqlite-direct.ts needs updating",
      );
    }
    slot.connection = connection;
    return adapter;
  };
  return factory;
}

function isConnection(value: unknown): value is SqliteConnection {
  const candidate = value as Partial<SqliteConnection> | null;
  return typeof candidate?.prepare === "function" && typeof candidate.transaction === "function";
}

/**
 * Runs synchronous statements as one transaction on a shared connection, statements prepared once.
 *
 * Durability: when the connection runs synchronous=FULL (the default, FLOODGATE_SQLITE_SYNCHRONOUS),
 * a direct transaction commits with NORMAL (the WAL written, not synced) and its promise resolves
 * only after an fdatasync of the WAL that started after the commit (wal-sync.ts): as durable as
 * FULL, but the disk's sync no longer stalls the event loop, and commits made while a sync runs
 * share the next. The setting is switched back before anything else runs, so Prisma's own
 * commits keep FULL.
 *
 * Checkpoints: on a WAL file, the connection's auto-checkpoint is off and a worker thread
 * checkpoints the log after commits (wal-checkpointer.ts), so no COMMIT copies the log into the
 * database file and syncs both on the event loop. Should the worker fail, auto-checkpoint is
 * back on.
 */
export class DirectSqlite {
  private readonly statements = new Map<string, SqliteStatement>();
  private preparedFor: SqliteConnection | null = null;
  /** In WAL mode with FULL or EXTRA: the statements that switch to NORMAL and back; else null. */
  private syncApart: { normal: SqliteStatement; restore: SqliteStatement } | null = null;
  /** Checkpoints the WAL off the event loop; null when not a WAL file or once it failed. */
  checkpointer: WalCheckpointer | null = null;
  private closed = false;

  constructor(
    private readonly connection: () => Promise<SqliteConnection>,
    private readonly wal: WalSync = new WalSync(),
    private readonly checkpoints: CheckpointOptions = defaultCheckpoints,
  ) {}

  /**
   * Runs `work` inside BEGIN IMMEDIATE … COMMIT once no Prisma transaction is open on the
   * connection (rolled back and rejected if `work` throws). Resolves after the commit, with
   * `durable`: settled once the commit would survive a power cut (at once unless the WAL is
   * synced apart). Callers acknowledge nothing before `durable`, and may commit again meanwhile.
   */
  async transaction<T>(
    work: (execute: (sql: string, params: unknown[], rows: boolean) => unknown) => T,
  ): Promise<{ result: T; durable: Promise<void> }> {
    const connection = await this.connection();
    if (this.checkpointer?.drainDue) await this.checkpointer.drain();
    // A Prisma interactive transaction is between two of its statements: let it finish.
    while (connection.inTransaction) await new Promise((resolve) => setImmediate(resolve));
    if (this.preparedFor !== connection) {
      this.statements.clear();
      this.preparedFor = connection;
      // Only a WAL can be synced apart from the commit (in rollback-journal mode the commit is
      // the sync).
      const wal = String(connection.pragma("journal_mode", { simple: true })).toLowerCase() === "wal";
      void this.checkpointer?.close();
      this.checkpointer =
        wal && !connection.memory && !this.closed ? checkpointerFor(connection, this.checkpoints) : null;
      const level = Number(connection.pragma("synchronous", { simple: true }));
      this.syncApart =
        wal && level >= 2 && !connection.memory
          ? {
              normal: connection.prepare("PRAGMA synchronous = NORMAL"),
              restore: connection.prepare(`PRAGMA synchronous = ${level}`),
            }
          : null;
    }
    const execute = (sql: string, params: unknown[], rows: boolean): unknown => {
      let statement = this.statements.get(sql);
      if (!statement) {
        statement = connection.prepare(sql);
        this.statements.set(sql, statement);
      }
      return rows ? statement.all(...params) : statement.run(...params).changes;
    };
    const apart = this.syncApart;
    apart?.normal.run();
    let result: T;
    try {
      result = connection.transaction(() => work(execute)).immediate();
    } finally {
      apart?.restore.run();
      this.checkpointer?.nudge();
    }
    return { result, durable: apart ? this.wal.request(`${connection.name}-wal`) : done };
  }

  /**
   * While the WAL's sync for earlier commits runs: settled when it ends (see WalSync.inFlight);
   * else null.
   */
  syncInFlight(): Promise<void> | null {
    return this.syncApart ? this.wal.inFlight() : null;
  }

  /** Stops the checkpoint worker (before the connection closes). */
  async close(): Promise<void> {
    this.closed = true;
    await this.checkpointer?.close();
    this.checkpointer = null;
  }
}

/** Auto-checkpoint off on the connection, a worker checkpointing instead (on while it works). */
function checkpointerFor(connection: SqliteConnection, options: CheckpointOptions): WalCheckpointer {
  const checkpointer = new WalCheckpointer(connection.name, {
    ...options,
    onFailure: (error) => {
      if (connection.open) connection.pragma("wal_autocheckpoint = 1000");
      process.emitWarning(`${error.message}; SQLite checkpoints on commit again`, "FloodgateWalCheckpoint");
    },
  });
  connection.pragma("wal_autocheckpoint = 0");
  return checkpointer;
}

const done = Promise.resolve();

/** How often the WAL is checkpointed, and at what length it is drained (wal-checkpointer.ts). */
export type CheckpointOptions = { minGapMs: number; drainAtFrames: number; idleMs: number };
/**
 * At most ten checkpoints a second; a drain once the log holds 16 MiB (4,096 pages of 4 KiB);
 * one every 5 s whatever happens (Prisma's own commits).
 */
const defaultCheckpoints: CheckpointOptions = { minGapMs: 100, drainAtFrames: 4_096, idleMs: 5_000 };
