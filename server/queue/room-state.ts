import "server-only";
import { DeadlineWheel, type WheelItem } from "@/server/queue/deadline-wheel";
import { Line } from "@/server/queue/line";
import { RateWindow } from "@/server/queue/rate-window";
import type { QueueStatus, RoomConfig, RoomStats, RoomSummary, TokenInfo } from "@/server/queue/types";
import type { RemovalReason, RoomCounters, StoredEntry } from "@/server/store/queue-store";

/**
 * A visitor as the engine holds it. `admitting` counts against capacity while the admission
 * is being made durable; the admission token is only handed out once it is `admitted`.
 */
export type Visitor = WheelItem & {
  id: string;
  seq: number;
  state: "waiting" | "admitting" | "admitted";
  initialAhead: number;
  enteredAtMs: number;
  admittedAtMs: number | null;
  admissionNo: number | null;
  /** The queue token issued to this visitor; null after a restart until first verified. */
  token: string | null;
  /** Sent an explicit leave; removed at the deadline unless a heartbeat comes first. */
  leaving: boolean;
  /** The page that sent the leave, when it said; its own late heartbeats do not undo it. */
  leftPage: string | null;
  /**
   * 0, or its turn among those an operator moved to the front (lower goes first): then it is in
   * `front`, not in `line`, and stays so while its admission is written, so a refused write
   * puts it back at the front.
   */
  frontRank: number;
};

const recentWindowMs = 60_000;
/** Most waits kept between two `takeWaitSamples` calls: a uniform sample beyond that. */
const maxWaitSamples = 10_000;
/** Shortest heartbeat interval the engine asks for (near the front of the line). */
const soonestHeartbeatMs = 1_000;

/** One room's live state. Only the engine mutates it; everything here is synchronous. */
export class RoomState {
  readonly line = new Line<Visitor>();
  /**
   * Moved to the front by an operator (`admitNow` with no free slot), in the order they were
   * moved: next in line, ahead of everyone in `line`. Operators add one visitor at a time, so it
   * stays short and O(k) work on it is fine.
   * Memory only: after a restart they are back at their places in line.
   */
  readonly front: Visitor[] = [];
  private lastFrontRank = 0;
  readonly visitors = new Map<string, Visitor>();
  /**
   * Live visitors by the exact token issued to them: a heartbeat's whole authentication is one
   * lookup (a tampered or forged token is simply not in it). About 200 bytes per visitor.
   */
  readonly byToken = new Map<string, Visitor>();
  readonly wheel: DeadlineWheel<Visitor>;
  /** Admitted or admitting, in admission order (admin listing); its size is `active`. */
  readonly inside = new Set<Visitor>();
  /** Arrivals whose place is being written; they count toward the queue length limit. */
  pendingArrivals = 0;
  maxActiveObserved = 0;
  nextAdmission: number;
  totals: { arrived: number; admitted: number; expired: number; left: number; evicted: number };
  /**
   * Evicted visitors whose admission token may still be unexpired: id -> until (epoch ms).
   * Insertion order is about expiry order, so pruning stops at the first live entry.
   */
  readonly revoked = new Map<string, number>();
  /**
   * Longest admission-token lifetime this room has issued with (its longest heartbeat timeout
   * since start): a revocation must outlive every token issued before the timeout was lowered.
   */
  longestTokenLifetimeMs: number;
  /** Waits (ms) of visitors admitted since the last take; a uniform sample when there are many. */
  private waitSamples: number[] = [];
  private waitsSeen = 0;
  readonly arrivals: RateWindow;
  readonly admissions: RateWindow;
  readonly outflow: RateWindow;

  constructor(
    public config: RoomConfig,
    counters: RoomCounters,
    nowMs: number,
    etaWindowMs: number,
    wheelResolutionMs: number,
  ) {
    this.wheel = new DeadlineWheel<Visitor>(wheelResolutionMs, nowMs);
    this.nextAdmission = counters.nextAdmission;
    this.totals = {
      arrived: counters.arrivedTotal,
      admitted: counters.admittedTotal,
      expired: counters.expiredTotal,
      left: counters.leftTotal,
      evicted: counters.evictedTotal,
    };
    this.longestTokenLifetimeMs = config.heartbeatTimeoutMs;
    this.arrivals = new RateWindow(recentWindowMs, nowMs);
    this.admissions = new RateWindow(recentWindowMs, nowMs);
    this.outflow = new RateWindow(etaWindowMs, nowMs);
  }

