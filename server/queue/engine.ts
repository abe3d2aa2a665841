import "server-only";
import { AppError, isAppError } from "@/server/api/errors";
import type { Logger } from "@/server/log";
import { type HeldHeartbeatLimits, HeldHeartbeats } from "@/server/queue/held-heartbeats";
import type { PlaceReferences } from "@/server/queue/place-reference";
import { RoomState } from "@/server/queue/room-state";
import type {
  QueueStatus,
  RoomConfig,
  RoomSettings,
  RoomStats,
  RoomSummary,
  TokenInfo,
  TokenQuery,
} from "@/server/queue/types";
import type { Visitor } from "@/server/queue/visitor";
import { newRandomVisitorId, newVisitorId } from "@/server/queue/visitor-id";
import { isStoreUnavailable } from "@/server/store/guarded-store";
import { type QueueStore, type Removal, type RoomCounters, StoreConflictError } from "@/server/store/queue-store";
import type { AdmissionTokens } from "@/server/tokens/admission-token";
import type { QueueTokens } from "@/server/tokens/queue-token";

// The engine owns every queue state transition: enter, heartbeat, leave, expiry, admission,
// and the operator's (room settings, eviction, admission out of turn, drain). Live state is
// in memory and changed synchronously (one event loop: no interleaving inside a transition);
// what must survive a crash is written through the store before the visitor (or operator) is
// told about it. See server/queue/README.md for the capacity invariant.

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
};

/**
 * A heartbeat that may be held (long poll): answered when the visitor is admitted or removed,
 * after `ms` at the latest (capped at the room's heartbeat interval), or never if `signal`
 * aborts (the client hung up).
 */
export type HoldRequest = { ms: number; signal?: AbortSignal };

/** Who is joining, for the room's bypass rules: the client's address, and whether they hold an API key for the room. */
export type JoinVia = { address: string | null; keyHolder: boolean };

export type EnterResult = { token: string; status: QueueStatus; resumed: boolean; admissionToken: string | null };
export type HeartbeatResult = { status: QueueStatus; admissionToken: string | null };

/**
 * What the public queue API asks of an engine: the local one, or on a cluster node that does
 * not run the rooms, a client that forwards these calls to the node that does.
 */
export type VisitorEngine = Pick<
  QueueEngine,
  "resume" | "join" | "heartbeat" | "heartbeatInLine" | "leave" | "endSessionByToken" | "requireStatus" | "roomSummary"
>;

/**
 * Default restore grace for a room. Pages retry at most a quarter of the timeout apart
 * (components/waiting/retry-delay.ts), so each checks in within that once we listen; but
 * rooms are loaded before the server listens (Next still has to start: 9-28 s measured on a
 * busy 2-core machine in e2e/outage.spec.ts), and a takeover node answers only once the
 * followers have found it. Two timeouts, and never less than one plus 30 s, cover both; an
 * admitted visitor who never comes back holds its slot that long.
 */
export function restoreGraceMsFor(heartbeatTimeoutMs: number): number {
  return Math.max(2 * heartbeatTimeoutMs, heartbeatTimeoutMs + 30_000);
}

/** Most visitors one admission write takes (a capacity raise, passthrough); the rest follow on the next ticks. */
const maxAdmissionBatch = 5_000;
/** Capacity handed to the store in passthrough: no limit, but the write still requires "still waiting". */
const unlimitedCapacity = Number.MAX_SAFE_INTEGER;
/** Counters of a room just created (the store's defaults). */
const freshCounters: RoomCounters = {
  nextSeq: 1,
  nextAdmission: 1,
  arrivedTotal: 0,
  admittedTotal: 0,
  expiredTotal: 0,
  leftTotal: 0,
  evictedTotal: 0,
  active: 0,
};

export class QueueEngine {
  private readonly rooms = new Map<string, RoomState>();
  private readonly now: () => number;
  private readonly random: () => number;
  /**
   * Per room, the admission being written: one at a time per room, so admission numbers stay
   * in order and a failed batch can hand its numbers back. Settles, never rejects.
   */
  private readonly admitting = new Map<string, Promise<void>>();
  private failedRemovals = new Map<string, Removal[]>();
  /**
   * Until when background writes (admissions, removals) are not attempted: the store's breaker
   * is open (server/store/guarded-store.ts). Removals wait in `failedRemovals` meanwhile.
   */
  private storeRetryAtMs = 0;
  /** Store failures, logged once per kind and room per interval: a tick runs 10 times a second. */
  private readonly failureLog: FailureLog;
  /** Room settings changes run one at a time: each checks invariants against committed settings. */
  private settingsChain: Promise<unknown> = Promise.resolve();
  /** Most visitors per admission write: ours, or fewer if the store writes fewer atomically. */
  private readonly admissionBatchLimit: number;
  /** Heartbeats held open for visitors near the front, woken when they are admitted or removed. */
  private readonly held: HeldHeartbeats;

  constructor(private readonly options: EngineOptions) {
    this.now = options.clock ?? Date.now;
    this.random = options.random ?? Math.random;
    this.admissionBatchLimit = Math.max(1, Math.min(maxAdmissionBatch, options.store.maxAdmissionBatch ?? Infinity));
    this.failureLog = new FailureLog(options.logger, this.now);
    this.held = new HeldHeartbeats(options.heldHeartbeats ?? { maxPerRoom: 2_000, maxTotal: 10_000 });
  }

