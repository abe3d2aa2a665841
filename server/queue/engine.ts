import "server-only";
import { randomBytes } from "node:crypto";
import { AppError } from "@/server/api/errors";
import type { Logger } from "@/server/log";
import { RoomState, type Visitor } from "@/server/queue/room-state";
import type { QueueStatus, RoomConfig, RoomStats, RoomSummary } from "@/server/queue/types";
import type { QueueStore, Removal } from "@/server/store/queue-store";
import type { AdmissionTokens } from "@/server/tokens/admission-token";
import type { QueueTokens } from "@/server/tokens/queue-token";

// The engine owns every queue state transition: enter, heartbeat, leave, expiry, admission.
// Live state is in memory and changed synchronously (one event loop: no interleaving inside
// a transition); what must survive a crash is written through the store before the visitor
// is told about it. See server/queue/README.md for the capacity invariant.

export type EngineOptions = {
  store: QueueStore;
  queueTokens: QueueTokens;
  admissionTokens: AdmissionTokens;
  logger: Logger;
  /** Rooms to create on first start (settings are kept if the room exists). */
  initialRooms: RoomConfig[];
  /**
   * How long a place is kept after a leave. Default: the room's heartbeat interval + 1 s, so
   * any other page of the same visitor (a second tab, the page a reload brings) checks in
   * within it and keeps the place; a truly closed tab frees its slot well before the timeout.
   */
  leaveGraceMs?: number;
  etaWindowMs: number;
  clock?: () => number;
};

export type EnterResult = { token: string; status: QueueStatus; resumed: boolean; admissionToken: string | null };
export type HeartbeatResult = { status: QueueStatus; admissionToken: string | null };

export class QueueEngine {
  private readonly rooms = new Map<string, RoomState>();
  private readonly now: () => number;
  private readonly admitting = new Set<string>();
  private failedRemovals = new Map<string, Removal[]>();

  constructor(private readonly options: EngineOptions) {
    this.now = options.clock ?? Date.now;
  }

  /** Loads rooms and every stored place in line; call once before serving. */
  async start(): Promise<void> {
    for (const room of this.options.initialRooms) await this.options.store.ensureRoom(room);
    const nowMs = this.now();
    for (const config of await this.options.store.listRooms()) {
      const { counters, entries } = await this.options.store.loadRoomState(config.id);
      const state = new RoomState(config, counters, nowMs, this.options.etaWindowMs, 100);
      for (const entry of entries) state.restore(entry, nowMs);
      this.rooms.set(config.id, state);
      this.options.logger.info({ room: config.id, waiting: state.line.length, active: state.active }, "room loaded");
    }
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

  /** A new place at the end of the line. */
  async join(roomId: string): Promise<EnterResult> {
    const room = this.room(roomId);
    if (room.config.mode === "closed") throw new AppError("room_closed", "This room is closed to new arrivals.", 60);
    // Shed load before any write: a full room costs nothing more than this check.
    if (room.full) throw new AppError("room_full", "The waiting room is full. Please try again later.", 30);

    const enteredAtMs = this.now();
    const id = randomBytes(16).toString("base64url");
    const initialAhead = room.line.length + room.pendingArrivals;
    room.pendingArrivals++;
    let seq: number;
    try {
      [seq = 0] = await this.options.store.enter(roomId, [{ id, initialAhead, enteredAtMs }]);
    } finally {
      room.pendingArrivals--;
    }
    const nowMs = this.now();
    const visitor: Visitor = {
      id,
      seq,
      state: "waiting",
      deadlineMs: nowMs + room.config.heartbeatTimeoutMs,
      bucket: 0,
      gone: false,
      initialAhead,
      admittedAtMs: null,
      admissionNo: null,
      token: null,
      leaving: false,
      leftPage: null,
    };
    room.visitors.set(id, visitor);
    room.line.insert(seq, visitor);
    room.wheel.schedule(visitor);
    room.totals.arrived++;
    room.arrivals.record(nowMs);
    const token = this.options.queueTokens.issue({ jti: id, room: roomId, seq });
    visitor.token = token;
    room.byToken.set(token, visitor);
    // Room to spare and nobody ahead: admit now rather than on the next tick, so an
    // uncrowded room costs the visitor no visible wait. Same FIFO path as the loop.
    if (room.line.peek()?.item === visitor && room.active < room.config.capacity && !this.admitting.has(roomId)) {
      await this.admitNext(room);
    }
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
    const visitor = room?.byToken.get(token);
    if (!room || !visitor || visitor.state === "admitted") return null;
    this.touch(room, visitor, pageId);
    return room.statusOf(visitor, this.now());
  }

  /** Proof of life. Admitted visitors also get a fresh admission token. */
  async heartbeat(roomId: string, token: string, pageId?: string): Promise<HeartbeatResult> {
    const room = this.room(roomId);
    const visitor = await this.requireVisitor(room, token);
    this.touch(room, visitor, pageId);
    return { status: room.statusOf(visitor, this.now()), admissionToken: await this.admissionFor(room, visitor) };
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
    return visitor ? room.statusOf(visitor, this.now()) : null;
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
    for (const room of this.rooms.values()) {
      this.expireDue(room);
      if (!this.admitting.has(room.config.id)) work.push(this.admitNext(room));
    }
    await Promise.all(work);
  }

  private expireDue(room: RoomState): void {
    const nowMs = this.now();
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
      visitor.gone = true;
      room.visitors.delete(visitor.id);
      if (visitor.token) room.byToken.delete(visitor.token);
      if (visitor.state === "waiting") room.line.remove(visitor.seq);
      else room.noteActive(-1);
      const reason = visitor.leaving ? "left" : "expired";
      if (reason === "left") room.totals.left++;
      else room.totals.expired++;
      removals.push({ id: visitor.id, reason });
    }
    if (!removals.length) return;
    // Not awaited: the store applies writes in order, so this removal lands before the
    // admission that reuses the slot, and the admission's capacity condition sees it.
    this.options.store.remove(room.config.id, removals).catch((error: unknown) => {
      this.options.logger.error(
        { err: error, room: room.config.id, count: removals.length },
        "removal not stored; will retry",
      );
      const retry = this.failedRemovals.get(room.config.id) ?? [];
      this.failedRemovals.set(room.config.id, retry.concat(removals));
    });
  }

