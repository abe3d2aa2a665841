import "server-only";
import { AppError } from "@/server/api/errors";
import type { Logger } from "@/server/log";
import type { BotDefenceKeys } from "@/server/queue/bot-defence";
import { type HeldHeartbeatLimits, HeldHeartbeats } from "@/server/queue/held-heartbeats";
import type { PlaceReferences } from "@/server/queue/place-reference";
import { RoomState } from "@/server/queue/room-state";
import type { GoneReason, RoomConfig } from "@/server/queue/types";
import type { Visitor } from "@/server/queue/visitor";
import { isStoreUnavailable } from "@/server/store/guarded-store";
import type { QueueStore, Removal, RoomCounters } from "@/server/store/queue-store";
import type { AdmissionTokens } from "@/server/tokens/admission-token";
import type { QueueTokens } from "@/server/tokens/queue-token";

// The engine's shared state and the steps every transition uses: finding a room and a visitor
// by token, taking a visitor out, filing removals, and mapping store failures. The transitions
// themselves are in engine-admission.ts, engine-operator.ts and engine.ts (one class, layered
// by concern; see server/queue/README.md).

export type EngineOptions = {
  store: QueueStore;
  queueTokens: QueueTokens;
  /** The reference codes of places (place-reference.ts): the same key on every node. */
  placeReferences: PlaceReferences;
  admissionTokens: AdmissionTokens;
  logger: Logger;
  /** Rooms to create on first start (a store with no rooms); later starts keep what operators made. */
  initialRooms: RoomConfig[];
  /**
   * How long a place is kept after a leave. Default: the room's heartbeat interval + 1 s, so
   * any other page of the same visitor (a second tab, the page a reload brings) checks in
   * within it and keeps the place; a truly closed tab frees its slot well before the timeout.
   */
  leaveGraceMs?: number;
  /**
   * How long a place loaded at start (a restart, a cluster takeover) is kept before its first
   * heartbeat. Default: per room, `restoreGraceMsFor` (two heartbeat timeouts, at least one
   * plus 30 s).
   */
  restoreGraceMs?: number;
  etaWindowMs: number;
  clock?: () => number;
  /** Uniform in [0, 1): random admission and wait sampling. Default Math.random; tests seed one. */
  random?: () => number;
  /** Bounds on held heartbeats (server/queue/held-heartbeats.ts). Default: 2,000 per room, 10,000 in all. */
  heldHeartbeats?: HeldHeartbeatLimits;
  /** Challenge and infinite-line keys (bot-defence.ts). Default: this process's own (tests). */
  botDefence?: BotDefenceKeys;
};

/** Most visitors one admission write takes (a capacity raise, passthrough); the rest follow on the next ticks. */
const maxAdmissionBatch = 5_000;
/** Capacity handed to the store in passthrough: no limit, but the write still requires "still waiting". */
export const unlimitedCapacity = Number.MAX_SAFE_INTEGER;
/** Counters of a room just created (the store's defaults). */
export const freshCounters: RoomCounters = {
  nextSeq: 1,
  nextAdmission: 1,
  arrivedTotal: 0,
  admittedTotal: 0,
  expiredTotal: 0,
  leftTotal: 0,
  evictedTotal: 0,
  active: 0,
};
export abstract class EngineCore {
  protected readonly rooms = new Map<string, RoomState>();

  protected readonly now: () => number;

  protected readonly random: () => number;

  /**
   * Per room, the admission being written: one at a time per room, so admission numbers stay
   * in order and a failed batch can hand its numbers back. Settles, never rejects.
   */
  protected readonly admitting = new Map<string, Promise<void>>();

  protected failedRemovals = new Map<string, Removal[]>();

  /**
   * Until when background writes (admissions, removals) are not attempted: the store's breaker
   * is open (server/store/guarded-store.ts). Removals wait in `failedRemovals` meanwhile.
   */
  protected storeRetryAtMs = 0;

  /** Store failures, logged once per kind and room per interval: a tick runs 10 times a second. */
  protected readonly failureLog: FailureLog;

  /** Room settings changes run one at a time: each checks invariants against committed settings. */
  protected settingsChain: Promise<unknown> = Promise.resolve();

  /** Most visitors per admission write: ours, or fewer if the store writes fewer atomically. */
  protected readonly admissionBatchLimit: number;

  /** Heartbeats held open for visitors near the front, woken when they are admitted or removed. */
  protected readonly held: HeldHeartbeats;

