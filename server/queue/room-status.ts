import type { RoomState } from "@/server/queue/room-state";
import type { QueueStatus, RoomSummary, TokenInfo } from "@/server/queue/types";
import type { Visitor } from "@/server/queue/visitor";

// What a room tells a visitor (status: place, estimate, when to come back, whether to hold)
// and the console (a place's row, a room's summary), read from the room's state. Runs for
// every heartbeat: plain functions over RoomState, object literals rather than spreads.

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

export function tokenInfo(room: RoomState, visitor: Visitor, position: number | null): TokenInfo {
  return {
    id: visitor.id,
    room: room.config.id,
    seq: visitor.seq,
    reference: room.referenceOf(visitor),
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

/** Seconds until someone at this position gets in (wait-model.ts); null if it cannot be told. */
export function estimateSeconds(room: RoomState, position: number, nowMs: number): number | null {
  return room.wait.estimate(room, position, nowMs);
}

/**
 * Admissions a minute shown beside the estimate: the pace the estimate assumes (capacity over
 * the mean visit, within the new-users limit), so the two never disagree; the last minute's
 * count when there is no model yet.
 */
export function paceOf(room: RoomState, nowMs: number): number {
  const pace = room.wait.pacePerMinute(room, nowMs);
  if (pace === null) return room.admissions.total(nowMs);
  // A slow room's pace in tenths: 0.2 a minute, not 0 beside a wait of 40 minutes.
  return pace < 10 ? Math.round(pace * 10) / 10 : Math.round(pace);
}

export function statusOf(room: RoomState, visitor: Visitor, nowMs: number): QueueStatus {
  // Object literals, not spreads: this runs for every heartbeat.
  const { id, heartbeatIntervalMs, heartbeatTimeoutMs, mode } = room.config;
  const capacity = room.capacity;
  if (visitor.state === "admitted") {
    return {
      room: id,
      reference: room.referenceOf(visitor),
      state: "admitted",
      position: null,
      ahead: null,
      waiting: room.waiting,
      progress: 1,
      etaSeconds: 0,
      admissionsPerMinute: paceOf(room, nowMs),
      heartbeatIntervalMs: spreadInterval(room, heartbeatIntervalMs, heartbeatTimeoutMs),
      heartbeatTimeoutMs,
      admittedAt: visitor.admittedAtMs,
      sessionEndsAt: room.sessionEndsAt(visitor),
      startsAt: null,
      hold: false,
    };
  }
  if (visitor.held && room.preQueue) {
    // No place until the draw: those certainly ahead are the line before the pre-queue opened.
    return {
      room: id,
      reference: room.referenceOf(visitor),
      state: "prequeue",
      position: null,
      ahead: room.front.length + room.line.length,
      waiting: room.waiting,
      progress: 0,
      etaSeconds: null,
      admissionsPerMinute: paceOf(room, nowMs),
      heartbeatIntervalMs,
      heartbeatTimeoutMs,
      admittedAt: null,
      sessionEndsAt: null,
      startsAt: room.preQueue.startsAtMs,
      hold: false,
    };
  }
  // An admission being written is first in line in all but name.
  const position = visitor.state === "admitting" ? 1 : room.positionOf(visitor);
  // In a lottery one's place does not matter: after those moved to the front, one is drawn
  // on average halfway through the line.
  const drawnAt =
    mode === "random" && visitor.state === "waiting" && !visitor.frontRank
      ? room.front.length + Math.ceil((room.line.length + 1) / 2)
      : position;
  const etaSeconds = estimateSeconds(room, drawnAt, nowMs);
  const admissionsPerMinute = paceOf(room, nowMs);
  const state = mode === "closed" ? "closed" : capacity === 0 && mode !== "passthrough" ? "paused" : "waiting";
  return {
    room: id,
    reference: room.referenceOf(visitor),
    state,
    position,
    ahead: position - 1,
    waiting: room.waiting,
    // The share of those ahead at arrival who have gone since: 0 on joining (whatever the
    // place, and in a paused room), 1 only when admitted.
    progress: Math.min(1, Math.max(0, (visitor.initialAhead + 1 - position) / (visitor.initialAhead + 1))),
    etaSeconds,
    admissionsPerMinute,
    // Admission is due before the next regular heartbeat: ask sooner, so the visitor learns
    // of it within about a second instead of up to a whole interval later.
    heartbeatIntervalMs:
      etaSeconds !== null && etaSeconds * 1000 < heartbeatIntervalMs
        ? Math.max(soonestHeartbeatMs, etaSeconds * 1000)
        : spreadInterval(room, heartbeatIntervalMs, heartbeatTimeoutMs),
    heartbeatTimeoutMs,
    admittedAt: null,
    sessionEndsAt: null,
    startsAt: null,
    hold: state === "waiting" && holdWorthwhile(room, visitor, position, nowMs),
  };
}

/** What a visitor whose session the time limit ended is told: out, and when it ran out. */
export function sessionEndedStatus(room: RoomState, endedAtMs: number, nowMs: number): QueueStatus {
  const { id, heartbeatIntervalMs, heartbeatTimeoutMs } = room.config;
  return {
    room: id,
    reference: null,
    state: "expired",
    position: null,
    ahead: null,
    waiting: room.waiting,
    progress: 0,
    etaSeconds: null,
    admissionsPerMinute: paceOf(room, nowMs),
    heartbeatIntervalMs,
    heartbeatTimeoutMs,
    admittedAt: null,
    sessionEndsAt: endedAtMs,
    startsAt: null,
    hold: false,
  };
}

/** The room's heartbeat interval, spread (see `intervalSpread`). */
function spreadInterval(room: RoomState, intervalMs: number, timeoutMs: number): number {
  const spread = Math.min(intervalMs * intervalSpread, (timeoutMs - intervalMs) / 4);
  if (!(spread > 0)) return intervalMs;
  // xorshift32: statistical spread only, nothing to guess (Math.random per heartbeat costs more).
  let x = room.spreadState;
  x ^= x << 13;
  x ^= x >>> 17;
  x ^= x << 5;
  room.spreadState = x;
  return Math.round(intervalMs - spread + (2 * spread * (x >>> 0)) / 0x1_0000_0000);
}

/**
 * Whether this waiting visitor is among the next `holdLookahead` to be admitted. In a lottery
 * anyone may be drawn next, so either the whole line is within it or only the front is.
 */
function holdWorthwhile(room: RoomState, visitor: Visitor, position: number, nowMs: number): boolean {
  if (room.holdLookaheadMax === 0) return false;
  if (visitor.state === "admitting" || visitor.frontRank) return true;
  const lookahead = holdLookahead(room, nowMs);
  if (room.config.mode === "random") return room.front.length + room.line.length <= lookahead;
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
export function holdLookahead(room: RoomState, nowMs: number): number {
  const peak = room.admissions.peakPerSecond(nowMs);
  const free = Math.max(0, room.capacity - room.active);
  const wanted = Math.ceil((peak * 2 * room.config.heartbeatIntervalMs) / 1000) + free;
  return Math.min(room.holdLookaheadMax, Math.max(holdLookaheadFloor, wanted));
}

export function summary(room: RoomState, nowMs: number): RoomSummary {
  return {
    room: room.config.id,
    name: room.config.name,
    mode: room.config.mode,
    waiting: room.waiting,
    full: room.full,
    // A newcomer to an open pre-queue gets a place drawn at the start: no estimate yet.
    etaSeconds: room.preQueue ? null : estimateSeconds(room, room.waiting + 1, nowMs),
    heartbeatIntervalMs: room.config.heartbeatIntervalMs,
    defaultLanguage: room.config.defaultLanguage,
    branding: room.config.branding,
    challenge: room.config.challenge,
  };
}