  /** Loads rooms and every stored place in line; call before serving (again after unload()). */
  async start(): Promise<void> {
    // First start only: a room an operator deleted must not come back with the next restart.
    if ((await this.options.store.listRooms()).length === 0) {
      for (const room of this.options.initialRooms) await this.options.store.ensureRoom(room);
    }
    for (const config of await this.options.store.listRooms()) {
      const { counters, entries } = await this.options.store.loadRoomState(config.id);
      const nowMs = this.now();
      const state = this.newRoomState(config, counters, nowMs);
      // Admitted ones in admission order (the order the admin console lists them in), then
      // the line by place.
      entries.sort((a, b) => (a.admissionNo ?? Infinity) - (b.admissionNo ?? Infinity) || a.seq - b.seq);
      const graceMs = this.options.restoreGraceMs ?? restoreGraceMsFor(config.heartbeatTimeoutMs);
      for (const entry of entries) state.restore(entry, nowMs, graceMs);
      this.rooms.set(config.id, state);
      this.options.logger.info({ room: config.id, waiting: state.waiting, active: state.active }, "room loaded");
    }
  }

  /**
   * Forgets every room (a cluster node that lost the lease: another node runs them now, from
   * what is stored). Waits for writes in flight first; `start()` loads them all again.
   */
  async unload(): Promise<void> {
    await Promise.all([...this.admitting.values()]);
    await this.settingsChain.catch(() => undefined);
    this.rooms.clear();
    // Their pages ask again (the answer is "no such room" until a node runs it again).
    this.held.wakeAll();
    this.failedRemovals = new Map();
  }

  roomIds(): string[] {
    return [...this.rooms.keys()];
  }

  /** The room whose protected paths cover this pathname (longest prefix wins), if any. */
  roomForPath(pathname: string): RoomConfig | null {
    let best: RoomConfig | null = null;
    let bestLength = -1;
    for (const { config } of this.rooms.values()) {
      for (const prefix of config.protectedPaths) {
        const covers = pathname === prefix || pathname.startsWith(prefix.endsWith("/") ? prefix : `${prefix}/`);
        if (covers && prefix.length > bestLength) {
          best = config;
          bestLength = prefix.length;
        }
      }
    }
    return best;
  }

  roomSummary(roomId: string): RoomSummary | null {
    return this.rooms.get(roomId)?.summary(this.now()) ?? null;
  }

  roomStats(roomId: string): RoomStats {
    return this.room(roomId).stats(this.now());
  }

  /** Gives the visitor a place in line, or returns the place their token already holds. */
  async enter(roomId: string, presentedToken: string | undefined): Promise<EnterResult> {
    return (await this.resume(roomId, presentedToken)) ?? this.join(roomId);
  }

  /** The place this token already holds (counted as a heartbeat), or null. */
  async resume(roomId: string, presentedToken: string | undefined, pageId?: string): Promise<EnterResult | null> {
    const room = this.room(roomId);
    if (!presentedToken) return null;
    const visitor = await this.authenticate(room, presentedToken);
    if (!visitor) return null;
    this.touch(room, visitor, pageId);
    const status = room.statusOf(visitor, this.now());
    return { token: presentedToken, status, resumed: true, admissionToken: await this.admissionFor(room, visitor) };
  }

  /**
   * A new place at the end of the line; or, for a visitor the room lets skip the line (`via`: an
   * address in its bypass ranges, or an API key for the room), a slot at once when one is free
   * and otherwise the next one, ahead of everyone waiting (not during a pre-queue, whose order
   * is drawn for everyone).
   */
  async join(roomId: string, via?: JoinVia): Promise<EnterResult> {
    const room = this.room(roomId);
    if (room.config.mode === "closed") throw new AppError("room_closed", "This room is closed to new arrivals.", 60);
    // Shed load before any write: a full room costs nothing more than this check.
    if (room.full) throw new AppError("room_full", "The waiting room is full. Please try again later.", 30);

    const enteredAtMs = this.now();
    const id = this.options.store.idOrder === "arrival" ? newVisitorId() : newRandomVisitorId();
    const initialAhead = room.waiting + room.pendingArrivals;
    room.pendingArrivals++;
    let seq: number;
    try {
      [seq = 0] = await this.options.store.enter(roomId, [{ id, initialAhead, enteredAtMs }]);
    } catch (error) {
      // The room was deleted while the place was being written.
      if (this.rooms.get(roomId) !== room) throw this.noSuchRoom(roomId);
      if (isAppError(error)) throw error;
      // No durable place, no place: the visitor is told to come back (503 + Retry-After), never a 500.
      // Refused by an open breaker: background writes and evictions wait too (noteStoreFailure).
      this.noteStoreFailure(error, `arrival:${roomId}`, { room: roomId }, "place not stored");
      throw this.unavailable(error);
    } finally {
      room.pendingArrivals--;
    }
    const nowMs = this.now();
    const visitor: Visitor = {
      id,
      seq,
      place: seq,
      held: false,
      state: "waiting",
      deadlineMs: nowMs + room.config.heartbeatTimeoutMs,
      bucket: 0,
      gone: false,
      initialAhead,
      enteredAtMs,
      admittedAtMs: null,
      admissionNo: null,
      token: null,
      leaving: false,
      reference: null,
      sessionStartMs: null,
      bypassed: false,
      leftPage: null,
      frontRank: 0,
    };
    room.visitors.set(id, visitor);
    if (!room.holdArrival(visitor)) room.line.insert(seq, visitor);
    room.wheel.schedule(visitor);
    room.totals.arrived++;
    room.arrivals.record(nowMs);
    const token = this.options.queueTokens.issue({ jti: id, room: roomId, seq });
    room.indexToken(visitor, token);
    const skips = via !== undefined && room.skipsLine(via);
    if (skips) {
      visitor.bypassed = true;
      room.bypassedTotal++;
    }
    await this.admitOnArrival(room, visitor);
    if (skips && !visitor.held && visitor.state === "waiting" && !visitor.gone) await this.skipLine(room, visitor);
    const status = room.statusOf(visitor, this.now());
    return { token, status, resumed: false, admissionToken: await this.admissionFor(room, visitor) };
  }