  /** Admits first-come-first-served into free slots; tokens exist only after the write commits. */
  private async admitNext(room: RoomState): Promise<void> {
    const { capacity, mode } = room.config;
    const free = capacity - room.active;
    if (mode === "closed" || free <= 0 || room.line.length === 0) return;
    const roomId = room.config.id;
    this.admitting.add(roomId);
    const nowMs = this.now();
    const batch: Visitor[] = [];
    while (batch.length < free) {
      const head = room.line.shift();
      if (!head) break;
      head.item.state = "admitting";
      head.item.admissionNo = room.nextAdmission++;
      head.item.admittedAtMs = nowMs;
      batch.push(head.item);
    }
    room.noteActive(batch.length);
    try {
      await this.options.store.admit(
        roomId,
        batch.map((v) => ({ id: v.id, admissionNo: v.admissionNo ?? 0, admittedAtMs: nowMs })),
        capacity,
      );
      for (const visitor of batch) {
        visitor.state = "admitted";
        if (!visitor.gone) visitor.deadlineMs = Math.max(visitor.deadlineMs, this.now() + 1_000);
      }
      room.totals.admitted += batch.length;
      room.admissions.record(nowMs, batch.length);
      room.outflow.record(nowMs, batch.length);
    } catch (error) {
      // Back to the head of the line, in order; the next tick tries again.
      this.options.logger.error({ err: error, room: roomId, count: batch.length }, "admission not stored");
      room.noteActive(-batch.length);
      room.nextAdmission -= batch.length;
      for (const visitor of batch) {
        visitor.state = "waiting";
        visitor.admissionNo = null;
        visitor.admittedAtMs = null;
        room.line.insert(visitor.seq, visitor);
      }
    } finally {
      this.admitting.delete(roomId);
    }
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
    // Later deadline: the wheel re-files it lazily when its old bucket comes due.
    visitor.deadlineMs = this.now() + room.config.heartbeatTimeoutMs;
  }

  private async requireVisitor(room: RoomState, token: string): Promise<Visitor> {
    const visitor = await this.authenticate(room, token);
    if (visitor) return visitor;
    const genuine = await this.options.queueTokens.verify(token);
    if (genuine && genuine.room === room.config.id) {
      throw new AppError("token_expired", "This place in line has expired. Join the line again.");
    }
    throw new AppError("invalid_token", "The queue token is not valid for this room.");
  }

  /** The live visitor this token belongs to, or null (forged, other room, or gone). */
  private async authenticate(room: RoomState, token: string): Promise<Visitor | null> {
    // Exactly a token this process issued (or verified once): authentic by construction.
    const known = room.byToken.get(token);
    if (known) return known;
    // Not indexed: a forged token, another room's, a gone visitor's, or one restored after a
    // restart that has not been seen yet. Only the last one survives this check.
    const claims = await this.options.queueTokens.verify(token);
    if (!claims || claims.room !== room.config.id) return null;
    const visitor = room.visitors.get(claims.jti);
    if (!visitor || visitor.gone || visitor.seq !== claims.seq) return null;
    // A copy, so the index does not keep the request's whole header string alive.
    visitor.token = Buffer.from(token, "latin1").toString("latin1");
    room.byToken.set(visitor.token, visitor);
    return visitor;
  }

  private room(roomId: string): RoomState {
    const room = this.rooms.get(roomId);
    if (!room) throw new AppError("room_not_found", `No waiting room named "${roomId}".`);
    return room;
  }
}
