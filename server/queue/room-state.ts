import "server-only";
import { createHmac } from "node:crypto";
import { AdmissionRate } from "@/server/queue/admission-rate";
import { type AddressRanges, addressRanges } from "@/server/queue/bypass";
import { DeadlineWheel } from "@/server/queue/deadline-wheel";
import { ExtraPasses } from "@/server/queue/extra-pass";
import { GoneReasons } from "@/server/queue/gone-reasons";
import { InfiniteLine } from "@/server/queue/infinite-line";
import { Line } from "@/server/queue/line";
import { type RoomReferences, referenceDomain } from "@/server/queue/place-reference";
import { heldIndex } from "@/server/queue/pre-queue";
import { RateWindow } from "@/server/queue/rate-window";
import * as status from "@/server/queue/room-status";
import { SessionLimits } from "@/server/queue/session-limits";
import type { QueueStatus, RoomConfig, RoomStats, RoomSummary, TokenInfo } from "@/server/queue/types";
import { VisitLengths } from "@/server/queue/visit-lengths";
import { type PreQueue, tokenKey, type Visitor } from "@/server/queue/visitor";
import { WaitModel } from "@/server/queue/wait-model";
import { WaitSamples } from "@/server/queue/wait-samples";
import type { RemovalReason, RoomCounters, StoredEntry } from "@/server/store/queue-store";