  /**
   * Heartbeat without a single await, for the gate's hot path: answers for a known visitor in
   * line, or returns null to take the full path (unknown token, or admitted: those need a
   * freshly signed admission token).
   */
  heartbeatInLine(roomId: string, token: string, pageId?: string): QueueStatus | null {
    const room = this.rooms.get(roomId);
    const visitor = room?.visitorByToken(token);
    if (!room || !visitor || visitor.state === "admitted") return null;
    this.touch(room, visitor, pageId);
    return room.statusOf(visitor, this.now());
  }

  /**
   * Proof of life. Admitted visitors also get a fresh admission token. With `hold`, a visitor
   * told to hold (`status.hold`) is answered when admitted (with its admission token), when
   * removed (token_expired), or when the hold runs out (its status); anyone else, or beyond
   * the bound on held requests, at once (then `status.hold` is false).
   */
  async heartbeat(roomId: string, token: string, pageId?: string, hold?: HoldRequest): Promise<HeartbeatResult> {
    const room = this.room(roomId);
    const visitor = await this.requireVisitor(room, token);
    this.touch(room, visitor, pageId);
    let status = room.statusOf(visitor, this.now());
    if (hold && hold.ms > 0 && (status.hold || visitor.state === "admitting")) {
      const ms = Math.min(hold.ms, room.config.heartbeatIntervalMs);
      const held = this.held.hold(roomId, visitor, ms, hold.signal);
      if (!held) return { status: { ...status, hold: false }, admissionToken: null };
      if ((await held) === "hangup") return { status, admissionToken: null };
      // Woken: admitted, removed, or the room is gone from this node (deleted, or another node
      // runs it now): the page's next heartbeat finds out where it stands.
      if (this.rooms.get(roomId) !== room) return { status: { ...status, hold: false }, admissionToken: null };
      if (visitor.gone) await this.requireVisitor(room, token);
      status = room.statusOf(visitor, this.now());
    }
    return { status, admissionToken: await this.admissionFor(room, visitor) };
  }

  /** Held heartbeats now, per room (the gauge floodgate_held_heartbeats). */
  heldHeartbeats(): Map<string, number> {
    return this.held.counts();
  }

  /** Answers every held heartbeat at once (shutdown: nobody waits out their hold). */
  releaseHeldHeartbeats(): void {
    this.held.wakeAll();
  }

  /** A fresh admission token for an admitted visitor (lives one heartbeat timeout); null otherwise. */
  private async admissionFor(room: RoomState, visitor: Visitor): Promise<string | null> {
    if (visitor.state !== "admitted") return null;
    return this.options.admissionTokens.issue({
      room: room.config.id,
      visitorId: visitor.id,
      admissionNo: visitor.admissionNo ?? 0,
      lifetimeMs: room.config.heartbeatTimeoutMs,
    });
  }

  /** Current status without counting as a heartbeat; null when the token holds no place. */
  async status(roomId: string, token: string): Promise<QueueStatus | null> {
    const room = this.rooms.get(roomId);
    if (!room) return null;
    const visitor = await this.authenticate(room, token);
    if (visitor) return room.statusOf(visitor, this.now());
    const endedAtMs = await this.sessionEndedAt(room, token);
    return endedAtMs === null ? null : room.sessionEndedStatus(endedAtMs, this.now());
  }

  /** When the time limit ended the session of this (genuine) token's visitor; else null. */
  private async sessionEndedAt(room: RoomState, token: string): Promise<number | null> {
    const claims = await this.options.queueTokens.verify(token);
    if (!claims || claims.room !== room.config.id) return null;
    return room.sessions.endedAt(claims.jti, this.now());
  }

  /** Current status without counting as a heartbeat; throws token_expired or invalid_token. */
  async requireStatus(roomId: string, token: string): Promise<QueueStatus> {
    const room = this.room(roomId);
    return room.statusOf(await this.requireVisitor(room, token), this.now());
  }

  /**
   * The visitor is going (tab closed). The place or slot is released after a short grace,
   * so that a reload, which also fires pagehide, keeps it.
   */
  async leave(roomId: string, token: string, pageId?: string): Promise<void> {
    const room = this.room(roomId);
    const visitor = await this.authenticate(room, token);
    if (!visitor) return;
    const deadlineMs = this.now() + (this.options.leaveGraceMs ?? room.config.heartbeatIntervalMs + 1_000);
    // Two tabs closing together send two leaves: one departure, filed once.
    if (visitor.leaving && visitor.deadlineMs <= deadlineMs) return;
    visitor.leaving = true;
    visitor.leftPage = pageId ?? null;
    visitor.deadlineMs = Math.min(visitor.deadlineMs, deadlineMs);
    room.wheel.schedule(visitor);
  }

  /** One pass of background work: drop silent and departed visitors, then fill free slots. */
  async tick(): Promise<void> {
    const work: Promise<void>[] = [];
    // The store refuses everything while its breaker is open: expire in memory only (the
    // removals wait), admit nobody, and try again once a probe may go through.
    const storeAvailable = this.now() >= this.storeRetryAtMs;
    for (const room of this.rooms.values()) {
      this.expireDue(room, storeAvailable);
      if (storeAvailable && !this.admitting.has(room.config.id)) work.push(this.admitNext(room));
    }
    await Promise.all(work);
  }

  /** Removals not yet stored (the store failed), per room: written on a later tick. */
  pendingRemovals(): number {
    let count = 0;
    for (const removals of this.failedRemovals.values()) count += removals.length;
    return count;
  }

  // ---- Operator transitions (the admin console) ----

  /** Every room's settings, in creation order. */
  listRoomConfigs(): RoomConfig[] {
    return Array.from(this.rooms.values(), (room) => room.config);
  }

  roomConfig(roomId: string): RoomConfig {
    return this.room(roomId).config;
  }

  /** A new room, stored first and then opened. */
  createRoom(config: RoomConfig): Promise<RoomConfig> {
    return this.changeSettings(async () => {
      if (this.rooms.has(config.id)) throw this.roomExists(config.id);
      this.checkSettings(config);
      let stored: RoomConfig;
      try {
        stored = await this.options.store.createRoom(config);
      } catch (error) {
        if (error instanceof StoreConflictError) throw this.roomExists(config.id);
        throw this.operatorError(error);
      }
      this.rooms.set(stored.id, this.newRoomState(stored, freshCounters, this.now()));
      this.options.logger.info({ room: stored.id }, "room created");
      return stored;
    });
  }