  /** Puts a stored entry back after a restart, giving it a full timeout to come back. */
  restore(entry: StoredEntry, nowMs: number): void {
    const visitor: Visitor = {
      id: entry.id,
      seq: entry.seq,
      state: entry.state,
      deadlineMs: nowMs + this.config.heartbeatTimeoutMs,
      bucket: 0,
      gone: false,
      initialAhead: entry.initialAhead,
      enteredAtMs: entry.enteredAtMs,
      admittedAtMs: entry.admittedAtMs,
      admissionNo: entry.admissionNo,
      token: null,
      leaving: false,
      leftPage: null,
      frontRank: 0,
    };
    this.visitors.set(visitor.id, visitor);
    if (visitor.state === "waiting") this.line.insert(visitor.seq, visitor);
    else this.markInside(visitor);
    this.wheel.schedule(visitor);
  }

  /** New settings; every reader takes them from `config`, so the next tick already uses them. */
  applyConfig(config: RoomConfig): void {
    this.config = config;
    this.longestTokenLifetimeMs = Math.max(this.longestTokenLifetimeMs, config.heartbeatTimeoutMs);
  }

  /** Counts the visitor against capacity (chosen for admission, or restored admitted). */
  markInside(visitor: Visitor): void {
    this.inside.add(visitor);
    if (this.inside.size > this.maxActiveObserved) this.maxActiveObserved = this.inside.size;
  }

  /** Frees the visitor's slot (admission failed, or the visitor is gone). */
  markOutside(visitor: Visitor): void {
    this.inside.delete(visitor);
  }

  /** Admitted or admitting: never above capacity when an admission is made. */
  get active(): number {
    return this.inside.size;
  }

  /** Takes a visitor out of every index, for good; the caller files the removal with the store. */
  drop(visitor: Visitor, reason: RemovalReason, nowMs: number): void {
    visitor.gone = true;
    this.visitors.delete(visitor.id);
    if (visitor.token) this.byToken.delete(visitor.token);
    if (visitor.state === "waiting") this.takeOut(visitor);
    else this.markOutside(visitor);
    if (reason === "evicted") {
      this.totals.evicted++;
      this.revoked.set(visitor.id, nowMs + this.longestTokenLifetimeMs);
    } else if (reason === "left") this.totals.left++;
    else this.totals.expired++;
  }

  /** Everyone waiting: the front, then the line. */
  get waiting(): number {
    return this.line.length + this.front.length;
  }

  /** A waiting visitor's 1-based place: the front first, then the line. */
  positionOf(visitor: Visitor): number {
    return visitor.frontRank ? this.front.indexOf(visitor) + 1 : this.line.position(visitor.seq) + this.front.length;
  }

  /** The waiting visitor at this 1-based place (front first); undefined when out of range. */
  waitingAt(position: number): Visitor | undefined {
    return position <= this.front.length ? this.front[position - 1] : this.line.at(position - this.front.length)?.item;
  }

  /** Takes a visitor out of the line to the end of the front: next in line after those moved before. */
  moveToFront(visitor: Visitor): void {
    this.line.remove(visitor.seq);
    visitor.frontRank = ++this.lastFrontRank;
    this.front.push(visitor);
  }

  /** Takes a waiting visitor out of the front or the line (to admit or drop it). */
  takeOut(visitor: Visitor): void {
    if (!visitor.frontRank) this.line.remove(visitor.seq);
    else {
      const index = this.front.indexOf(visitor);
      if (index >= 0) this.front.splice(index, 1);
    }
  }

  /** Back to its place after a refused admission: its turn at the front, or its seq in line. */
  putBack(visitor: Visitor): void {
    if (!visitor.frontRank) {
      this.line.insert(visitor.seq, visitor);
      return;
    }
    const later = this.front.findIndex((other) => other.frontRank > visitor.frontRank);
    this.front.splice(later < 0 ? this.front.length : later, 0, visitor);
  }

  isRevoked(visitorId: string, nowMs: number): boolean {
    const untilMs = this.revoked.get(visitorId);
    return untilMs !== undefined && untilMs > nowMs;
  }

  /** Forgets revocations whose tokens have all expired. */
  pruneRevoked(nowMs: number): void {
    if (!this.revoked.size) return;
    for (const [id, untilMs] of this.revoked) {
      if (untilMs > nowMs) return;
      this.revoked.delete(id);
    }
  }

  /** Notes one admission's wait (reservoir sampling keeps memory bounded between takes). */
  recordWait(waitMs: number, random: () => number): void {
    this.waitsSeen++;
    if (this.waitSamples.length < maxWaitSamples) {
      this.waitSamples.push(waitMs);
      return;
    }
    const slot = Math.floor(random() * this.waitsSeen);
    if (slot < maxWaitSamples) this.waitSamples[slot] = waitMs;
  }