const recentWindowMs = 60_000;

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
  /** Open between a pre-queue event's lead and its start; null otherwise. */
  preQueue: PreQueue | null = null;
  /** Raised capacity from scale events and surges (server/schedule); null: the room's own. */
  capacityOverride: number | null = null;
  readonly visitors = new Map<string, Visitor>();
  /**
   * Live visitors by the canonical token issued to them: a heartbeat's whole authentication is
   * one lookup (`visitorByToken`: a tampered, forged or re-spelled token is simply not in it).
   * A cache, never the identity: at most one key per visitor (`indexToken`), removed with it
   * (`drop`). Keyed by 30 bits of the token's signature (see tokenKey).
   */
  readonly byToken = new Map<number, Visitor>();
  readonly wheel: DeadlineWheel<Visitor>;
  /** Admitted or admitting, in admission order (admin listing); its size is `active`. */
  readonly inside = new Set<Visitor>();
  /** Arrivals whose place is being written; they count toward the queue length limit. */
  pendingArrivals = 0;
  maxActiveObserved = 0;
  nextAdmission: number;
  totals: { arrived: number; admitted: number; expired: number; left: number; evicted: number };
  /** Sessions the protected site or the visitor's page ended (among `left`), since this process started. */
  sessionsEnded = 0;
  /** Sessions the room's time limit ended (among `left`), since this process started. */
  sessionsTimedOut = 0;
  /** Arrivals that skipped the line (bypass address or API key), since this process started. */
  bypassedTotal = 0;
  /** The room's bypass ranges, parsed (rebuilt with each config). */
  private bypassRanges: AddressRanges;
  /** The room's blocked ranges, parsed (rebuilt with each config). */
  private blockedRanges: AddressRanges;
  /** Places that never advance, for arrivals the room does not trust (infinite-line.ts). */
  readonly infinite = new InfiniteLine();
  /** Bypass holders admitted beyond capacity, outside the books (extra-pass.ts). */
  readonly passes = new ExtraPasses();
  /** Why places went, for the pages that ask afterwards (gone-reasons.ts). */
  readonly gone = new GoneReasons();
  /** Proof-of-work challenges, by outcome, since this process started. */
  readonly challenges = { issued: 0, solved: 0, stale: 0, forged: 0 };
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
  /** Waits (ms) of visitors admitted since the metrics sampler last took them. */
  readonly waits = new WaitSamples();
  readonly arrivals: RateWindow;
  readonly admissions: RateWindow;
  /** How long admitted visitors held their slot (the wait estimate's base). */
  readonly visitLengths: VisitLengths;
  /** Over the estimate's window: waiting visitors who left the line without a slot, and who got one. */
  private readonly lineLost: RateWindow;
  private readonly lineServed: RateWindow;
  /** Changes whenever a slot is taken, freed, or about to free (a closed tab): the wait model rebuilds on it. */
  slotsVersion = 0;
  /** The wait estimate (wait-model.ts). */
  readonly wait = new WaitModel();
  /** The room's new-users-per-minute limit and the admissions it has counted. */
  readonly rate: AdmissionRate;
  /** An active event's or surge's new-users limit (the scheduler sets it); null: the room's own. */
  newUsersOverride: number | null = null;
  /** Sessions under the room's time limit, in the order they end. */
  readonly sessions = new SessionLimits();
  /**
   * Most visitors at the front told to hold (the engine sets it from its held-request bound);
   * 0: holding is off, nobody is told to hold.
   */
  holdLookaheadMax = 0;
  /** State of the generator that spreads heartbeat intervals (never 0; room-status.ts). */
  spreadState = (Math.random() * 0xffff_ffff) | 1;

  constructor(
    public config: RoomConfig,
    counters: RoomCounters,
    nowMs: number,
    etaWindowMs: number,
    wheelResolutionMs: number,
    private readonly references: RoomReferences,
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
    this.visitLengths = new VisitLengths(etaWindowMs);
    this.lineLost = new RateWindow(etaWindowMs, nowMs);
    this.lineServed = new RateWindow(etaWindowMs, nowMs);
    this.rate = new AdmissionRate(config.newUsersPerMinute);
    this.bypassRanges = addressRanges(config.bypassCidrs);
    this.blockedRanges = addressRanges(config.blockedCidrs);
  }

  /** Whether the room lets bypass arrivals in beyond capacity (and has a bypass rule to match). */
  get grantsPasses(): boolean {
    return this.config.bypassUncounted && (this.config.bypassApiKeys || this.config.bypassCidrs.length > 0);
  }

  /** Whether an arrival from this address is in one of the room's blocked ranges. */
  isBlocked(address: string | null): boolean {
    return this.blockedRanges.contains(address);
  }

  /** Whether a visitor arriving this way skips the line (the room's bypass rules). */
  skipsLine(via: { address: string | null; keyHolder: boolean }): boolean {
    return (via.keyHolder && this.config.bypassApiKeys) || this.bypassRanges.contains(via.address);
  }

  /**
   * Puts a stored entry back after a restart or takeover, giving it `graceMs` (at least one
   * timeout) to come back: its page is still retrying on its own schedule. Its first heartbeat
   * puts it on the ordinary timeout; one that never comes is dropped when the grace runs out
   * and its slot (if admitted) goes to the next in line, as for any silent visitor.
   */
  restore(entry: StoredEntry, nowMs: number, graceMs: number = this.config.heartbeatTimeoutMs): void {
    const visitor: Visitor = {
      id: entry.id,
      seq: entry.seq,
      place: entry.seq,
      held: false,
      state: entry.state,
      deadlineMs: nowMs + Math.max(graceMs, this.config.heartbeatTimeoutMs),
      bucket: 0,
      gone: false,
      initialAhead: entry.initialAhead,
      enteredAtMs: entry.enteredAtMs,
      admittedAtMs: entry.admittedAtMs,
      admissionNo: entry.admissionNo,
      token: null,
      leaving: false,
      reference: null,
      sessionStartMs: null,
      bypassed: false,
      leftPage: null,
      frontRank: 0,
    };
    this.visitors.set(visitor.id, visitor);
    if (visitor.state !== "waiting" && this.config.sessionDurationSeconds !== null) {
      this.sessions.start(visitor, entry.admittedAtMs ?? nowMs);
    }
    if (visitor.state === "waiting") this.line.insert(visitor.place, visitor);
    else this.markInside(visitor);
    this.wheel.schedule(visitor);
  }

  /** New settings; every reader takes them from `config`, so the next tick already uses them. */
  applyConfig(config: RoomConfig): void {
    const hadLimit = this.config.sessionDurationSeconds !== null;
    if (config.bypassCidrs !== this.config.bypassCidrs) this.bypassRanges = addressRanges(config.bypassCidrs);
    if (config.blockedCidrs !== this.config.blockedCidrs) this.blockedRanges = addressRanges(config.blockedCidrs);
    this.config = config;
    if (!this.grantsPasses) this.passes.clear();
    this.rate.setPerMinute(this.newUsersPerMinute);
    // A new limit counts from each admission; a changed one keeps the order; none tracks nothing.
    if (config.sessionDurationSeconds === null) this.sessions.clear();
    else if (!hadLimit) this.sessions.startAll(this.inside, (v) => v.admittedAtMs ?? Date.now());
    this.longestTokenLifetimeMs = Math.max(this.longestTokenLifetimeMs, config.heartbeatTimeoutMs);
  }

  /** Counts the visitor against capacity (chosen for admission, or restored admitted). */
  markInside(visitor: Visitor): void {
    this.inside.add(visitor);
    this.slotsVersion++;
    if (this.inside.size > this.maxActiveObserved) this.maxActiveObserved = this.inside.size;
  }

  /** Frees the visitor's slot (admission failed, or the visitor is gone). */
  markOutside(visitor: Visitor): void {
    if (this.inside.delete(visitor)) this.slotsVersion++;
  }

  /**
   * Admitted after waiting in line (`nowMs` the admission): one more who got their turn, against
   * those who gave up. Let in on arrival does not count: they never were in line.
   */
  noteServed(visitor: Visitor, nowMs: number): void {
    if (nowMs - visitor.enteredAtMs >= 1_000) this.lineServed.record(nowMs);
  }

  /**
   * Of those who left the line over the window, the share who left without their turn (at most
   * `max`). Twenty turns are assumed besides, so that the first few who give up, before many
   * have had their turn, do not make the line look half empty.
   */
  silentShare(nowMs: number, max: number): number {
    const lost = this.lineLost.total(nowMs);
    return Math.min(max, lost / (lost + this.lineServed.total(nowMs) + 20));
  }

  /**
   * How long the operator expects a slot to be held (the typical visit, plus the wait for a
   * closed tab's heartbeat to time out for the half of visits assumed to end that way); null
   * when not set.
   */
  get typicalVisitMs(): number | null {
    const { typicalVisitSeconds, heartbeatTimeoutMs, heartbeatIntervalMs } = this.config;
    if (typicalVisitSeconds === null) return null;
    return typicalVisitSeconds * 1000 + (heartbeatTimeoutMs - heartbeatIntervalMs / 2) / 2;
  }

  /** What admission fills up to: the room's capacity, or more while an event or surge raises it. */
  get capacity(): number {
    const override = this.capacityOverride;
    return override === null || override < this.config.capacity ? this.config.capacity : override;
  }

  /** Admitted or admitting: never above capacity when an admission is made. */
  get active(): number {
    return this.inside.size;
  }

  /**
   * Makes this verified, canonical token the visitor's one key in `byToken`, replacing any other
   * it had: a visitor never answers to two strings, and `drop` removes the only one.
   */
  indexToken(visitor: Visitor, token: string): void {
    if (visitor.token === token) return;
    this.unindexToken(visitor);
    visitor.token = token;
    const key = tokenKey(token);
    if (key >= 0) this.byToken.set(key, visitor);
  }

  /** The live visitor whose canonical token is exactly this string, if any. */
  visitorByToken(token: string): Visitor | undefined {
    const visitor = this.byToken.get(tokenKey(token));
    return visitor !== undefined && visitor.token === token ? visitor : undefined;
  }

  private unindexToken(visitor: Visitor): void {
    if (visitor.token === null) return;
    const key = tokenKey(visitor.token);
    if (this.byToken.get(key) === visitor) this.byToken.delete(key);
  }

  /**
   * Removes a visitor from the room's state. `revoke`: their admission token stops working at
   * once (an eviction, a session the site ended), not only when it expires.
   */
  drop(visitor: Visitor, reason: RemovalReason, nowMs: number, revoke = reason === "evicted"): void {
    visitor.gone = true;
    this.visitors.delete(visitor.id);
    this.unindexToken(visitor);
    visitor.token = null;
    if (visitor.state === "waiting") {
      this.takeOut(visitor);
      this.lineLost.record(nowMs);
    } else {
      this.markOutside(visitor);
      // Its slot is free now: how long it was held (one visit in `stride`, in big rooms).
      const admittedAtMs = visitor.admittedAtMs;
      const stride = VisitLengths.stride(this.capacity);
      if (admittedAtMs !== null && (visitor.admissionNo ?? 0) % stride === 0) {
        this.visitLengths.record(admittedAtMs, nowMs, stride);
      }
    }
    if (revoke) this.revoked.set(visitor.id, nowMs + this.longestTokenLifetimeMs);
    if (reason === "evicted") this.totals.evicted++;
    else if (reason === "left") this.totals.left++;
    else this.totals.expired++;
  }

  /** Everyone waiting: the front, the line, and the pre-queue. */
  get waiting(): number {
    return this.line.length + this.front.length + (this.preQueue?.members.size ?? 0);
  }

  /**
   * A waiting visitor's 1-based place: the front first, then the line, then the pre-queue (whose
   * order is not drawn yet: there, the place in arrival order, for the console).
   */
  positionOf(visitor: Visitor): number {
    if (visitor.frontRank) return this.front.indexOf(visitor) + 1;
    if (visitor.held) return this.front.length + this.line.length + heldIndex(this.preQueue, visitor) + 1;
    return this.line.position(visitor.place) + this.front.length;
  }

  /** The waiting visitor at this 1-based place (front, line, pre-queue); undefined when out of range. */
  waitingAt(position: number): Visitor | undefined {
    if (position <= this.front.length) return this.front[position - 1];
    const inLine = position - this.front.length;
    if (inLine <= this.line.length) return this.line.at(inLine)?.item;
    let index = inLine - this.line.length;
    for (const visitor of this.preQueue?.members ?? []) if (--index === 0) return visitor;
    return undefined;
  }

  /** Takes a visitor out of the line (or pre-queue) to the end of the front: next in line after those moved before. */
  moveToFront(visitor: Visitor): void {
    this.takeOut(visitor);
    visitor.held = false;
    visitor.frontRank = ++this.lastFrontRank;
    this.front.push(visitor);
  }

  /** Takes a waiting visitor out of the front, the line or the pre-queue (to admit or drop it). */
  takeOut(visitor: Visitor): void {
    if (visitor.frontRank) {
      const index = this.front.indexOf(visitor);
      if (index >= 0) this.front.splice(index, 1);
    } else if (visitor.held) this.preQueue?.members.delete(visitor);
    else this.line.remove(visitor.place);
  }

  /** Back to its place after a refused admission: its turn at the front, the pre-queue, or its place in line. */
  putBack(visitor: Visitor): void {
    if (visitor.held && this.preQueue) {
      this.preQueue.members.add(visitor);
      return;
    }
    if (!visitor.frontRank) {
      visitor.held = false;
      this.line.insert(visitor.place, visitor);
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

  /**
   * A reference code for a place in the infinite line, from its id: taken from the top of the
   * code range down, where real places (numbered from 1) do not reach, and stable for its token.
   */
  shadowReference(id: string): string {
    const spread = createHmac("sha256", "infinite line").update(id).digest().readUInt32BE(0) % 10_000_000;
    return this.references.of(referenceDomain - spread);
  }

  /** The visitor's reference code, derived once. */
  referenceOf(visitor: Visitor): string {
    if (visitor.reference === null) visitor.reference = this.references.of(visitor.seq);
    return visitor.reference;
  }

  /** The place a typed reference names in this room, or null. */
  seqOfReference(reference: string): number | null {
    return this.references.seqOf(reference);
  }

  get full(): boolean {
    return this.waiting + this.pendingArrivals >= this.config.maxQueueLength;
  }

  /**
   * How many may be admitted now: the free slots, and no more than the new-users limit allows
   * (passthrough: the room is off, neither applies).
   */
  admissibleNow(nowMs: number): number {
    if (this.config.mode === "passthrough") return Number.POSITIVE_INFINITY;
    return Math.max(0, Math.min(this.capacity - this.active, this.rate.allowance(nowMs)));
  }

  /** The new-users-per-minute limit that applies now: an active event's or surge's, else the room's. */
  get newUsersPerMinute(): number | null {
    return this.newUsersOverride ?? this.config.newUsersPerMinute;
  }

  /** When an admitted visitor's session runs out under the room's time limit; null without one. */
  sessionEndsAt(visitor: Visitor): number | null {
    const limitS = this.config.sessionDurationSeconds;
    return limitS === null || visitor.sessionStartMs === null ? null : visitor.sessionStartMs + limitS * 1000;
  }

  // What the room tells visitors and the console (room-status.ts).

  statusOf(visitor: Visitor, nowMs: number): QueueStatus {
    return status.statusOf(this, visitor, nowMs);
  }

  sessionEndedStatus(endedAtMs: number, nowMs: number): QueueStatus {
    return status.sessionEndedStatus(this, endedAtMs, nowMs);
  }

  etaSeconds(position: number, nowMs: number): number | null {
    return status.estimateSeconds(this, position, nowMs);
  }

  holdLookahead(nowMs: number): number {
    return status.holdLookahead(this, nowMs);
  }

  summary(nowMs: number): RoomSummary {
    return status.summary(this, nowMs);
  }

  tokenInfo(visitor: Visitor, position: number | null): TokenInfo {
    return status.tokenInfo(this, visitor, position);
  }

  stats(nowMs: number): RoomStats {
    return {
      room: this.config.id,
      capacity: this.capacity,
      baseCapacity: this.config.capacity,
      active: this.active,
      waiting: this.waiting,
      arrivedTotal: this.totals.arrived,
      admittedTotal: this.totals.admitted,
      expiredTotal: this.totals.expired,
      leftTotal: this.totals.left,
      sessionsEndedTotal: this.sessionsEnded,
      sessionsTimedOutTotal: this.sessionsTimedOut,
      bypassedTotal: this.bypassedTotal,
      infiniteLine: { held: this.infinite.held, ...this.infinite.totals },
      bypassBeyondCapacity: this.passes.inside,
      challenges: { ...this.challenges },
      evictedTotal: this.totals.evicted,
      arrivalsPerMinute: this.arrivals.total(nowMs),
      admissionsPerMinute: this.admissions.total(nowMs),
      maxActiveObserved: this.maxActiveObserved,
    };
  }
}