  /**
   * New settings, stored first and then live. A capacity raise is used by the next tick; a
   * capacity below `active` evicts nobody (admission waits until enough have gone); a new
   * heartbeat timeout applies to each visitor from their next heartbeat; "closed" stops
   * arrivals and admission.
   */
  updateRoom(roomId: string, patch: Partial<RoomSettings>): Promise<{ before: RoomConfig; after: RoomConfig }> {
    return this.changeSettings(async () => {
      const room = this.room(roomId);
      const before = room.config;
      const changes = definedSettings(patch);
      this.checkSettings({ ...before, ...changes });
      let after: RoomConfig;
      try {
        after = await this.options.store.updateRoom(roomId, changes);
      } catch (error) {
        if (error instanceof StoreConflictError) throw this.noSuchRoom(roomId);
        throw this.operatorError(error);
      }
      room.applyConfig(after);
      this.options.logger.info({ room: roomId, changes }, "room updated");
      return { before, after };
    });
  }

  /**
   * Deletes a room with everything in it. Refused while anyone is inside, waiting or being
   * let in, unless forced (their tokens then stop working: the room is gone).
   */
  deleteRoom(roomId: string, options: { force: boolean }): Promise<RoomConfig> {
    return this.changeSettings(async () => {
      const room = this.room(roomId);
      const waiting = room.waiting + room.pendingArrivals;
      if ((room.active > 0 || waiting > 0) && !options.force) {
        throw new AppError(
          "room_not_empty",
          `Room "${roomId}" still has ${room.active} inside and ${waiting} waiting: drain it or wait, or force the deletion.`,
        );
      }
      // Out of service first, so nobody joins a room being deleted; put back if the write fails.
      const order = [...this.rooms.keys()];
      this.rooms.delete(roomId);
      try {
        await this.options.store.deleteRoom(roomId);
      } catch (error) {
        const others = new Map(this.rooms);
        this.rooms.clear();
        for (const id of order) this.rooms.set(id, id === roomId ? room : (others.get(id) as RoomState));
        throw this.operatorError(error);
      }
      this.failedRemovals.delete(roomId);
      this.held.wakeRoom(roomId);
      this.options.logger.info({ room: roomId, active: room.active, waiting }, "room deleted");
      return room.config;
    });
  }

  /**
   * Places and admissions for the console: admitted ones by admission number, then those waiting
   * by position (the ones moved to the front first); `search` is a place's reference code (as
   * typed: any case, dashes or not) or the start of a visitor id; `total` counts every match.
   * O(n) at worst (a search); without one, a page of the line costs O(limit log n).
   */
  listTokens(roomId: string, query: TokenQuery): { items: TokenInfo[]; total: number } {
    const room = this.room(roomId);
    const { state, search, offset, limit } = query;
    const referenceSeq = search ? room.seqOfReference(search) : null;
    const matches = (visitor: Visitor) => !search || visitor.seq === referenceSeq || visitor.id.startsWith(search);
    const items: TokenInfo[] = [];
    let total = 0;
    const take = (visitor: Visitor, position: number | null) => {
      if (total >= offset && items.length < limit) items.push(room.tokenInfo(visitor, position));
      total++;
    };
    if (state !== "waiting") {
      for (const visitor of room.inside) if (matches(visitor)) take(visitor, null);
    }
    if (state === "admitted") return { items, total };
    if (search) {
      let position = 0;
      for (const visitor of room.front) {
        position++;
        if (matches(visitor)) take(visitor, position);
      }
      for (const { item } of room.line) {
        position++;
        if (matches(item)) take(item, position);
      }
      for (const visitor of room.preQueue?.members ?? []) {
        position++;
        if (matches(visitor)) take(visitor, position);
      }
      return { items, total };
    }
    // No filter: jump straight to the page (O(log n) a place in the front and line).
    const first = Math.max(1, offset - total + 1);
    const lined = room.front.length + room.line.length;
    for (let position = first; items.length < limit && position <= lined; position++) {
      const visitor = room.waitingAt(position);
      if (!visitor) break;
      items.push(room.tokenInfo(visitor, position));
    }
    // The pre-queue is a set: one walk to the page, not one per row.
    let position = lined;
    for (const visitor of room.preQueue?.members ?? []) {
      if (items.length >= limit) break;
      if (++position >= first) items.push(room.tokenInfo(visitor, position));
    }
    return { items, total: total + room.waiting };
  }

  /** One place or admission; null when the visitor is unknown or gone. */
  tokenInfo(roomId: string, visitorId: string): TokenInfo | null {
    const room = this.room(roomId);
    const visitor = room.visitors.get(visitorId);
    if (!visitor || visitor.gone) return null;
    return room.tokenInfo(visitor, visitor.state === "waiting" ? room.positionOf(visitor) : null);
  }

  /**
   * Removes a visitor now, waiting or inside. Their admission token stops working at once
   * (`isAdmissionRevoked`); their queue token answers "expired". Returns them as they were.
   */
  async evict(roomId: string, visitorId: string): Promise<TokenInfo> {
    const room = this.room(roomId);
    const info = this.tokenInfo(roomId, visitorId);
    const visitor = room.visitors.get(visitorId);
    if (!info || !visitor) throw new AppError("token_not_found", `No visitor "${visitorId}" in room "${roomId}".`);
    this.refuseWhileStoreDown();
    this.drop(room, visitor, "evicted", this.now());
    await this.fileRemovals(room, [{ id: visitor.id, reason: "evicted" }]);
    this.options.logger.info({ room: roomId, visitor: visitorId, state: info.state }, "visitor evicted");
    return info;
  }

