import "server-only";
import fs from "node:fs";

/**
 * Group fsync of a SQLite write-ahead log, off the event loop. A commit made with
 * synchronous=NORMAL has written its frames to the WAL file but not synced them; an fdatasync
 * of the WAL that starts after the commit makes it as durable as synchronous=FULL would have,
 * without blocking the event loop for the disk (libuv's thread pool waits instead). Commits
 * made while one sync runs share the next one.
 */
export class WalSync {
  private running: Promise<void> | null = null;
  private queued: Promise<void> | null = null;

  constructor(private readonly sync: (path: string) => Promise<void> = fdatasyncFile) {}

  /** Resolves once an fdatasync of `path` that started after this call has finished. */
  request(path: string): Promise<void> {
    if (!this.running) return this.start(path);
    if (!this.queued) {
      // The running sync may have started before the caller's commit: the next one covers it.
      const next = () => {
        this.queued = null;
        return this.start(path);
      };
      this.queued = this.running.then(next, next);
    }
    return this.queued;
  }

  /**
   * The sync running now, settled (never rejected) when it ends; null when none runs. A commit
   * made meanwhile waits for the sync after it anyway: a writer may hold its commit until this
   * one ends and put everything that came in meanwhile into one transaction.
   */
  inFlight(): Promise<void> | null {
    return this.running?.then(noop, noop) ?? null;
  }

  private start(path: string): Promise<void> {
    const run: Promise<void> = this.sync(path).finally(() => {
      if (this.running === run) this.running = null;
    });
    this.running = run;
    return run;
  }
}

const noop = () => {};

/** Descriptors kept open per WAL path, with the file they opened (a recreated WAL is a new inode). */
const kept = new Map<string, { fd: number; ino: number }>();

function fdatasyncFile(path: string): Promise<void> {
  // fsync is per file, not per descriptor: a descriptor of our own syncs SQLite's writes. Kept
  // open (an open and a close per commit cost more than the sync's own call); checked against
  // the path's inode each time, since SQLite deletes and recreates the WAL when a connection
  // closes and reopens.
  let file: { fd: number; ino: number };
  try {
    const { ino } = fs.statSync(path);
    const known = kept.get(path);
    if (known && known.ino === ino) file = known;
    else {
      if (known) fs.close(known.fd, () => {});
      file = { fd: fs.openSync(path, "r"), ino };
      kept.set(path, file);
    }
  } catch (error) {
    return Promise.reject(error);
  }
  return new Promise((resolve, reject) => fs.fdatasync(file.fd, (error) => (error ? reject(error) : resolve())));
}
