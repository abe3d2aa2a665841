import "server-only";
import { createHmac } from "node:crypto";
import { AdmissionRate } from "@/server/queue/admission-rate";
import { type AddressRanges, addressRanges } from "@/server/queue/bypass";
import { DeadlineWheel, type WheelItem } from "@/server/queue/deadline-wheel";
import { Line } from "@/server/queue/line";
import type { RoomReferences } from "@/server/queue/place-reference";
import { RateWindow } from "@/server/queue/rate-window";
import { SessionLimits } from "@/server/queue/session-limits";
import type { QueueStatus, RoomConfig, RoomStats, RoomSummary, TokenInfo } from "@/server/queue/types";
import type { RemovalReason, RoomCounters, StoredEntry } from "@/server/store/queue-store";

/**
 * A visitor as the engine holds it. `admitting` counts against capacity while the admission
 * is being made durable; the admission token is only handed out once it is `admitted`.
 */
export type Visitor = WheelItem & {
  id: string;
  /** The place handed out at arrival (in the store and the queue token): never changes. */
  seq: number;
  /** Its key in `line`: the seq, or another pre-queue member's seq after the pre-queue's shuffle. */
  place: number;
  /** Arrived while a pre-queue was open: waits in `preQueue`, not in `line`, until its release. */
  held: boolean;
  state: "waiting" | "admitting" | "admitted";
  initialAhead: number;
  enteredAtMs: number;
  admittedAtMs: number | null;
  admissionNo: number | null;
  /** The queue token issued to this visitor; null after a restart until first verified. */
  token: string | null;
  /** Sent an explicit leave; removed at the deadline unless a heartbeat comes first. */
  leaving: boolean;
  /** The place's reference code (place-reference.ts), derived from `seq` when first shown. */
  reference: string | null;
  /** When its session began (admission, or its last renewal), under a time limit; else null. */
  sessionStartMs: number | null;
  /** Skipped the line (a bypass address or API key). */
  bypassed: boolean;
  /** The page that sent the leave, when it said; its own late heartbeats do not undo it. */
  leftPage: string | null;
  /**
   * 0, or its turn among those an operator moved to the front (lower goes first): then it is in
   * `front`, not in `line`, and stays so while its admission is written, so a refused write
   * puts it back at the front.
   */
  frontRank: number;
};

/**
 * A pre-queue (a scheduled event's): arrivals from `opensAtMs` wait here, are not admitted, and
 * at the event's start are released into the line in an order drawn at random.
 */
export type PreQueue = { opensAtMs: number; startsAtMs: number; members: Set<Visitor> };

const recentWindowMs = 60_000;
/** Most waits kept between two `takeWaitSamples` calls: a uniform sample beyond that. */
const maxWaitSamples = 10_000;
/** Shortest heartbeat interval the engine asks for (near the front of the line). */
const soonestHeartbeatMs = 1_000;
/**
 * How far the interval asked for strays from the room's, either way (uniformly, mean unchanged).
 * Visitors answered together would otherwise come back together, every interval: one stall of
 * the server (a flash crowd's first seconds) phase-locked thousands of heartbeats into bursts
 * that stalled it again one interval later, for the rest of the crowd. ±10% spreads a burst
 * over a whole interval within a few rounds. Never more than a quarter of the margin to the
 * heartbeat timeout, so nobody is asked to come back too late.
 */
const intervalSpread = 0.1;
/**
 * Fewest visitors at the front told to hold their heartbeat, whatever the admission rate: with
 * no recent admissions (a full room, long sessions) the next slot to free still goes to them.
 */
export const holdLookaheadFloor = 10;

/** base64url character code -> its 6 bits; -1 for anything else. */
const base64urlBits = new Int8Array(128).fill(-1);
for (const [bits, char] of [..."ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"].entries()) {
  base64urlBits[char.charCodeAt(0)] = bits;
}

/**
 * The `byToken` key of a token: 30 bits of its signature (HMAC-SHA256, the last 43 characters
 * of a canonical token; the five before the last, whose bits are all used), as a small integer.
 * A heartbeat's token is a new string each time: keyed by the whole string, its ~200
 * characters were hashed on every lookup (2.5% of a heartbeat's CPU in a 100,000-visitor
 * room), and compared through sliced strings when keyed by the signature's text. -1 when
 * those characters are not base64url (no canonical token's key). Two live tokens share a key
 * about once per 10^9 pairs; the index then holds one of them, and the other visitor is
 * authenticated the slow way (verified) on each request: correct, only slower.
 */
