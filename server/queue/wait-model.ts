import "server-only";
import type { RoomState } from "@/server/queue/room-state";
import { type OngoingVisit, typicalVisitTail, visitQuantiles } from "@/server/queue/visit-lengths";

// The wait estimate: when will the visitor at place p be let in? Not "people ahead / recent
// admissions": that lags every change by the length of its window (a capacity raise looked
// like no raise for minutes, a cut like no cut), and counted visitors let straight in as slots
// that had freed. Instead the room is played forward from how it is now, in expectation:
//
// - Each visit inside ends as the visits measured so far end, given how long it has lasted
//   already (visit-lengths.ts): a slot held 50 s frees the way visits longer than 50 s ended.
//   A time limit ends it at the latest at its end; a closed tab when its grace runs out.
// - Every slot that frees lets the next one in once the room is back under capacity (a cut
//   first waits for the surplus to leave; a raise lets the next ones in at once), and that
//   visit ends in turn as visits do: places further back go in waves, then at capacity over
//   the mean visit.
// - The new-users-per-minute limit paces admissions at best at its rate.
// - Some of those ahead give up before their turn (the share measured over the window): they
//   free their place without taking a slot.
//
// Capacity, the time limit and the new-users limit are read as they are now, so an estimate
// follows a change at once. Rebuilt at most every 100 ms (after admissions and departures) and
// every second; reading it (each heartbeat) is a binary search.

/** Equal shares the visit lengths are reduced to. */
const shares = 64;
/** Time steps the room is played forward in (over three of the longest visits). */
const steps = 256;
/** Visits inside looked at, at most (every k-th, weighted, in big rooms). */
const maxVisits = 1_024;
/** Ended visits needed to estimate without a typical visit. */
const fewestVisits = 5;
/** Most of those ahead assumed to give up, whatever was measured. */
const maxSilentShare = 0.5;

export class WaitModel {
  private builtAtMs = Number.NEGATIVE_INFINITY;
  private builtVersion = -1;
  private builtCapacity = -1;
  private builtConfig: unknown = null;
  /** Mean visit (ms), or null: unknown (nothing measured yet, no typical visit set). */
  private visitMs: number | null = null;
  /** admitted[g]: expected admissions from the line by the end of step g after `builtAtMs`. */
  private readonly admitted = new Float64Array(steps);
  private stepMs = 1;
  private capacity = 0;
  private silentShare = 0;

  /** Seconds until the visitor at `position` is let in; null when it cannot be told. */
  estimate(room: RoomState, position: number, nowMs: number): number | null {
    const { mode } = room.config;
    if (mode === "passthrough") return 1;
    const capacity = room.capacity;
    if (mode === "closed" || capacity === 0) return null;
    const free = Math.max(0, capacity - room.active);
    const allowance = room.rate.allowance(nowMs);
    const now = Math.min(free, allowance);
    if (position <= now) return 1;
    // The new-users limit lets the line through at its pace at best.
    const byRate = room.rate.perMinute === null ? 0 : (position - now) / room.rate.perSecond;
    if (position <= free) return Math.max(1, Math.ceil(byRate));
    this.refresh(room, nowMs);
    if (this.visitMs === null) return null;
    const needed = 1 + (position - 1) * (1 - this.silentShare);
    const atMs = this.builtAtMs + this.admittedBy(needed);
    return Math.max(1, Math.ceil(Math.max((atMs - nowMs) / 1000, byRate)));
  }

  /** Admissions a minute the estimate assumes from now on; null when it cannot be told. */
  pacePerMinute(room: RoomState, nowMs: number): number | null {
    const { mode } = room.config;
    if (mode === "closed" || mode === "passthrough" || room.capacity === 0) return null;
    this.refresh(room, nowMs);
    const limit = room.newUsersPerMinute ?? Number.POSITIVE_INFINITY;
    if (this.visitMs === null) return Number.isFinite(limit) ? limit : null;
    return Math.min(limit, (room.capacity * 60_000) / this.visitMs);
  }