  /**
   * Ends a visitor's session now: the protected site says they are done (checkout complete),
   * or their own page does. Their slot, or their place in line, is freed at once (the next in
   * line gets it at the next tick) and counted as a leave, and their admission token stops
   * working. Idempotent: a visitor already gone, or never known, is not an error (null).
   */
  async endSession(roomId: string, visitorId: string, by: "site" | "page"): Promise<TokenInfo | null> {
    const room = this.room(roomId);
    const visitor = room.visitors.get(visitorId);
    if (!visitor || visitor.gone) return null;
    this.refuseWhileStoreDown();
    const info = room.tokenInfo(visitor, visitor.state === "waiting" ? room.positionOf(visitor) : null);
    this.drop(room, visitor, "left", this.now(), true);
    room.sessionsEnded++;
    await this.fileRemovals(room, [{ id: visitor.id, reason: "left" }]);
    this.options.logger.info({ room: roomId, visitor: visitorId, state: info.state, by }, "session ended");
    return info;
  }

  /**
   * The visitor's own page ends their session (floodgate.js `Floodgate.endSession()`, the demo
   * shop's "done"): endSession, found by their queue token. A genuine token whose place is
   * already gone has nothing left to end; a token this room never issued is refused.
   */
  async endSessionByToken(roomId: string, token: string): Promise<void> {
    const room = this.room(roomId);
    const visitor = await this.authenticate(room, token);
    if (visitor) {
      await this.endSession(roomId, visitor.id, "page");
      return;
    }
    const genuine = await this.options.queueTokens.verify(token);
    if (!genuine || genuine.room !== roomId) {
      throw new AppError("invalid_token", "The queue token is not valid for this room.");
    }
  }

  /** A bypass visitor's turn: admitted now if a slot is free, else first in line (admitNow). */
  private async skipLine(room: RoomState, visitor: Visitor): Promise<void> {
    try {
      await this.admitNow(room.config.id, visitor.id);
    } catch (error) {
      // Its place in line stands: it is admitted in turn, or by the next tick from the front.
      this.options.logger.warn({ err: error, room: room.config.id, visitor: visitor.id }, "bypass not applied");
    }
  }

  /**
   * Lets one waiting visitor in out of turn. With a free slot (always in passthrough) it is
   * admitted at once, through the same conditional write as every admission: admitted only once
   * that committed. Without one, or in a closed room, it moves to the front of the line, behind
   * those moved there before it: the next free slot is theirs (in an open room the tick hands a
   * freed slot to the line within 100 ms, so waiting for one here would almost never succeed).
   * Already at the front with no slot for it: nothing changes. Returns it as it now is.
   */
  async admitNow(roomId: string, visitorId: string): Promise<TokenInfo> {
    // One admission write per room at a time: wait for the one in flight.
    for (let inFlight = this.admitting.get(roomId); inFlight; inFlight = this.admitting.get(roomId)) await inFlight;
    const room = this.room(roomId);
    const visitor = room.visitors.get(visitorId);
    if (!visitor || visitor.gone) {
      throw new AppError("token_not_found", `No visitor "${visitorId}" in room "${roomId}".`);
    }
    if (visitor.state !== "waiting") throw new AppError("not_waiting", `Visitor "${visitorId}" is already admitted.`);
    const { mode } = room.config;
    const capacity = room.capacity;
    const passthrough = mode === "passthrough";
    // Free slots are owed to those moved to the front earlier first.
    const owedAhead = visitor.frontRank ? room.front.indexOf(visitor) : room.front.length;
    // No slot for them now, or none the new-users limit lets through yet: to the front.
    if (mode === "closed" || (!passthrough && room.admissibleNow(this.now()) <= owedAhead)) {
      if (!visitor.frontRank) {
        room.moveToFront(visitor);
        this.options.logger.info(
          { room: roomId, visitor: visitorId, position: room.front.length },
          "visitor moved to the front of the line",
        );
      }
      return room.tokenInfo(visitor, room.positionOf(visitor));
    }
    room.takeOut(visitor);
    try {
      await this.admitBatch(room, [visitor], passthrough ? unlimitedCapacity : capacity);
    } catch (error) {
      if (error instanceof StoreConflictError) {
        this.options.logger.error({ err: error, room: roomId, visitor: visitorId }, "admission not stored");
        throw new AppError("conflict", "The admission could not be stored (the room changed meanwhile); try again.");
      }
      throw this.operatorError(error);
    }
    this.options.logger.info({ room: roomId, visitor: visitorId }, "visitor admitted out of turn");
    return room.tokenInfo(visitor, null);
  }

  /** Evicts everyone waiting, the front included (not those inside); returns how many. */
  async drain(roomId: string): Promise<number> {
    const room = this.room(roomId);
    this.refuseWhileStoreDown();
    const nowMs = this.now();
    const removals: Removal[] = [];
    const waiting = [...room.front];
    for (const { item } of room.line) waiting.push(item);
    waiting.push(...(room.preQueue?.members ?? []));
    for (const visitor of waiting) {
      this.drop(room, visitor, "evicted", nowMs);
      removals.push({ id: visitor.id, reason: "evicted" });
    }
    if (removals.length) await this.fileRemovals(room, removals);
    this.options.logger.info({ room: roomId, count: removals.length }, "room drained");
    return removals.length;
  }

  // ---- Scale events and surges (server/schedule decides; the engine applies) ----

  /**
   * Raises what admission fills up to (an event or surge): the room's own capacity or this,
   * whichever is higher; null goes back to the room's own. Used by the next tick.
   */
  setCapacityOverride(roomId: string, capacity: number | null): void {
    const room = this.room(roomId);
    if (room.capacityOverride === capacity) return;
    const before = room.capacity;
    room.capacityOverride = capacity;
    this.options.logger.info(
      { room: roomId, before, after: room.capacity, override: capacity },
      "capacity override set",
    );
  }