export function tokenKey(token: string): number {
  const end = token.length - 1;
  if (end < 5) return -1;
  let key = 0;
  for (let i = end - 5; i < end; i++) {
    const code = token.charCodeAt(i);
    const bits = code < 128 ? (base64urlBits[code] as number) : -1;
    if (bits < 0) return -1;
    key = (key << 6) | bits;
  }
  return key;
}

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
  /** State of the generator that spreads heartbeat intervals (never 0). */
  private spreadState = (Math.random() * 0xffff_ffff) | 1;

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
    this.outflow = new RateWindow(etaWindowMs, nowMs);
    this.rate = new AdmissionRate(config.newUsersPerMinute);
    this.bypassRanges = addressRanges(config.bypassCidrs);
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
    this.config = config;
    this.rate.setPerMinute(this.newUsersPerMinute);
    // A new limit counts from each admission; a changed one keeps the order; none tracks nothing.
    if (config.sessionDurationSeconds === null) this.sessions.clear();
    else if (!hadLimit) this.sessions.startAll(this.inside, (v) => v.admittedAtMs ?? Date.now());
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

  /** Takes a visitor out of every index, for good; the caller files the removal with the store. */
  /**
   * Removes a visitor from the room's state. `revoke`: their admission token stops working at
   * once (an eviction, a session the site ended), not only when it expires.
   */
  drop(visitor: Visitor, reason: RemovalReason, nowMs: number, revoke = reason === "evicted"): void {
    visitor.gone = true;
    this.visitors.delete(visitor.id);
    this.unindexToken(visitor);
    visitor.token = null;
    if (visitor.state === "waiting") this.takeOut(visitor);
    else this.markOutside(visitor);
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
    if (visitor.held) return this.front.length + this.line.length + this.heldIndex(visitor) + 1;
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

  /**
   * Opens (or re-opens after a restart) the pre-queue: from now on arrivals are held, and so
   * are those already in line who arrived in [opensAtMs, startsAtMs). The same window again
   * changes nothing.
   */
  openPreQueue(opensAtMs: number, startsAtMs: number): void {
    const preQueue = this.preQueue ?? { opensAtMs, startsAtMs, members: new Set<Visitor>() };
    preQueue.opensAtMs = opensAtMs;
    preQueue.startsAtMs = startsAtMs;
    this.preQueue = preQueue;
    const late: Visitor[] = [];
    for (const { item } of this.line) {
      if (item.enteredAtMs >= opensAtMs && item.enteredAtMs < startsAtMs) late.push(item);
    }
    for (const visitor of late) {
      this.line.remove(visitor.place);
      visitor.held = true;
      preQueue.members.add(visitor);
    }
  }

  /** Holds a new arrival while the pre-queue is open; false when there is none. */
  holdArrival(visitor: Visitor): boolean {
    if (!this.preQueue) return false;
    visitor.held = true;
    this.preQueue.members.add(visitor);
    return true;
  }

  /**
   * Releases the pre-queue into the line. With a seed, those who arrived before the start take
   * the places the pre-queue holds in an order drawn from the seed: a keyed hash of each
   * visitor id, so the same seed gives the same order to whoever is still there (a restart
   * re-applies it exactly). Later arrivals keep their places, behind all of them. Returns how
   * many were shuffled.
   */
  releasePreQueue(seed: string | null): number {
    const preQueue = this.preQueue;
    if (!preQueue) return 0;
    this.preQueue = null;
    const members = [...preQueue.members];
    const early = seed ? members.filter((v) => v.enteredAtMs < preQueue.startsAtMs) : [];
    if (seed && early.length > 1) {
      const places = early.map((v) => v.place).sort((a, b) => a - b);
      const keyed = early.map((visitor) => ({
        visitor,
        key: createHmac("sha256", seed).update(visitor.id).digest("hex"),
      }));
      keyed.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
      keyed.forEach(({ visitor }, i) => {
        visitor.place = places[i] as number;
      });
    }
    for (const visitor of members) {
      visitor.held = false;
      this.line.insert(visitor.place, visitor);
    }
    return early.length;
  }

  /** A pre-queue member's index in arrival order: O(k), for the console only. */
  private heldIndex(visitor: Visitor): number {
    let index = 0;
    for (const other of this.preQueue?.members ?? []) {
      if (other === visitor) return index;
      index++;
    }
    return index;
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
      reference: this.referenceOf(visitor),
      bypassed: visitor.bypassed,
      state: visitor.state,
      position,
      enteredAtMs: visitor.enteredAtMs,
      admittedAtMs: visitor.admittedAtMs,
      admissionNo: visitor.admissionNo,
      deadlineMs: visitor.deadlineMs,
      leaving: visitor.leaving,
    };
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

  /** Seconds until someone at this position gets in, from measured outflow; null if unknown. */
  etaSeconds(position: number, nowMs: number): number | null {
    if (this.config.mode === "passthrough") return 1;
    const capacity = this.capacity;
    if (this.config.mode === "closed" || capacity === 0) return null;
    const free = Math.max(0, capacity - this.active);
    const allowance = this.rate.allowance(nowMs);
    if (position <= Math.min(free, allowance)) return 1;
    // Whichever binds: the new-users limit lets the line through at its pace at best...
    const byRate = this.rate.perMinute === null ? 0 : (position - Math.min(free, allowance)) / this.rate.perSecond;
    if (position <= free) return Math.max(1, Math.ceil(byRate));
    // ...and slots free up at the measured outflow.
    const perSecond = this.outflow.perSecond(nowMs);
    if (perSecond <= 0) return null;
    return Math.max(1, Math.ceil(Math.max((position - free) / perSecond, byRate)));
  }

  /**
   * How many may be admitted now: the free slots, and no more than the new-users limit allows
   * (passthrough: the room is off, neither applies).
   */
  admissibleNow(nowMs: number): number {
    if (this.config.mode === "passthrough") return Number.POSITIVE_INFINITY;
    return Math.max(0, Math.min(this.capacity - this.active, this.rate.allowance(nowMs)));
  }

  statusOf(visitor: Visitor, nowMs: number): QueueStatus {
    // Object literals, not spreads: this runs for every heartbeat.
    const { id, heartbeatIntervalMs, heartbeatTimeoutMs, mode } = this.config;
    const capacity = this.capacity;
    if (visitor.state === "admitted") {
      return {
        room: id,
        reference: this.referenceOf(visitor),
        state: "admitted",
        position: null,
        ahead: null,
        waiting: this.waiting,
        progress: 1,
        etaSeconds: 0,
        admissionsPerMinute: this.admissions.total(nowMs),
        heartbeatIntervalMs: this.spreadInterval(heartbeatIntervalMs, heartbeatTimeoutMs),
        heartbeatTimeoutMs,
        admittedAt: visitor.admittedAtMs,
        sessionEndsAt: this.sessionEndsAt(visitor),
        startsAt: null,
        hold: false,
      };
    }
    if (visitor.held && this.preQueue) {
      // No place until the draw: those certainly ahead are the line before the pre-queue opened.
      return {
        room: id,
        reference: this.referenceOf(visitor),
        state: "prequeue",
        position: null,
        ahead: this.front.length + this.line.length,
        waiting: this.waiting,
        progress: 0,
        etaSeconds: null,
        admissionsPerMinute: this.admissions.total(nowMs),
        heartbeatIntervalMs,
        heartbeatTimeoutMs,
        admittedAt: null,
        sessionEndsAt: null,
        startsAt: this.preQueue.startsAtMs,
        hold: false,
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
    const admissionsPerMinute = this.admissions.total(nowMs);
    const state = mode === "closed" ? "closed" : capacity === 0 && mode !== "passthrough" ? "paused" : "waiting";
    return {
      room: id,
      reference: this.referenceOf(visitor),
      state,
      position,
      ahead: position - 1,
      waiting: this.waiting,
      // Steps are the people ahead at arrival plus admission itself: someone who arrived
      // first in line is halfway, not at 0% beside "you're next".
      progress: Math.min(1, Math.max(0, (visitor.initialAhead + 2 - position) / (visitor.initialAhead + 2))),
      etaSeconds,
      admissionsPerMinute,
      // Admission is due before the next regular heartbeat: ask sooner, so the visitor learns
      // of it within about a second instead of up to a whole interval later.
      heartbeatIntervalMs:
        etaSeconds !== null && etaSeconds * 1000 < heartbeatIntervalMs
          ? Math.max(soonestHeartbeatMs, etaSeconds * 1000)
          : this.spreadInterval(heartbeatIntervalMs, heartbeatTimeoutMs),
      heartbeatTimeoutMs,
      admittedAt: null,
      sessionEndsAt: null,
      startsAt: null,
      hold: state === "waiting" && this.holdWorthwhile(visitor, position, nowMs),
    };
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

  /** What a visitor whose session the time limit ended is told: out, and when it ran out. */
  sessionEndedStatus(endedAtMs: number, nowMs: number): QueueStatus {
    const { id, heartbeatIntervalMs, heartbeatTimeoutMs } = this.config;
    return {
      room: id,
      reference: null,
      state: "expired",
      position: null,
      ahead: null,
      waiting: this.waiting,
      progress: 0,
      etaSeconds: null,
      admissionsPerMinute: this.admissions.total(nowMs),
      heartbeatIntervalMs,
      heartbeatTimeoutMs,
      admittedAt: null,
      sessionEndsAt: endedAtMs,
      startsAt: null,
      hold: false,
    };
  }

  /** The room's heartbeat interval, spread (see `intervalSpread`). */
  private spreadInterval(intervalMs: number, timeoutMs: number): number {
    const spread = Math.min(intervalMs * intervalSpread, (timeoutMs - intervalMs) / 4);
    if (!(spread > 0)) return intervalMs;
    // xorshift32: statistical spread only, nothing to guess (Math.random per heartbeat costs more).
    let x = this.spreadState;
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    this.spreadState = x;
    return Math.round(intervalMs - spread + (2 * spread * (x >>> 0)) / 0x1_0000_0000);
  }

  /**
   * Whether this waiting visitor is among the next `holdLookahead` to be admitted. In a lottery
   * anyone may be drawn next, so either the whole line is within it or only the front is.
   */
  private holdWorthwhile(visitor: Visitor, position: number, nowMs: number): boolean {
    if (this.holdLookaheadMax === 0) return false;
    if (visitor.state === "admitting" || visitor.frontRank) return true;
    const lookahead = this.holdLookahead(nowMs);
    if (this.config.mode === "random") return this.front.length + this.line.length <= lookahead;
    return position <= lookahead;
  }

  /**
   * How many at the front should hold: as many as the busiest second of the last minute
   * admitted, for each second of two heartbeat intervals, plus the slots free now; at least
   * `holdLookaheadFloor`, at most the bound on held requests. A visitor further back
   * heartbeats at least once more before its turn (at most one interval later, sooner when its
   * ETA is shorter), and by then it is within this and told to hold. The busiest second, not the
   * mean: admissions come in bursts (sessions that began together end together, a capacity
   * raise), and the mean over a minute would leave most of a burst unheld. Two intervals: a
   * burst may be larger than the last minute's; a visitor it misses is only as late as today.
   * (RateWindow walks its buckets once a second and per change, not per heartbeat.)
   */
  holdLookahead(nowMs: number): number {
    const peak = this.admissions.peakPerSecond(nowMs);
    const free = Math.max(0, this.capacity - this.active);
    const wanted = Math.ceil((peak * 2 * this.config.heartbeatIntervalMs) / 1000) + free;
    return Math.min(this.holdLookaheadMax, Math.max(holdLookaheadFloor, wanted));
  }

  summary(nowMs: number): RoomSummary {
    return {
      room: this.config.id,
      name: this.config.name,
      mode: this.config.mode,
      waiting: this.waiting,
      full: this.full,
      // A newcomer to an open pre-queue gets a place drawn at the start: no estimate yet.
      etaSeconds: this.preQueue ? null : this.etaSeconds(this.waiting + 1, nowMs),
      heartbeatIntervalMs: this.config.heartbeatIntervalMs,
    };
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
      evictedTotal: this.totals.evicted,
      arrivalsPerMinute: this.arrivals.total(nowMs),
      admissionsPerMinute: this.admissions.total(nowMs),
      maxActiveObserved: this.maxActiveObserved,
    };
  }
}
