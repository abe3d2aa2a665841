import { TokenRoster } from "@/server/queue/token-roster";
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

/** Places in one room's infinite line, by token (token-roster.ts: the silent are forgotten). */
export class InfiniteLine extends TokenRoster<Shadow> {
  /** Arrivals sent here, by why, since this process started. */
  readonly totals: Record<ShadowReason, number> = { blocked: 0, rate_limited: 0, challenge_failed: 0 };

  constructor(maxHeld = defaultMaxHeld) {
    super(maxHeld);
  }

  /** Places heard from within the heartbeat timeout (as of the last prune). */
  get held(): number {
    return this.size;
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
