import "server-only";
import type { Logger } from "@/server/log";
import type { RoomConfig, RoomSettings } from "@/server/queue/types";
import type { Admission, Arrival, QueueStore, Removal, RoomCounters, StoredEntry } from "@/server/store/queue-store";
import type { BreakerState, StoreFailureMode, StoreHealth } from "@/server/store/system-status";

// A circuit breaker around any queue store (server/store/README.md, "Failure policy"). After
// `failures` failed or slow calls in a row it opens: calls are refused at once with
// StoreUnavailableError instead of piling up on a store that does not answer. After
// `cooldownMs` one call goes through as a probe (half-open): it closes the breaker if it
// succeeds in time, opens it again otherwise.
//
// A slow call is counted, never abandoned: its promise is the store's own, so a write that
// lands late is still seen by the engine (an admission given up on while it was being written
// would hold a slot nobody knows about).

/** Refused without trying: the breaker is open. The engine answers "unavailable" (503). */
export class StoreUnavailableError extends Error {
  constructor(
    message: string,
    /** When the breaker lets a probe through (ms from now); a client's Retry-After. */
    readonly retryAfterMs: number,
  ) {
    super(message);
    this.name = "StoreUnavailableError";
  }
}

/** True for a StoreUnavailableError from any copy of this module (Next bundles hold their own). */
export function isStoreUnavailable(error: unknown): error is StoreUnavailableError {
  return error instanceof Error && error.name === "StoreUnavailableError";
}

/**
 * Rejections that are the store's answer, not a sign of trouble: a conditional write refused
 * (StoreConflictError), a fenced write after the lease moved (StoreFencedError), an AppError.
 * By name: importing the DynamoDB store here would load the AWS SDK for the SQLite default.
 */
const answerNames = new Set(["StoreConflictError", "StoreFencedError", "AppError"]);

export function isStoreAnswer(error: unknown): boolean {
  return error instanceof Error && answerNames.has(error.name);
}

export type GuardedStoreOptions = {
  kind: StoreHealth["kind"];
  /** A call slower than this counts as a failure (its result is still used). */
  timeoutMs: number;
  /** Failures in a row that open the breaker. */
  failures: number;
  /** How long an open breaker refuses calls before one probe goes through. */
  cooldownMs: number;
  failureMode: StoreFailureMode;
  logger: Logger;
  clock?: () => number;
  /** Starts a timer, returns its cancel; default an unref'd setTimeout. Tests inject their own. */
  startTimer?: (onTimeout: () => void, ms: number) => () => void;
};

/** A call in flight: counted once, as a success or a failure (slow or unanswered is a failure). */
type InFlight = { probe: boolean; startedMs: number; counted: boolean };

export type BreakerListener = (health: StoreHealth, previous: BreakerState) => void;

const messages: Record<StoreFailureMode, string> = {
  closed: "queue store unreachable: failing closed — nobody new is admitted, everyone in line keeps their place",
  open: "queue store unreachable: failing open — visitors are let through without a place (counted), everyone in line keeps their place",
};

export class GuardedQueueStore implements QueueStore {
  readonly maxAdmissionBatch?: number;
  readonly idOrder?: "arrival";
  private readonly now: () => number;
  private readonly startTimer: (onTimeout: () => void, ms: number) => () => void;
  private breaker: BreakerState = "closed";
  private sinceMs: number;
  private consecutiveFailures = 0;
  private lastError: string | null = null;
  private lastErrorAtMs: number | null = null;
  /** When the breaker first opened in the current outage (re-openings after a failed probe keep it). */
  private outageStartMs: number | null = null;
  private readonly listeners = new Set<BreakerListener>();
  /** Calls not yet answered, oldest first, and the one the timeout timer watches. */
  private readonly inFlight = new Set<InFlight>();
  private watch: { entry: InFlight; cancel: () => void } | null = null;

  constructor(
    /** The store itself (cluster code sets the DynamoDB store's write fence on it). */
    readonly inner: QueueStore,
    private readonly options: GuardedStoreOptions,
  ) {
    this.maxAdmissionBatch = inner.maxAdmissionBatch;
    this.idOrder = inner.idOrder;
    this.now = options.clock ?? Date.now;
    this.startTimer = options.startTimer ?? defaultTimer;
    this.sinceMs = this.now();
  }