  takeWaitSamples(): number[] {
    const samples = this.waitSamples;
    this.waitSamples = [];
    this.waitsSeen = 0;
    return samples;
  }

  tokenInfo(visitor: Visitor, position: number | null): TokenInfo {
    return {
      id: visitor.id,
      room: this.config.id,
      seq: visitor.seq,
      state: visitor.state,
      position,
      enteredAtMs: visitor.enteredAtMs,
      admittedAtMs: visitor.admittedAtMs,
      admissionNo: visitor.admissionNo,
      deadlineMs: visitor.deadlineMs,
      leaving: visitor.leaving,
    };
  }

  get full(): boolean {
    return this.waiting + this.pendingArrivals >= this.config.maxQueueLength;
  }

  /** Seconds until someone at this position gets in, from measured outflow; null if unknown. */
  etaSeconds(position: number, nowMs: number): number | null {
    if (this.config.mode === "passthrough") return 1;
    if (this.config.mode === "closed" || this.config.capacity === 0) return null;
    const free = this.config.capacity - this.active;
    if (position <= free) return 1;
    const perSecond = this.outflow.perSecond(nowMs);
    if (perSecond <= 0) return null;
    return Math.max(1, Math.ceil((position - Math.max(free, 0)) / perSecond));
  }

  statusOf(visitor: Visitor, nowMs: number): QueueStatus {
    // Object literals, not spreads: this runs for every heartbeat.
    const { id, heartbeatIntervalMs, heartbeatTimeoutMs, mode, capacity } = this.config;
    if (visitor.state === "admitted") {
      return {
        room: id,
        state: "admitted",
        position: null,
        ahead: null,
        waiting: this.waiting,
        progress: 1,
        etaSeconds: 0,
        admissionsPerMinute: this.admissions.total(nowMs),
        heartbeatIntervalMs,
        heartbeatTimeoutMs,
        admittedAt: visitor.admittedAtMs,
      };
    }
    // An admission being written is first in line in all but name.
    const position = visitor.state === "admitting" ? 1 : this.positionOf(visitor);
    // In a lottery one's place does not matter: after those moved to the front, one is drawn
    // on average halfway through the line.
    const drawnAt =
      mode === "random" && visitor.state === "waiting" && !visitor.frontRank
        ? this.front.length + Math.ceil((this.line.length + 1) / 2)
        : position;
    const etaSeconds = this.etaSeconds(drawnAt, nowMs);
    return {
      room: id,
      state: mode === "closed" ? "closed" : capacity === 0 && mode !== "passthrough" ? "paused" : "waiting",
      position,
      ahead: position - 1,
      waiting: this.waiting,
      // Steps are the people ahead at arrival plus admission itself: someone who arrived
      // first in line is halfway, not at 0% beside "you're next".
      progress: Math.min(1, Math.max(0, (visitor.initialAhead + 2 - position) / (visitor.initialAhead + 2))),
      etaSeconds,
      admissionsPerMinute: this.admissions.total(nowMs),
      // Admission is due before the next regular heartbeat: ask sooner, so the visitor learns
      // of it within about a second instead of up to a whole interval later.
      heartbeatIntervalMs:
        etaSeconds !== null && etaSeconds * 1000 < heartbeatIntervalMs
          ? Math.max(soonestHeartbeatMs, etaSeconds * 1000)
          : heartbeatIntervalMs,
      heartbeatTimeoutMs,
      admittedAt: null,
    };
  }

  summary(nowMs: number): RoomSummary {
    return {
      room: this.config.id,
      name: this.config.name,
      mode: this.config.mode,
      waiting: this.waiting,
      full: this.full,
      etaSeconds: this.etaSeconds(this.waiting + 1, nowMs),
      heartbeatIntervalMs: this.config.heartbeatIntervalMs,
    };
  }

  stats(nowMs: number): RoomStats {
    return {
      room: this.config.id,
      capacity: this.config.capacity,
      active: this.active,
      waiting: this.waiting,
      arrivedTotal: this.totals.arrived,
      admittedTotal: this.totals.admitted,
      expiredTotal: this.totals.expired,
      leftTotal: this.totals.left,
      evictedTotal: this.totals.evicted,
      arrivalsPerMinute: this.arrivals.total(nowMs),
      admissionsPerMinute: this.admissions.total(nowMs),
      maxActiveObserved: this.maxActiveObserved,
    };
  }
}