  /** Time (ms after the build) by which `count` have been let in from the line. */
  private admittedBy(count: number): number {
    const admitted = this.admitted;
    const last = admitted[steps - 1] as number;
    if (count > last) {
      // Past the steps played: as many waves of a full room's worth later as needed, each one
      // mean visit after the last (or, after a cut's surplus, at capacity over the mean visit).
      // (The base is kept within one visit of the last played, so that a place further back
      // is never told a shorter wait.)
      const visitMs = this.visitMs as number;
      const waves = Math.ceil((count - last) / this.capacity);
      const earlier = count - waves * this.capacity;
      if (earlier < 1) return steps * this.stepMs + ((count - last) * visitMs) / this.capacity;
      return Math.max(this.admittedBy(earlier), this.admittedBy(last) - visitMs) + waves * visitMs;
    }
    let low = 0;
    let high = steps - 1;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if ((admitted[mid] as number) >= count) high = mid;
      else low = mid + 1;
    }
    const before = low ? (admitted[low - 1] as number) : 0;
    const within = (admitted[low] as number) - before;
    // Those let in within a step are spread over it.
    return (low + (within > 0 ? Math.max(0, count - before - 0.5) / within : 1)) * this.stepMs;
  }

  private refresh(room: RoomState, nowMs: number): void {
    const age = nowMs - this.builtAtMs;
    const stale =
      age >= 1_000 ||
      age < 0 ||
      (age >= 100 && room.slotsVersion !== this.builtVersion) ||
      room.capacity !== this.builtCapacity ||
      room.config !== this.builtConfig;
    if (!stale) return;
    this.builtAtMs = nowMs;
    this.builtVersion = room.slotsVersion;
    this.builtCapacity = room.capacity;
    this.builtConfig = room.config;
    this.capacity = room.capacity;
    this.silentShare = room.silentShare(nowMs, maxSilentShare);
    this.build(room, nowMs);
  }

  private build(room: RoomState, nowMs: number): void {
    const sinceMs = nowMs - room.visitLengths.windowMs;
    const ended = room.visitLengths.ended(sinceMs);
    const typicalMs = room.typicalVisitMs;
    // Without a typical visit, a few ended visits are not enough to go on.
    if (typicalMs === null && ended.length < fewestVisits) {
      this.visitMs = null;
      return;
    }
    const tail = typicalMs === null ? null : typicalVisitTail(typicalMs);
    let lengths = visitQuantiles(ended, this.ongoing(room, nowMs, sinceMs), shares, tail);
    if (lengths === null) {
      this.visitMs = null;
      return;
    }
    const limitMs = room.config.sessionDurationSeconds === null ? null : room.config.sessionDurationSeconds * 1000;
    if (limitMs !== null) lengths = lengths.map((d) => Math.min(d, limitMs));
    this.visitMs = Math.max(1, lengths.reduce((sum, d) => sum + d, 0) / shares);
    this.stepMs = Math.max(10, (3 * (lengths[shares - 1] as number)) / steps);
    this.play(room, nowMs, lengths);
  }

  /** The visits inside admitted within the window (every k-th in big rooms, weighted). */
  private ongoing(room: RoomState, nowMs: number, sinceMs: number): OngoingVisit[] {
    const stride = Math.max(1, Math.ceil(room.active / maxVisits));
    const ongoing: OngoingVisit[] = [];
    let i = 0;
    for (const visitor of room.inside) {
      if (i++ % stride) continue;
      const admittedAtMs = visitor.admittedAtMs;
      if (admittedAtMs !== null && admittedAtMs >= sinceMs)
        ongoing.push({ ageMs: nowMs - admittedAtMs, weight: stride });
    }
    return ongoing;
  }

  /**
   * Plays the room forward: when the visits inside end, and the visits of those let in after
   * them, step by step; fills `admitted` with the running count let in from the line.
   */
  private play(room: RoomState, nowMs: number, lengths: number[]): void {
    const stepMs = this.stepMs;
    const ends = this.endsOfThoseInside(room, nowMs, lengths);
    // The visits of those let in from now end `lengths` later (never in the step they began).
    const offsets = lengths.map((d) => Math.max(1, Math.floor(d / stepMs)));
    let surplus = Math.max(0, room.active - room.capacity);
    let admitted = Math.max(0, room.capacity - room.active);
    let pending = admitted;
    for (let g = 0; g < steps; g++) {
      if (pending > 0) {
        for (const offset of offsets) if (g + offset < steps) (ends[g + offset] as number) += pending / shares;
      }
      let freed = ends[g] as number;
      const spent = Math.min(surplus, freed);
      surplus -= spent;
      freed -= spent;
      admitted += freed;
      pending = freed;
      this.admitted[g] = admitted;
    }
  }

  /** ends[g]: expected visits of those inside now that end in step g. */
  private endsOfThoseInside(room: RoomState, nowMs: number, lengths: number[]): Float64Array {
    const stepMs = this.stepMs;
    const ends = new Float64Array(steps);
    const last = steps - 1;
    const stride = Math.max(1, Math.ceil(room.active / maxVisits));
    const weight = room.active / Math.ceil(room.active / stride);
    let i = 0;
    for (const visitor of room.inside) {
      if (i++ % stride) continue;
      const ageMs = Math.max(0, nowMs - (visitor.admittedAtMs ?? nowMs));
      let latestMs = Number.POSITIVE_INFINITY;
      const endsAt = room.sessionEndsAt(visitor);
      if (endsAt !== null) latestMs = Math.max(0, endsAt - nowMs);
      // A closed tab's slot frees when its grace runs out.
      if (visitor.leaving) latestMs = Math.min(latestMs, Math.max(0, visitor.deadlineMs - nowMs));
      let first = 0;
      while (first < shares && (lengths[first] as number) <= ageMs) first++;
      const longer = shares - first;
      if (longer === 0) {
        // Older than nearly every visit seen: it may end any moment, but not all such visits do:
        // spread over the next half of a visit.
        const spread = Math.max(1, Math.min(last, Math.floor((this.visitMs as number) / 2 / stepMs)));
        for (let g = 0; g < spread; g++) {
          (ends[Math.min(last, Math.floor(Math.min(latestMs, g * stepMs) / stepMs))] as number) += weight / spread;
        }
        continue;
      }
      for (let j = first; j < shares; j++) {
        const leftMs = Math.min(latestMs, (lengths[j] as number) - ageMs);
        (ends[Math.min(last, Math.floor(leftMs / stepMs))] as number) += weight / longer;
      }
    }
    return ends;
  }
}