  health(): StoreHealth {
    // An open breaker whose cooldown is over is half-open in effect: the next call is the probe.
    return {
      kind: this.options.kind,
      state: this.breaker === "closed" ? "ok" : "degraded",
      breaker: this.breaker,
      sinceMs: this.breaker === "closed" ? this.sinceMs : (this.outageStartMs ?? this.sinceMs),
      consecutiveFailures: this.consecutiveFailures,
      lastError: this.lastError,
      lastErrorAtMs: this.lastErrorAtMs,
      failureMode: this.options.failureMode,
    };
  }

  /** True while the breaker is not closed: cheap, for the hot path (fail-open checks it per heartbeat). */
  get degraded(): boolean {
    return this.breaker !== "closed";
  }

  /** False while calls are refused without trying (open, cooldown not over, or a probe in flight). */
  isAvailable(): boolean {
    if (this.breaker === "closed") return true;
    return this.breaker === "open" && this.now() - this.sinceMs >= this.options.cooldownMs;
  }

  /** Called on every breaker transition; returns the unsubscribe. */
  onTransition(listener: BreakerListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  listRooms(): Promise<RoomConfig[]> {
    return this.guard(() => this.inner.listRooms());
  }
  ensureRoom(room: RoomConfig): Promise<RoomConfig> {
    return this.guard(() => this.inner.ensureRoom(room));
  }
  createRoom(room: RoomConfig): Promise<RoomConfig> {
    return this.guard(() => this.inner.createRoom(room));
  }
  updateRoom(roomId: string, patch: Partial<RoomSettings>): Promise<RoomConfig> {
    return this.guard(() => this.inner.updateRoom(roomId, patch));
  }
  deleteRoom(roomId: string): Promise<void> {
    return this.guard(() => this.inner.deleteRoom(roomId));
  }
  loadRoomState(roomId: string): Promise<{ counters: RoomCounters; entries: StoredEntry[] }> {
    return this.guard(() => this.inner.loadRoomState(roomId));
  }
  enter(roomId: string, arrivals: Arrival[]): Promise<number[]> {
    return this.guard(() => this.inner.enter(roomId, arrivals));
  }
  admit(roomId: string, admissions: Admission[], capacity: number): Promise<void> {
    return this.guard(() => this.inner.admit(roomId, admissions, capacity));
  }
  remove(roomId: string, removals: Removal[]): Promise<void> {
    return this.guard(() => this.inner.remove(roomId, removals));
  }
  close(): Promise<void> {
    return this.inner.close();
  }

  private async guard<T>(call: () => Promise<T>): Promise<T> {
    const entry: InFlight = { probe: this.permit(), startedMs: this.now(), counted: false };
    this.inFlight.add(entry);
    if (!this.watch) this.watchFor(entry, this.options.timeoutMs);
    try {
      const result = await call();
      this.settle(entry, null);
      return result;
    } catch (error) {
      this.settle(entry, isStoreAnswer(error) ? null : error);
      throw error;
    }
  }

  /** A call answered: counted once (a slow answer as a failure), unless the watch counted it. */
  private settle(entry: InFlight, failure: unknown): void {
    this.inFlight.delete(entry);
    if (this.watch?.entry === entry) {
      this.watch.cancel();
      this.watch = null;
      const next = this.oldestUncounted();
      if (next) this.watchFor(next, this.options.timeoutMs - (this.now() - next.startedMs));
    }
    if (entry.counted) return;
    entry.counted = true;
    const tookMs = this.now() - entry.startedMs;
    const slow = failure === null && tookMs > this.options.timeoutMs;
    const counted = slow ? new Error(`answered after ${tookMs} ms`) : failure;
    if (counted === null) this.succeeded(entry.probe);
    else this.failed(entry.probe, counted);
  }

  /**
   * One timer for all calls in flight, on the oldest not yet counted: a hung store must open the
   * breaker while the call hangs. (A timer per call cost every arrival a setTimeout and a
   * clearTimeout, 4% of a flash crowd's CPU.)
   */
  private watchFor(entry: InFlight, ms: number): void {
    const cancel = this.startTimer(() => this.overdue(entry), Math.max(0, ms));
    this.watch = { entry, cancel };
  }

  /** The watched call is past the timeout: counted as failed, and so is any other that is. */
  private overdue(watched: InFlight): void {
    this.watch = null;
    const { timeoutMs } = this.options;
    const nowMs = this.now();
    for (const entry of this.inFlight) {
      if (entry.counted || (entry !== watched && nowMs - entry.startedMs < timeoutMs)) continue;
      entry.counted = true;
      this.failed(entry.probe, new Error(`no answer within ${timeoutMs} ms`));
    }
    const next = this.oldestUncounted();
    if (next) this.watchFor(next, timeoutMs - (nowMs - next.startedMs));
  }

  private oldestUncounted(): InFlight | undefined {
    // Insertion order is start order: the first uncounted is the oldest.
    for (const entry of this.inFlight) if (!entry.counted) return entry;
    return undefined;
  }

  /** Lets a call through (true when it is the half-open probe) or throws StoreUnavailableError. */
  private permit(): boolean {
    if (this.breaker === "closed") return false;
    const waitedMs = this.now() - this.sinceMs;
    if (this.breaker === "open" && waitedMs >= this.options.cooldownMs) {
      this.transition("half-open");
      return true;
    }
    // Half-open: the probe is in flight and settles within the timeout; try again right after.
    const retryAfterMs = this.breaker === "open" ? this.options.cooldownMs - waitedMs : 0;
    throw new StoreUnavailableError(
      `The queue store is unavailable (${this.lastError ?? "circuit open"}).`,
      Math.max(0, retryAfterMs),
    );
  }

  private succeeded(probe: boolean): void {
    // A call from before the breaker opened says nothing about now; only the probe closes it.
    if (this.breaker === "closed") this.consecutiveFailures = 0;
    else if (probe && this.breaker === "half-open") this.transition("closed");
  }

  private failed(probe: boolean, error: unknown): void {
    this.lastError = errorMessage(error);
    this.lastErrorAtMs = this.now();
    if (this.breaker === "closed") {
      this.consecutiveFailures++;
      if (this.consecutiveFailures >= this.options.failures) this.transition("open");
    } else if (probe && this.breaker === "half-open") {
      this.consecutiveFailures++;
      this.transition("open");
    }
  }

  private transition(next: BreakerState): void {
    const previous = this.breaker;
    const nowMs = this.now();
    this.breaker = next;
    this.sinceMs = nowMs;
    const { logger, kind, failureMode } = this.options;
    if (next === "open" && previous === "closed") {
      this.outageStartMs = nowMs;
      // One line per outage; the probes that fail meanwhile log at debug.
      logger.error(
        { store: kind, failureMode, failures: this.consecutiveFailures, lastError: this.lastError },
        messages[failureMode],
      );
    } else if (next === "closed") {
      const outageMs = nowMs - (this.outageStartMs ?? nowMs);
      this.outageStartMs = null;
      this.consecutiveFailures = 0;
      logger.info(
        { store: kind, outageMs },
        `queue store reachable again after ${(outageMs / 1000).toFixed(1)} s: admitting again`,
      );
    } else {
      logger.debug({ store: kind, breaker: next, lastError: this.lastError }, "queue store breaker");
    }
    const health = this.health();
    for (const listener of this.listeners) {
      try {
        listener(health, previous);
      } catch (error) {
        logger.error({ err: error }, "breaker listener failed");
      }
    }
  }
}

/** The message only (no stack, no request): it is shown in /healthz and the console. */
function errorMessage(error: unknown): string {
  const message = error instanceof Error ? `${error.name === "Error" ? "" : `${error.name}: `}${error.message}` : "";
  return (message || String(error)).slice(0, 200);
}

function defaultTimer(onTimeout: () => void, ms: number): () => void {
  const timer = setTimeout(onTimeout, ms);
  timer.unref();
  return () => clearTimeout(timer);
}
