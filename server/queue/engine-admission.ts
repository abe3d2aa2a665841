import "server-only";
import { AppError } from "@/server/api/errors";
import { EngineCore, unlimitedCapacity } from "@/server/queue/engine-core";
import type { RoomState } from "@/server/queue/room-state";
import type { TokenInfo } from "@/server/queue/types";
import type { Visitor } from "@/server/queue/visitor";
import { type Removal, StoreConflictError } from "@/server/store/queue-store";

// Admission: the background tick (expiry, session limits, filling free slots), admission on
// arrival, and admission out of turn. One admission write per room at a time (`admitting`).

export abstract class AdmissionEngine extends EngineCore {
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

  protected expireDue(room: RoomState, storeAvailable: boolean): void {
    const nowMs = this.now();
    room.pruneRevoked(nowMs);
    room.infinite.prune(nowMs, room.config.heartbeatTimeoutMs);
    room.passes.prune(nowMs, room.config.heartbeatTimeoutMs);
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
  protected endTimedOutSessions(room: RoomState, nowMs: number, removals: Removal[]): void {
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
  protected async admitOnArrival(room: RoomState, visitor: Visitor): Promise<void> {
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
  protected async admitNext(room: RoomState): Promise<void> {
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
  protected drawRandom(room: RoomState): { seq: number; item: Visitor } | undefined {
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
  protected async admitBatch(room: RoomState, batch: Visitor[], storeCapacity: number): Promise<void> {
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
        room.waits.record(nowMs - visitor.enteredAtMs, this.random);
        room.noteServed(visitor, nowMs);
        // Committed: a page holding its heartbeat learns of it now, not at its next heartbeat.
        this.held.wake(visitor);
      }
      room.totals.admitted += batch.length;
      room.admissions.record(nowMs, batch.length);
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

  /** A bypass visitor's turn: admitted now if a slot is free, else first in line (admitNow). */
  protected async skipLine(room: RoomState, visitor: Visitor): Promise<void> {
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
}