  /**
   * The limit on admissions per minute an active event or surge sets (server/schedule decides);
   * null goes back to the room's own setting. Used by the next tick.
   */
  setNewUsersOverride(roomId: string, perMinute: number | null): void {
    const room = this.room(roomId);
    if (room.newUsersOverride === perMinute) return;
    room.newUsersOverride = perMinute;
    room.rate.setPerMinute(room.newUsersPerMinute);
    this.options.logger.info(
      { room: roomId, override: perMinute, applies: room.newUsersPerMinute },
      "new-users limit override set",
    );
  }

  /** What admission fills up to now (the room's capacity, or its override when higher). */
  effectiveCapacity(roomId: string): number {
    return this.room(roomId).capacity;
  }

  /**
   * Opens a pre-queue: arrivals from now until its release (and those in line who arrived in
   * [opensAtMs, startsAtMs), after a restart) are held and not admitted. Idempotent.
   */
  openPreQueue(roomId: string, window: { opensAtMs: number; startsAtMs: number }): void {
    const room = this.room(roomId);
    room.openPreQueue(window.opensAtMs, window.startsAtMs);
    const held = room.preQueue?.members.size ?? 0;
    this.options.logger.info({ room: roomId, ...window, held }, "pre-queue open");
  }

  /**
   * Releases the pre-queue into the line, those who came before the start in an order drawn
   * from `seed` (null: arrival order, e.g. the event was cancelled). Nothing when none is open.
   */
  releasePreQueue(roomId: string, seed: string | null): { shuffled: number } {
    const room = this.room(roomId);
    const held = room.preQueue?.members.size ?? 0;
    const shuffled = room.releasePreQueue(seed);
    if (held) this.options.logger.info({ room: roomId, held, shuffled }, "pre-queue released");
    return { shuffled };
  }

  preQueueOf(roomId: string): { opensAtMs: number; startsAtMs: number; waiting: number } | null {
    const preQueue = this.room(roomId).preQueue;
    return preQueue
      ? { opensAtMs: preQueue.opensAtMs, startsAtMs: preQueue.startsAtMs, waiting: preQueue.members.size }
      : null;
  }

  /**
   * How long the middle of the line has waited so far (ms; null when nobody waits): O(log n),
   * so a stalled line shows in the alerts' wait figure even when nobody is being admitted.
   */
  medianTimeInLineMs(roomId: string): number | null {
    const room = this.rooms.get(roomId);
    if (!room || room.waiting === 0) return null;
    const middle = room.waitingAt(Math.ceil(room.waiting / 2));
    return middle ? Math.max(0, this.now() - middle.enteredAtMs) : null;
  }

  /**
   * Waits (ms, admission minus arrival) of the visitors admitted since the previous call; a
   * uniform sample of at most 10,000 when there were more. [] for an unknown room.
   */
  takeWaitSamples(roomId: string): number[] {
    return this.rooms.get(roomId)?.takeWaitSamples() ?? [];
  }

  /**
   * True while an evicted visitor's admission token may still be unexpired (their token was
   * signed to live one heartbeat timeout). The protected path asks `holdsSlot`, which refuses
   * them and every other departed visitor for good; this list is for the console and tests.
   */
  isAdmissionRevoked(roomId: string, visitorId: string): boolean {
    return this.rooms.get(roomId)?.isRevoked(visitorId, this.now()) ?? false;
  }

  /**
   * True when the visitor holds one of the room's slots now: admitted, and not gone (left,
   * expired, evicted). What the protected path asks of a well-signed admission token, so the
   * admissions it accepts are never more than the slots held. Two map lookups, synchronous.
   */
  holdsSlot(roomId: string, visitorId: string): boolean {
    const visitor = this.rooms.get(roomId)?.visitors.get(visitorId);
    return visitor !== undefined && !visitor.gone && visitor.state === "admitted";
  }

  private changeSettings<T>(change: () => Promise<T>): Promise<T> {
    const result = this.settingsChain.then(change);
    this.settingsChain = result.catch(() => undefined);
    return result;
  }

  /** Invariants a room's settings must keep (their shape is checked at the edge). */
  private checkSettings(config: RoomConfig): void {
    if (config.heartbeatTimeoutMs <= config.heartbeatIntervalMs) {
      throw new AppError(
        "validation_failed",
        `The heartbeat timeout (${config.heartbeatTimeoutMs} ms) must be longer than the heartbeat interval (${config.heartbeatIntervalMs} ms), or visitors would be dropped between two heartbeats.`,
      );
    }
    const mine = new Set(config.protectedPaths.map(normalizePath));
    for (const other of this.rooms.values()) {
      if (other.config.id === config.id) continue;
      const shared = other.config.protectedPaths.find((path) => mine.has(normalizePath(path)));
      if (shared !== undefined) {
        throw new AppError("conflict", `The path "${shared}" is already protected by room "${other.config.id}".`);
      }
    }
  }

