import "server-only";
import { createRequire } from "node:module";
import path from "node:path";
import { Worker } from "node:worker_threads";

/**
 * Checkpoints a SQLite write-ahead log from a worker thread, so the event loop never waits for
 * one. SQLite's own auto-checkpoint runs inside the COMMIT that takes the log past 1,000 pages:
 * on the committing thread it copies the log into the database file and syncs both, and under
 * a flash crowd (a checkpoint about every second) that stalled every request for 50-350 ms at
 * a time; the requests answered after a stall came back in step and stalled the server again
 * one heartbeat interval later. The writer's connection has auto-checkpoint off
 * (`wal_autocheckpoint = 0`) while this runs; a PASSIVE checkpoint on a connection of its own
 * never blocks the writer, and the writer restarts the log once a checkpoint has caught up.
 *
 * Checkpoints run at most every `minGapMs`, when `nudge` says the log grew, and at least every
 * `idleMs` (Prisma's own commits, which nobody nudges for, are checkpointed too). If the worker
 * fails, `onFailure` is told (the writer then turns its auto-checkpoint back on).
 *
 * The log restarts from its beginning only when a writer finds every frame copied, and under a
 * steady flow of commits a checkpoint running beside them never catches up: the log would grow
 * without end. Once it holds `drainAtFrames`, `drainDue` asks the writer to wait (off the event
 * loop: its commits queue up meanwhile) for one checkpoint with no commit beside it (`drain`);
 * its next commit then restarts the log.
 */
export class WalCheckpointer {
  private readonly worker: Worker;
  private running = false;
  private wanted = false;
  private lastStartMs = 0;
  private timer: NodeJS.Timeout | null = null;
  private readonly idleTimer: NodeJS.Timeout;
  private closed = false;
  /** Settled when the checkpoint running now answers. */
  private answer: { promise: Promise<void>; resolve: () => void } | null = null;
  /** The log is long enough to be drained (see the class comment). */
  drainDue = false;
  /** Checkpoints completed, and the last one's result (tests, diagnostics). */
  completed = 0;
  last: { busy: number; log: number; checkpointed: number } | null = null;

  constructor(
    file: string,
    private readonly options: {
      minGapMs: number;
      drainAtFrames: number;
      idleMs: number;
      onFailure: (error: Error) => void;
    },
  ) {
    this.worker = new Worker(workerSource, {
      eval: true,
      workerData: { file, driver: betterSqlite3Path() },
    });
    this.worker.unref();
    this.idleTimer = setInterval(() => this.nudge(), options.idleMs);
    this.idleTimer.unref();
    this.worker.on("message", (message: WorkerAnswer) => this.answered(message));
    this.worker.on("error", (error) => this.fail(error));
    this.worker.on("exit", (code) => {
      if (!this.closed) this.fail(new Error(`the WAL checkpoint worker exited (code ${code})`));
    });
  }

  /** The log grew: checkpoint it soon (now, or once `minGapMs` has passed since the last). */
  nudge(): void {
    if (this.closed) return;
    if (this.running) {
      this.wanted = true;
      return;
    }
    if (this.timer) return;
    const waitMs = this.lastStartMs + this.options.minGapMs - Date.now();
    if (waitMs <= 0) this.start();
    else {
      this.timer = setTimeout(() => {
        this.timer = null;
        this.start();
      }, waitMs);
      this.timer.unref();
    }
  }

  /**
   * One checkpoint with no commit beside it: the caller is the only writer and does not commit
   * until this resolves. Resolves at once when the worker is gone.
   */
  async drain(): Promise<void> {
    while (this.running && this.answer) await this.answer.promise;
    if (this.closed) return;
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    this.start();
    await this.answer?.promise;
    this.drainDue = false;
  }

  /** Stops the worker (its connection closes; the log stays for the next open). */
  async close(): Promise<void> {
    if (this.closed) return;
    await this.shutDown();
  }

  private start(): void {
    if (this.closed) return;
    this.running = true;
    this.wanted = false;
    this.lastStartMs = Date.now();
    let resolve = () => {};
    const promise = new Promise<void>((settle) => {
      resolve = settle;
    });
    this.answer = { promise, resolve };
    this.worker.postMessage("checkpoint");
  }

  private answered(message: WorkerAnswer): void {
    this.running = false;
    this.answer?.resolve();
    this.answer = null;
    if (!message.ok) {
      this.fail(new Error(`WAL checkpoint failed: ${message.message}`));
      return;
    }
    this.completed++;
    this.last = { busy: message.busy, log: message.log, checkpointed: message.checkpointed };
    if (message.log >= this.options.drainAtFrames) this.drainDue = true;
    // Written to meanwhile, or not all of it copied (a reader held an old snapshot): again.
    if (this.wanted || message.busy || message.checkpointed < message.log) this.nudge();
  }

  private fail(error: Error): void {
    if (this.closed) return;
    void this.shutDown();
    this.options.onFailure(error);
  }

  /** No more checkpoints: timers off, a drain waiting is let go, the worker ends. */
  private shutDown(): Promise<number> {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    clearInterval(this.idleTimer);
    this.answer?.resolve();
    this.drainDue = false;
    return this.worker.terminate();
  }
}

type WorkerAnswer = { ok: true; busy: number; log: number; checkpointed: number } | { ok: false; message: string };

/** The worker: its own connection to the file, one PASSIVE checkpoint per message. */
const workerSource = `
const { parentPort, workerData } = require("node:worker_threads");
const Database = require(workerData.driver);
let db;
try {
  db = new Database(workerData.file, { fileMustExist: true });
  db.pragma("busy_timeout = 1000");
} catch (error) {
  parentPort.postMessage({ ok: false, message: String((error && error.message) || error) });
}
parentPort.on("message", () => {
  if (!db) return;
  try {
    const [row] = db.pragma("wal_checkpoint(PASSIVE)");
    parentPort.postMessage({ ok: true, busy: row.busy, log: row.log, checkpointed: row.checkpointed });
  } catch (error) {
    parentPort.postMessage({ ok: false, message: String((error && error.message) || error) });
  }
});
`;

/** The better-sqlite3 the app loads (the worker must load the same build). */
function betterSqlite3Path(): string {
  return createRequire(path.join(process.cwd(), "package.json")).resolve("better-sqlite3");
}
