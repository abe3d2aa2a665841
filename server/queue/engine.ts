import "server-only";
import { AppError, isAppError } from "@/server/api/errors";
import type { GateSuspicion } from "@/server/queue/bot-defence";
import { ScreeningEngine } from "@/server/queue/engine-screen";
import { holdArrival } from "@/server/queue/pre-queue";
import type { RoomState } from "@/server/queue/room-state";
import type { QueueStatus, RoomConfig, RoomStats, RoomSummary } from "@/server/queue/types";
import type { Visitor } from "@/server/queue/visitor";
import { newRandomVisitorId, newVisitorId } from "@/server/queue/visitor-id";

// The engine owns every queue state transition: enter, heartbeat, leave, expiry, admission,
// and the operator's (room settings, eviction, admission out of turn, drain). Live state is
// in memory and changed synchronously (one event loop: no interleaving inside a transition);
// what must survive a crash is written through the store before the visitor (or operator) is
// told about it. See server/queue/README.md for the capacity invariant.
//
// One class in four layers, one concern a file: engine-core.ts (shared state, finding rooms and
// visitors, removals, store failures) < engine-admission.ts (the tick, admission) <
// engine-operator.ts (the console's and the scheduler's transitions) < this file (visitors:
// enter, heartbeat, leave, status). Only QueueEngine is ever constructed.

export type { EngineOptions } from "@/server/queue/engine-core";

/**
 * A heartbeat that may be held (long poll): answered when the visitor is admitted or removed,
 * after `ms` at the latest (capped at the room's heartbeat interval), or never if `signal`
 * aborts (the client hung up).
 */
export type HoldRequest = { ms: number; signal?: AbortSignal };

/**
 * Who is joining, for the room's bypass and screening rules: the client's address, whether they
 * hold an API key for the room, their proof-of-work solution (ALTCHA payload) if any, and the
 * gate's suspicion (over the per-address limit) if any.
 */
export type JoinVia = { address: string | null; keyHolder: boolean; pow?: string; suspect?: GateSuspicion };

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

export class QueueEngine extends ScreeningEngine {
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
      // A page whose place is not among these, checking in while restored places wait, lost it on our side.
      state.gone.noteRestored(nowMs, graceMs);
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
    if (!visitor) {
      const unbooked = await this.unbookedOf(room, presentedToken);
      if (!unbooked) return null;
      const status = this.unbookedStatus(room, unbooked);
      return { token: presentedToken, status, resumed: true, admissionToken: this.unbookedAdmission(room, unbooked) };
    }
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
    const skips = via !== undefined && room.skipsLine(via);
    // Bypass beyond capacity: in at once, outside the room's books (and its line's length).
    if (skips && room.config.bypassUncounted) return this.joinWithPass(room);
    // Shed load before any write: a full room costs nothing more than this check.
    if (room.full) throw new AppError("room_full", "The waiting room is full. Please try again later.", 30);
    // Trusted arrivals are not screened; the rest may be refused, or sent to the infinite line.
    const distrusted = skips ? null : this.screen(room, via);
    if (distrusted) return this.joinInfiniteLine(room, distrusted);

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
    if (!holdArrival(room, visitor)) room.line.insert(seq, visitor);
    room.wheel.schedule(visitor);
    room.totals.arrived++;
    room.arrivals.record(nowMs);
    const token = this.options.queueTokens.issue({ jti: id, room: roomId, seq });
    room.indexToken(visitor, token);
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
    if (!room) return null;
    const visitor = room.visitorByToken(token);
    if (!visitor) {
      // The infinite line answers here too; a pass needs a freshly signed admission: full path.
      const shadow = room.infinite.touch(token, this.now());
      return shadow ? this.unbookedStatus(room, { kind: "shadow", shadow }) : null;
    }
    if (visitor.state === "admitted") return null;
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
    const visitor = await this.authenticate(room, token);
    if (!visitor) {
      // Held outside the room's books (the infinite line, a pass beyond capacity), or refused.
      const unbooked = (await this.unbookedOf(room, token)) ?? (await this.refuseToken(room, token));
      return { status: this.unbookedStatus(room, unbooked), admissionToken: this.unbookedAdmission(room, unbooked) };
    }
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

  /** Current status without counting as a heartbeat; null when the token holds no place. */
  async status(roomId: string, token: string): Promise<QueueStatus | null> {
    const room = this.rooms.get(roomId);
    if (!room) return null;
    const visitor = await this.authenticate(room, token);
    if (visitor) return room.statusOf(visitor, this.now());
    const unbooked = await this.unbookedOf(room, token);
    if (unbooked) return this.unbookedStatus(room, unbooked);
    return this.goneStatus(room, token);
  }

  /**
   * An "expired" status for a genuine token whose place ended for a reason its page should show
   * again on a reload (the time limit, the site, or our side); null otherwise (silence, or not
   * this room's token): the visitor simply gets a new place.
   */
  private async goneStatus(room: RoomState, token: string): Promise<QueueStatus | null> {
    const claims = await this.options.queueTokens.verify(token);
    if (!claims || claims.room !== room.config.id) return null;
    const nowMs = this.now();
    const endedAtMs = room.sessions.endedAt(claims.jti, nowMs);
    if (endedAtMs !== null) return { ...room.sessionEndedStatus(endedAtMs, nowMs), goneReason: "session_limit" };
    const reason = room.gone.reasonFor(claims.jti, claims.iat * 1000, nowMs);
    if (reason === "timed_out") return null;
    return { ...room.sessionEndedStatus(nowMs, nowMs), sessionEndsAt: null, goneReason: reason };
  }

  /** Current status without counting as a heartbeat; throws token_expired or invalid_token. */
  async requireStatus(roomId: string, token: string): Promise<QueueStatus> {
    const room = this.room(roomId);
    const visitor = await this.authenticate(room, token);
    if (visitor) return room.statusOf(visitor, this.now());
    return this.unbookedStatus(room, (await this.unbookedOf(room, token)) ?? (await this.refuseToken(room, token)));
  }

  /**
   * The visitor is going (tab closed). The place or slot is released after a short grace,
   * so that a reload, which also fires pagehide, keeps it.
   */
  async leave(roomId: string, token: string, pageId?: string): Promise<void> {
    const room = this.room(roomId);
    const visitor = await this.authenticate(room, token);
    if (!visitor) {
      // Held outside the books: forgotten at once (a pass ends; the infinite line forgets).
      this.forgetUnbooked(room, token);
      return;
    }
    const deadlineMs = this.now() + (this.options.leaveGraceMs ?? room.config.heartbeatIntervalMs + 1_000);
    // Two tabs closing together send two leaves: one departure, filed once.
    if (visitor.leaving && visitor.deadlineMs <= deadlineMs) return;
    visitor.leaving = true;
    visitor.leftPage = pageId ?? null;
    if (visitor.state !== "waiting") room.slotsVersion++;
    visitor.deadlineMs = Math.min(visitor.deadlineMs, deadlineMs);
    room.wheel.schedule(visitor);
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
    // Held outside the books (a pass ends now; the infinite line forgets the place).
    if (await this.unbookedOf(room, token)) {
      this.forgetUnbooked(room, token);
      return;
    }
    const genuine = await this.options.queueTokens.verify(token);
    if (!genuine || genuine.room !== roomId) {
      throw new AppError("invalid_token", "The queue token is not valid for this room.");
    }
  }
}