  /**
   * A background write failed. Refused by an open breaker: pause background writes until a
   * probe may go through (the breaker logged the outage once). Anything else: logged, at most
   * once per kind and room per interval.
   */
  private noteStoreFailure(error: unknown, key: string, fields: Record<string, unknown>, message: string): void {
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
  private refuseWhileStoreDown(): void {
    const retryInMs = this.storeRetryAtMs - this.now();
    if (retryInMs <= 0) return;
    throw new AppError(
      "unavailable",
      "The queue store is unreachable, so nobody was removed (a removal that is not stored could come back after a restart). Try again once it is back.",
      Math.max(1, Math.ceil(retryInMs / 1000)),
    );
  }

  /** A store failure as the visitor sees it: 503 with a Retry-After. */
  private unavailable(error: unknown): AppError {
    const retryAfterMs = isStoreUnavailable(error) ? error.retryAfterMs : 5_000;
    return new AppError(
      "unavailable",
      "The waiting room cannot hand out new places right now. Please try again in a moment.",
      Math.max(1, Math.ceil(retryAfterMs / 1000)),
    );
  }

  /** An operator's change refused by an open breaker answers 503; other failures stay errors (500, logged). */
  private operatorError(error: unknown): unknown {
    if (!isStoreUnavailable(error)) return error;
    return new AppError(
      "unavailable",
      "The queue store is unreachable; the change was not made. Try again once it is back.",
      Math.max(1, Math.ceil(error.retryAfterMs / 1000)),
    );
  }

  private roomExists(roomId: string): AppError {
    return new AppError("room_exists", `A room named "${roomId}" already exists.`);
  }

  private expireDue(room: RoomState, storeAvailable: boolean): void {
    const nowMs = this.now();
    room.pruneRevoked(nowMs);
    const removals: Removal[] = this.failedRemovals.get(room.config.id) ?? [];
    this.failedRemovals.delete(room.config.id);
    for (const visitor of room.wheel.takeDue(nowMs)) {
      if (visitor.gone) continue;
      if (visitor.state === "admitting") {
        // Its admission is being written; judge it once that is settled.
        visitor.deadlineMs = nowMs + 1_000;
        room.wheel.schedule(visitor);
        continue;
      }
      const reason = visitor.leaving ? "left" : "expired";
      this.drop(room, visitor, reason, nowMs);
      removals.push({ id: visitor.id, reason });
    }
    this.endTimedOutSessions(room, nowMs, removals);
    if (!removals.length) return;
    // Gone from memory now (positions move up at once); stored once the store answers again.
    if (!storeAvailable) {
      this.failedRemovals.set(room.config.id, removals);
      return;
    }
    // Not awaited: the store applies writes in order, so this removal lands before the
    // admission that reuses the slot, and the admission's capacity condition sees it.
    void this.fileRemovals(room, removals);
  }

  /**
   * The room's time limit: sessions that have run out end now, even while their pages beat.
   * With renewal, one ends only when somebody is waiting (then the visitor is sent to the back
   * of the line by their page, as anyone whose place is gone); with nobody waiting it starts
   * again. Without renewal the visitor is out, and told so ("session_ended").
   */
  private endTimedOutSessions(room: RoomState, nowMs: number, removals: Removal[]): void {
    const limitS = room.config.sessionDurationSeconds;
    if (limitS === null) return;
    room.sessions.prune(nowMs);
    for (const visitor of room.sessions.takeDue(nowMs, limitS * 1000)) {
      if (visitor.state !== "admitted") continue;
      if (room.config.sessionRenewal && room.waiting === 0) {
        room.sessions.start(visitor, nowMs);
        continue;
      }
      this.drop(room, visitor, "left", nowMs, true);
      if (!room.config.sessionRenewal) room.sessions.noteEnded(visitor.id, nowMs);
      room.sessionsTimedOut++;
      removals.push({ id: visitor.id, reason: "left" });
    }
  }

  /** Hands removals to the store; ones that fail are retried on the next tick. Never rejects. */
  private fileRemovals(room: RoomState, removals: Removal[]): Promise<void> {
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

  /**
   * Room to spare: admit now rather than on the next tick, so that the reply already carries
   * the admission and an uncrowded room costs the visitor no visible wait. Fifo: when everyone
   * ahead fits in the free slots, join the admission being written (it may not include this
   * visitor) or write the next one; it admits from the head of the line, so nobody is passed.
   * Random: only when nobody else is in the draw. Passthrough: everyone goes in.
   * A flash crowd's first arrivals used to wait for the tick whenever an admission was being
   * written (most of the first 1,000), then ask again with a held heartbeat: a second request
   * each, on a new connection, in the surge's busiest second.
   */
  private async admitOnArrival(room: RoomState, visitor: Visitor): Promise<void> {
    const roomId = room.config.id;
    const { mode } = room.config;
    if (visitor.held || mode === "closed") return;
    if (mode === "random") {
      const alone = room.front.length === 0 && room.line.length === 1;
      if (alone && room.admissibleNow(this.now()) >= 1 && !this.admitting.has(roomId)) await this.admitNext(room);
      return;
    }
    // Three rounds at most: an admission in flight, the one after it, and a last look.
    for (let round = 0; round < 3 && visitor.state === "waiting" && !visitor.gone; round++) {
      const inFlight = this.admitting.get(roomId);
      if (inFlight) await inFlight;
      else if (mode === "passthrough" || room.positionOf(visitor) <= room.admissibleNow(this.now())) {
        await this.admitNext(room);
      } else return;
    }
    // Taken into a batch that is still being written: the reply waits for it.
    for (let inFlight = this.admitting.get(roomId); visitor.state === "admitting" && inFlight; ) {
      await inFlight;
      inFlight = this.admitting.get(roomId);
    }
  }

  /**
   * Fills free slots: first from those an operator moved to the front, in the order moved;
   * then from the head of the line (fifo), one uniformly random waiting visitor per slot
   * (random), or everyone, capacity not enforced (passthrough). Settings are read here, each
   * time: a capacity raise is used by the very next tick.
   */
  private async admitNext(room: RoomState): Promise<void> {
    const { mode } = room.config;
    const capacity = room.capacity;
    // Pre-queue members are not admitted before their release.
    const waiting = room.front.length + room.line.length;
    if (mode === "closed" || waiting === 0) return;
    const passthrough = mode === "passthrough";
    // Free slots, within the new-users-per-minute limit.
    const free = Math.min(passthrough ? waiting : room.admissibleNow(this.now()), this.admissionBatchLimit);
    if (free <= 0) return;
    const batch: Visitor[] = [];
    while (batch.length < free) {
      const next = room.front.shift() ?? (mode === "random" ? this.drawRandom(room) : room.line.shift())?.item;
      if (!next) break;
      batch.push(next);
    }
    try {
      await this.admitBatch(room, batch, passthrough ? unlimitedCapacity : capacity);
    } catch (error) {
      const roomId = room.config.id;
      if (this.rooms.get(roomId) === room) {
        this.noteStoreFailure(
          error,
          `admission:${roomId}`,
          { room: roomId, count: batch.length },
          "admission not stored",
        );
      }
    }
  }

  /** Takes a uniformly random visitor out of the line (O(log n)). */
  private drawRandom(room: RoomState): { seq: number; item: Visitor } | undefined {
    const { line } = room;
    const drawn = line.at(Math.min(line.length, 1 + Math.floor(this.random() * line.length)));
    if (drawn) line.remove(drawn.seq);
    return drawn;
  }

  /**
   * Makes the admission of visitors already taken out of the line (or the front) durable. They
   * count against capacity from now on (`admitting`) and become `admitted` (token-worthy) only
   * once the store's conditional write committed. On failure they are back at their places (in
   * line, or at the front) and the error is rethrown.
   */
  private async admitBatch(room: RoomState, batch: Visitor[], storeCapacity: number): Promise<void> {
    const roomId = room.config.id;
    const nowMs = this.now();
    const firstNo = room.nextAdmission;
    // Counted against the new-users limit before the write, so no other admission overtakes it.
    const rateCounted = room.config.mode === "passthrough" ? 0 : batch.length;
    room.rate.record(nowMs, rateCounted);
    for (const visitor of batch) {
      visitor.state = "admitting";
      visitor.admissionNo = room.nextAdmission++;
      visitor.admittedAtMs = nowMs;
      room.markInside(visitor);
    }
    let settle = () => {};
    const inFlight = new Promise<void>((resolve) => {
      settle = resolve;
    });
    this.admitting.set(roomId, inFlight);
    try {
      await this.options.store.admit(
        roomId,
        batch.map((v) => ({ id: v.id, admissionNo: v.admissionNo ?? 0, admittedAtMs: nowMs })),
        storeCapacity,
      );
      const limited = room.config.sessionDurationSeconds !== null;
      for (const visitor of batch) {
        visitor.state = "admitted";
        visitor.frontRank = 0;
        if (limited && !visitor.gone) room.sessions.start(visitor, nowMs);
        if (!visitor.gone) visitor.deadlineMs = Math.max(visitor.deadlineMs, this.now() + 1_000);
        room.recordWait(nowMs - visitor.enteredAtMs, this.random);
        // Committed: a page holding its heartbeat learns of it now, not at its next heartbeat.
        this.held.wake(visitor);
      }
      room.totals.admitted += batch.length;
      room.admissions.record(nowMs, batch.length);
      room.outflow.record(nowMs, batch.length);
    } catch (error) {
      // Back at their places; the next tick tries again.
      if (room.nextAdmission === firstNo + batch.length) room.nextAdmission = firstNo;
      room.rate.giveBack(rateCounted);
      for (const visitor of batch) {
        visitor.admissionNo = null;
        visitor.admittedAtMs = null;
        // Evicted while being admitted: already out, its slot already freed.
        if (visitor.gone) continue;
        room.markOutside(visitor);
        visitor.state = "waiting";
        room.putBack(visitor);
      }
      throw error;
    } finally {
      if (this.admitting.get(roomId) === inFlight) this.admitting.delete(roomId);
      settle();
    }
  }

  /** Takes a visitor out for good; a page holding its heartbeat is answered (token_expired). */
  /** Out of the room, and any held heartbeat of theirs answered; `revoke` as RoomState.drop. */
  private drop(room: RoomState, visitor: Visitor, reason: Removal["reason"], nowMs: number, revoke?: boolean): void {
    room.drop(visitor, reason, nowMs, revoke);
    this.held.wake(visitor);
  }

  private newRoomState(config: RoomConfig, counters: RoomCounters, nowMs: number): RoomState {
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
  private touch(room: RoomState, visitor: Visitor, pageId?: string): void {
    if (visitor.leaving && pageId !== undefined && pageId === visitor.leftPage) return;
    visitor.leaving = false;
    visitor.leftPage = null;
    // Later deadline: the wheel re-files it lazily when its old bucket comes due. An earlier
    // one (the timeout was lowered) is filed again now.
    visitor.deadlineMs = this.now() + room.config.heartbeatTimeoutMs;
    room.wheel.refileIfEarlier(visitor);
  }

  private async requireVisitor(room: RoomState, token: string): Promise<Visitor> {
    const visitor = await this.authenticate(room, token);
    if (visitor) return visitor;
    const genuine = await this.options.queueTokens.verify(token);
    if (genuine && genuine.room === room.config.id) {
      if (room.sessions.endedAt(genuine.jti, this.now()) !== null) {
        throw new AppError("session_ended", "Your time in the room is up. You can join the line again.");
      }
      throw new AppError("token_expired", "This place in line has expired. Join the line again.");
    }
    throw new AppError("invalid_token", "The queue token is not valid for this room.");
  }

  /**
   * The live visitor this token belongs to, or null (forged, re-spelled, other room, or gone).
   * Identity is the verified claims (the id); the index is only a cache from the one canonical
   * string to the visitor, at most one key per visitor, removed with it (`RoomState.drop`).
   */
  private async authenticate(room: RoomState, token: string): Promise<Visitor | null> {
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

  private room(roomId: string): RoomState {
    const room = this.rooms.get(roomId);
    if (!room) throw this.noSuchRoom(roomId);
    return room;
  }

  private noSuchRoom(roomId: string): AppError {
    return new AppError("room_not_found", `No waiting room named "${roomId}".`);
  }
}

/** The patch without undefined fields (nor an id, which never changes). */
function definedSettings(patch: Partial<RoomSettings>): Partial<RoomSettings> {
  const changes: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(patch)) if (value !== undefined && key !== "id") changes[key] = value;
  return changes as Partial<RoomSettings>;
}

/** "/shop/" and "/shop" guard the same paths. */
function normalizePath(path: string): string {
  return path.length > 1 && path.endsWith("/") ? path.replace(/\/+$/, "") || "/" : path;
}

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