  constructor(protected readonly options: EngineOptions) {
    this.now = options.clock ?? Date.now;
    this.random = options.random ?? Math.random;
    this.admissionBatchLimit = Math.max(1, Math.min(maxAdmissionBatch, options.store.maxAdmissionBatch ?? Infinity));
    this.failureLog = new FailureLog(options.logger, this.now);
    this.held = new HeldHeartbeats(options.heldHeartbeats ?? { maxPerRoom: 2_000, maxTotal: 10_000 });
  }

  /** A fresh admission token for an admitted visitor (lives one heartbeat timeout); null otherwise. */
  protected async admissionFor(room: RoomState, visitor: Visitor): Promise<string | null> {
    if (visitor.state !== "admitted") return null;
    return this.options.admissionTokens.issue({
      room: room.config.id,
      visitorId: visitor.id,
      admissionNo: visitor.admissionNo ?? 0,
      lifetimeMs: room.config.heartbeatTimeoutMs,
    });
  }

  protected changeSettings<T>(change: () => Promise<T>): Promise<T> {
    const result = this.settingsChain.then(change);
    this.settingsChain = result.catch(() => undefined);
    return result;
  }

  /**
   * A background write failed. Refused by an open breaker: pause background writes until a
   * probe may go through (the breaker logged the outage once). Anything else: logged, at most
   * once per kind and room per interval.
   */
  protected noteStoreFailure(error: unknown, key: string, fields: Record<string, unknown>, message: string): void {
    if (isStoreUnavailable(error)) {
      this.storeRetryAtMs = Math.max(this.storeRetryAtMs, this.now() + error.retryAfterMs);
      return;
    }
    this.failureLog.error(key, { err: error, ...fields }, message);
  }

  /**
   * An eviction is only as good as its stored removal: one made while the store is known to be
   * down would live in memory alone, and a restart before the store came back would bring the
   * visitor back in. Refused instead (503, nothing changed); the operator tries again.
   */
  protected refuseWhileStoreDown(): void {
    const retryInMs = this.storeRetryAtMs - this.now();
    if (retryInMs <= 0) return;
    throw new AppError(
      "unavailable",
      "The queue store is unreachable, so nobody was removed (a removal that is not stored could come back after a restart). Try again once it is back.",
      Math.max(1, Math.ceil(retryInMs / 1000)),
    );
  }

  /** A store failure as the visitor sees it: 503 with a Retry-After. */
  protected unavailable(error: unknown): AppError {
    const retryAfterMs = isStoreUnavailable(error) ? error.retryAfterMs : 5_000;
    return new AppError(
      "unavailable",
      "The waiting room cannot hand out new places right now. Please try again in a moment.",
      Math.max(1, Math.ceil(retryAfterMs / 1000)),
    );
  }

  /** An operator's change refused by an open breaker answers 503; other failures stay errors (500, logged). */
  protected operatorError(error: unknown): unknown {
    if (!isStoreUnavailable(error)) return error;
    return new AppError(
      "unavailable",
      "The queue store is unreachable; the change was not made. Try again once it is back.",
      Math.max(1, Math.ceil(error.retryAfterMs / 1000)),
    );
  }

  protected roomExists(roomId: string): AppError {
    return new AppError("room_exists", `A room named "${roomId}" already exists.`);
  }

  /** Hands removals to the store; ones that fail are retried on the next tick. Never rejects. */
  protected fileRemovals(room: RoomState, removals: Removal[]): Promise<void> {
    const roomId = room.config.id;
    return this.options.store.remove(roomId, removals).catch((error: unknown) => {
      // A deleted room took its entries with it: nothing left to retry.
      if (this.rooms.get(roomId) !== room) return;
      this.noteStoreFailure(
        error,
        `removal:${roomId}`,
        { room: roomId, count: removals.length },
        "removal not stored; will retry",
      );
      // Ahead of any filed since: they are older.
      const later = this.failedRemovals.get(roomId) ?? [];
      this.failedRemovals.set(roomId, removals.concat(later));
    });
  }

  /** Out of the room, and any held heartbeat of theirs answered; `revoke` as RoomState.drop. */
  protected drop(room: RoomState, visitor: Visitor, reason: Removal["reason"], nowMs: number, revoke?: boolean): void {
    room.drop(visitor, reason, nowMs, revoke);
    if (reason !== "evicted" && !revoke) room.gone.noteSilent(visitor.id, nowMs);
    this.held.wake(visitor);
  }

  protected newRoomState(config: RoomConfig, counters: RoomCounters, nowMs: number): RoomState {
    const state = new RoomState(
      config,
      counters,
      nowMs,
      this.options.etaWindowMs,
      100,
      this.options.placeReferences.forRoom(config.id),
    );
    state.holdLookaheadMax = this.options.heldHeartbeats?.maxPerRoom ?? 2_000;
    return state;
  }

