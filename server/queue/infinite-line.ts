import type { QueueStatus } from "@/server/queue/types";

// The infinite line: where a room that asks for it sends arrivals it does not trust (a blocked
// address range, an address over the per-address limit, a forged or tampered challenge
// answer). They get what looks like an ordinary place: a token of the same shape, a reference
// code, a position and an estimate, a waiting page that keeps beating. The place never
// advances and is never admitted. An error would tell a script to change address or try
// harder; this costs it its time instead, and costs us one map entry and no store write.
//
// Their tokens are signed with a key of their own (server/tokens/secrets.ts), so a restart,
// or a place forgotten to keep memory bounded, still knows them for what they are; nobody
// outside can tell the two kinds apart.

export const shadowReasons = ["blocked", "rate_limited", "challenge_failed"] as const;
export type ShadowReason = (typeof shadowReasons)[number];

export type Shadow = {
  id: string;
  /** The place it was shown on arrival; it stays there. */
  position: number;
  reference: string;
  lastSeenMs: number;
};

/** Most places held per room; beyond it the longest silent is forgotten (and found again by its token). */
const defaultMaxHeld = 50_000;

export class InfiniteLine {
  /** By canonical token string, least recently seen first (a Map keeps insertion order). */
  private readonly byToken = new Map<string, Shadow>();
  /** Arrivals sent here, by why, since this process started. */
  readonly totals: Record<ShadowReason, number> = { blocked: 0, rate_limited: 0, challenge_failed: 0 };
  /** Places handed out, ever (in this process): they take reference codes from the top of the range down. */
  issued = 0;

  constructor(private readonly maxHeld = defaultMaxHeld) {}

  /** Places heard from within the heartbeat timeout (as of the last prune). */
  get held(): number {
    return this.byToken.size;
  }

  add(token: string, shadow: Shadow): void {
    this.byToken.set(token, shadow);
    if (this.byToken.size > this.maxHeld) {
      const oldest = this.byToken.keys().next().value;
      if (oldest !== undefined) this.byToken.delete(oldest);
    }
  }

  /** The place this exact token string holds, marked as heard from now; undefined if unknown. */
  touch(token: string, nowMs: number): Shadow | undefined {
    const shadow = this.byToken.get(token);
    if (!shadow) return undefined;
    // To the end: the map stays in last-seen order, so pruning stops at the first live one.
    this.byToken.delete(token);
    shadow.lastSeenMs = nowMs;
    this.byToken.set(token, shadow);
    return shadow;
  }

  remove(token: string): void {
    this.byToken.delete(token);
  }

  /** Forgets places silent for longer than the timeout, as the real line drops silent visitors. */
  prune(nowMs: number, timeoutMs: number): void {
    for (const [token, shadow] of this.byToken) {
      if (nowMs - shadow.lastSeenMs <= timeoutMs) return;
      this.byToken.delete(token);
    }
  }
}

/**
 * What a place in the infinite line is told: an ordinary waiting status, at its place, with
 * the estimate a real visitor there would see; the line shown is never shorter than its place.
 */
export function shadowStatus(
  real: { position: number; estimateSeconds: number | null },
  room: {
    id: string;
    waiting: number;
    admissionsPerMinute: number;
    heartbeatIntervalMs: number;
    heartbeatTimeoutMs: number;
  },
  shadow: Shadow,
): QueueStatus {
  return {
    room: room.id,
    reference: shadow.reference,
    state: "waiting",
    position: real.position,
    ahead: real.position - 1,
    waiting: Math.max(room.waiting, real.position),
    progress: 0,
    etaSeconds: real.estimateSeconds,
    admissionsPerMinute: room.admissionsPerMinute,
    heartbeatIntervalMs: room.heartbeatIntervalMs,
    heartbeatTimeoutMs: room.heartbeatTimeoutMs,
    admittedAt: null,
    sessionEndsAt: null,
    startsAt: null,
    hold: false,
  };
}
