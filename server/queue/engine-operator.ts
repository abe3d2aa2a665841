import "server-only";
import { AppError } from "@/server/api/errors";
import { AdmissionEngine } from "@/server/queue/engine-admission";
import { freshCounters } from "@/server/queue/engine-core";
import { openPreQueue, releasePreQueue } from "@/server/queue/pre-queue";
import type { RoomState } from "@/server/queue/room-state";
import type { RoomConfig, RoomSettings, TokenInfo, TokenQuery } from "@/server/queue/types";
import type { Visitor } from "@/server/queue/visitor";
import { type Removal, StoreConflictError } from "@/server/store/queue-store";

// The operator's transitions (the admin console and the admin API): room settings, the
// tokens list, eviction, ending a session, drain; and what server/schedule applies (capacity
// and new-users overrides, pre-queues), with the figures alerts read.

export abstract class OperatorEngine extends AdmissionEngine {
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

  /** Invariants a room's settings must keep (their shape is checked at the edge). */
  protected checkSettings(config: RoomConfig): void {
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
    room.gone.note(visitor.id, "evicted", this.now());
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
    // The visitor's own page knows it ended the visit; another tab of theirs reads "timed out".
    if (by === "site") room.gone.note(visitor.id, "ended_by_site", this.now());
    room.sessionsEnded++;
    await this.fileRemovals(room, [{ id: visitor.id, reason: "left" }]);
    this.options.logger.info({ room: roomId, visitor: visitorId, state: info.state, by }, "session ended");
    return info;
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
      room.gone.note(visitor.id, "evicted", nowMs);
      removals.push({ id: visitor.id, reason: "evicted" });
    }
    if (removals.length) await this.fileRemovals(room, removals);
    this.options.logger.info({ room: roomId, count: removals.length }, "room drained");
    return removals.length;
  }

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
    openPreQueue(room, window.opensAtMs, window.startsAtMs);
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
    const shuffled = releasePreQueue(room, seed);
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
    return this.rooms.get(roomId)?.waits.take() ?? [];
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
    const room = this.rooms.get(roomId);
    const visitor = room?.visitors.get(visitorId);
    if (visitor !== undefined) return !visitor.gone && visitor.state === "admitted";
    // Or a pass beyond capacity (bypass not counted): outside the slots, by the room's choice.
    return room?.passes.holds(visitorId) ?? false;
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