  /**
   * Proof of life from a page (`pageId`, when the client sends one). A heartbeat from the very
   * page that said goodbye was already on its way when the tab closed: it does not undo the
   * goodbye. Any other page (a reload, a second tab) does.
   */
  protected touch(room: RoomState, visitor: Visitor, pageId?: string): void {
    if (visitor.leaving && pageId !== undefined && pageId === visitor.leftPage) return;
    visitor.leaving = false;
    visitor.leftPage = null;
    // Later deadline: the wheel re-files it lazily when its old bucket comes due. An earlier
    // one (the timeout was lowered) is filed again now.
    visitor.deadlineMs = this.now() + room.config.heartbeatTimeoutMs;
    room.wheel.refileIfEarlier(visitor);
  }

  protected async requireVisitor(room: RoomState, token: string): Promise<Visitor> {
    return (await this.authenticate(room, token)) ?? this.refuseToken(room, token);
  }

  /**
   * Why a token that holds no live place is refused: session_ended (the time limit) or
   * token_expired, each with the `reason` the page shows (GoneReason), or invalid_token.
   */
  protected async refuseToken(room: RoomState, token: string): Promise<never> {
    const genuine = await this.options.queueTokens.verify(token);
    if (genuine && genuine.room === room.config.id) {
      const nowMs = this.now();
      if (room.sessions.endedAt(genuine.jti, nowMs) !== null) {
        throw new AppError("session_ended", "Your time in the room is up. You can join the line again.", undefined, {
          reason: "session_limit",
        });
      }
      const reason = room.gone.reasonFor(genuine.jti, genuine.iat * 1000, nowMs);
      throw new AppError("token_expired", goneMessages[reason], undefined, { reason });
    }
    throw new AppError("invalid_token", "The queue token is not valid for this room.");
  }

  /**
   * The live visitor this token belongs to, or null (forged, re-spelled, other room, or gone).
   * Identity is the verified claims (the id); the index is only a cache from the one canonical
   * string to the visitor, at most one key per visitor, removed with it (`RoomState.drop`).
   */
  protected async authenticate(room: RoomState, token: string): Promise<Visitor | null> {
    // Exactly the string this process issued (or verified once): authentic by construction.
    const known = room.visitorByToken(token);
    if (known) return known;
    // Not indexed: a forged token, a re-spelled one, another room's, a gone visitor's, one
    // restored after a restart that has not been seen yet, or one whose index key another live
    // token holds (RoomState's tokenKey). Only the last two survive this check (verify refuses
    // any spelling but the canonical one).
    const claims = await this.options.queueTokens.verify(token);
    if (!claims || claims.room !== room.config.id) return null;
    const visitor = room.visitors.get(claims.jti);
    if (!visitor || visitor.gone || visitor.seq !== claims.seq) return null;
    // A copy, so the index does not keep the request's whole header string alive.
    room.indexToken(visitor, Buffer.from(token, "latin1").toString("latin1"));
    return visitor;
  }

  protected room(roomId: string): RoomState {
    const room = this.rooms.get(roomId);
    if (!room) throw this.noSuchRoom(roomId);
    return room;
  }

  protected noSuchRoom(roomId: string): AppError {
    return new AppError("room_not_found", `No waiting room named "${roomId}".`);
  }
}

/** What an API client reads beside each reason (the waiting page shows its own copy). */
const goneMessages: Record<Exclude<GoneReason, "session_limit">, string> = {
  evicted: "The site removed this place from the line. You can join the line again.",
  ended_by_site: "The site ended this session. You can join the line again.",
  timed_out: "This place in line has expired: its page stopped checking in. Join the line again.",
  lost: "This place was lost on our side (the waiting room restarted and could not restore it). Join the line again.",
};

/** At most one line per key per interval, carrying how many were held back in between. */
class FailureLog {
  private readonly last = new Map<string, { atMs: number; suppressed: number }>();

  constructor(
    private readonly logger: Logger,
    private readonly now: () => number,
    private readonly intervalMs = 30_000,
  ) {}

  error(key: string, fields: Record<string, unknown>, message: string): void {
    const nowMs = this.now();
    const last = this.last.get(key);
    if (last && nowMs - last.atMs < this.intervalMs) {
      last.suppressed++;
      return;
    }
    this.logger.error({ ...fields, suppressedSinceLast: last?.suppressed ?? 0 }, message);
    this.last.set(key, { atMs: nowMs, suppressed: 0 });
  }
}
