import type { Dispatcher } from "undici";
import { request } from "undici";
import { postOptions } from "@/bench/load";
import { signIn } from "@/bench/memory";
import { mulberry32 } from "@/server/testing/seeded-random";

// The heartbeat scenario's room is live: it admits while the heartbeats are measured, and
// admitted visitors leave or go silent (expired by the server), some of the waiting give up,
// so the engine's admission and expiry work falls in the measured window. The generator's
// closed loop asks this rotation for each next request: a pending leave first, else the next
// visitor still heartbeating, round-robin.

export type LiveRoomSettings = {
  /** Share of the line the room admits at once. */
  capacityShare: number;
  heartbeatIntervalMs: number;
  /** Short enough for silent visitors to be expired in the run, longer than one round of heartbeats. */
  heartbeatTimeoutMs: number;
  /** Share of admitted visitors who leave at once; the rest go silent. */
  admittedLeaveFraction: number;
  /**
   * Chance that a waiting visitor gives up (goes silent) per heartbeat interval of waiting.
   * Drawn per answer for the time since its last one: the closed loop heartbeats each visitor
   * as fast as the server answers (dozens of times an interval with a small line on a fast
   * box), and a chance per answer would empty the line within seconds.
   */
  abandonPerInterval: number;
  seed: number;
};

export type RoomCounters = {
  admittedTotal: number;
  expiredTotal: number;
  leftTotal: number;
  active: number;
  waiting: number;
};

export type LiveCounts = {
  heartbeats: number;
  leaves: number;
  /** Heartbeat answers that said "admitted": the visitor then left or went silent. */
  admittedSeen: number;
  wentSilentAdmitted: number;
  gaveUp: number;
  /** Waiting visitors told their place had expired (410): the round was slower than the timeout. */
  expiredWhileHeartbeating: number;
};

const admittedMarker = Buffer.from('"state":"admitted"');
const roomPath = "/api/admin/rooms/default";

export class LiveRotation {
  private readonly leaves: Dispatcher.DispatchOptions[];
  /** 0: heartbeating; 1: gone (left, silent, expired). */
  private readonly gone: Uint8Array;
  private readonly pendingLeaves: number[] = [];
  /** Request number → visitor, for requests in flight; negative for a leave. */
  private readonly inFlight = new Map<number, number>();
  /** When each visitor's last heartbeat was answered (performance.now(), ms; 0: never). */
  private readonly answeredAt: Float64Array;
  private cursor = 0;
  private alive: number;
  private readonly random: () => number;
  counts: LiveCounts = LiveRotation.zero();

  constructor(
    private readonly heartbeats: Dispatcher.DispatchOptions[],
    private readonly settings: LiveRoomSettings,
  ) {
    this.leaves = heartbeats.map((options) =>
      postOptions("/api/queue/default/leave", options.headers as Record<string, string>),
    );
    this.gone = new Uint8Array(heartbeats.length);
    this.answeredAt = new Float64Array(heartbeats.length);
    this.alive = heartbeats.length;
    this.random = mulberry32(settings.seed);
  }

  static zero(): LiveCounts {
    return { heartbeats: 0, leaves: 0, admittedSeen: 0, wentSilentAdmitted: 0, gaveUp: 0, expiredWhileHeartbeating: 0 };
  }

  /** Visitors still heartbeating. */
  get heartbeating(): number {
    return this.alive;
  }

  /** Starts counting afresh (the measured window); the visitors' states carry on. */
  resetCounts(): LiveCounts {
    const before = this.counts;
    this.counts = LiveRotation.zero();
    return before;
  }

  readonly requestFor = (n: number): Dispatcher.DispatchOptions => {
    const leaving = this.pendingLeaves.pop();
    if (leaving !== undefined) {
      this.inFlight.set(n, -1 - leaving);
      return this.leaves[leaving] as Dispatcher.DispatchOptions;
    }
    const count = this.heartbeats.length;
    // Skips the gone; when nobody is left, heartbeats the gone anyway (answered 410, counted).
    let visitor = this.cursor;
    for (let tries = 0; tries < count && this.gone[visitor] === 1; tries++) visitor = (visitor + 1) % count;
    this.cursor = (visitor + 1) % count;
    this.inFlight.set(n, visitor);
    return this.heartbeats[visitor] as Dispatcher.DispatchOptions;
  };

  readonly onReply = (n: number, statusCode: number, body: Buffer | null): void => {
    const visitor = this.inFlight.get(n);
    this.inFlight.delete(n);
    if (visitor === undefined) return;
    if (visitor < 0) {
      this.counts.leaves++;
      return;
    }
    this.counts.heartbeats++;
    if (this.gone[visitor] === 1) return;
    if (statusCode === 410) {
      this.counts.expiredWhileHeartbeating++;
      this.drop(visitor);
      return;
    }
    if (statusCode !== 200 || !body) return;
    if (body.includes(admittedMarker)) {
      this.counts.admittedSeen++;
      this.drop(visitor);
      if (this.random() < this.settings.admittedLeaveFraction) this.pendingLeaves.push(visitor);
      else this.counts.wentSilentAdmitted++;
    } else if (this.random() < this.abandonChance(visitor)) {
      this.counts.gaveUp++;
      this.drop(visitor);
    }
  };

  /** The chance of giving up over the time since this visitor's last answer. */
  private abandonChance(visitor: number): number {
    const now = performance.now();
    const last = this.answeredAt[visitor] || now;
    this.answeredAt[visitor] = now;
    const intervals = (now - last) / this.settings.heartbeatIntervalMs;
    return 1 - (1 - this.settings.abandonPerInterval) ** intervals;
  }

  private drop(visitor: number): void {
    this.gone[visitor] = 1;
    this.alive--;
  }
}

/**
 * Opens the paused room for business through the admin API, as an operator would: capacity
 * a share of the line, the live heartbeat interval and timeout (each visitor moves to the new
 * timeout at its next heartbeat).
 */
export async function openRoom(origin: string, line: number, settings: LiveRoomSettings): Promise<number> {
  const session = await signIn(origin);
  if (!session) throw new Error("heartbeat bench: could not sign in as the bench admin to open the room");
  const capacity = Math.max(10, Math.round(line * settings.capacityShare));
  const res = await request(`${origin}${roomPath}`, {
    method: "PATCH",
    headers: { cookie: session, "content-type": "application/json" },
    body: JSON.stringify({
      capacity,
      heartbeatIntervalMs: settings.heartbeatIntervalMs,
      heartbeatTimeoutMs: settings.heartbeatTimeoutMs,
      reason: "bench: open the room",
    }),
  });
  const text = await res.body.text();
  if (res.statusCode !== 200) throw new Error(`heartbeat bench: PATCH ${roomPath} answered ${res.statusCode}: ${text}`);
  return capacity;
}

/** The room's counters from /metrics. */
export async function roomCounters(origin: string): Promise<RoomCounters | null> {
  try {
    const res = await request(`${origin}/metrics`, { method: "GET", headersTimeout: 10_000 });
    const text = await res.body.text();
    if (res.statusCode !== 200) return null;
    const value = (name: string) => {
      const match = new RegExp(`^${name}\\{room="default"\\} (\\S+)$`, "m").exec(text);
      return match ? Number(match[1]) : Number.NaN;
    };
    return {
      admittedTotal: value("floodgate_room_admitted_total"),
      expiredTotal: value("floodgate_room_expired_total"),
      leftTotal: value("floodgate_room_left_total"),
      active: value("floodgate_room_active"),
      waiting: value("floodgate_room_waiting"),
    };
  } catch {
    return null;
  }
}
