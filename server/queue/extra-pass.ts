import { TokenRoster } from "@/server/queue/token-roster";
import type { QueueStatus } from "@/server/queue/types";

// Bypass beyond capacity: where a room's bypass rules say so (`bypassUncounted`), its trusted
// arrivals (bypass addresses, API-key holders) are let in at once even when the room is full,
// and do not take one of its slots. They are kept out of the capacity books altogether: no
// place is written, `active` never counts them, and no removal path can touch them, so the
// room's own admissions stay exactly within capacity whatever they do. What they hold is a
// pass: a queue token signed with a key of its own (server/tokens/secrets.ts), an admission
// token, and an entry here that the protected path asks about (`holds`). A pass lapses like any
// admission when its page goes silent; after a restart its token is recognised by signature
// while the room still grants such passes.

export type Pass = { id: string; reference: string; admittedAtMs: number; lastSeenMs: number };

/** Passes in one room, by token (token-roster.ts: silent ones end) and by visitor id (`holds`). */
export class ExtraPasses extends TokenRoster<Pass> {
  private readonly byId: Map<string, Pass>;
  /** Passes handed out since this process started. */
  issuedTotal = 0;

  constructor() {
    const byId = new Map<string, Pass>();
    super(Number.POSITIVE_INFINITY, (pass) => byId.delete(pass.id));
    this.byId = byId;
  }

  /** Pass holders heard from within the heartbeat timeout: inside, beyond capacity. */
  get inside(): number {
    return this.byId.size;
  }

  override add(token: string, pass: Pass): void {
    super.add(token, pass);
    this.byId.set(pass.id, pass);
  }

  /** Whether this visitor holds a live pass (what the protected path asks). */
  holds(id: string): boolean {
    return this.byId.has(id);
  }
}

/** A pass holder's status: admitted, outside the line's figures. */
export function passStatus(
  room: {
    id: string;
    waiting: number;
    admissionsPerMinute: number;
    heartbeatIntervalMs: number;
    heartbeatTimeoutMs: number;
  },
  pass: Pass,
): QueueStatus {
  return {
    room: room.id,
    reference: pass.reference,
    state: "admitted",
    position: null,
    ahead: null,
    waiting: room.waiting,
    progress: 1,
    etaSeconds: 0,
    admissionsPerMinute: room.admissionsPerMinute,
    heartbeatIntervalMs: room.heartbeatIntervalMs,
    heartbeatTimeoutMs: room.heartbeatTimeoutMs,
    admittedAt: pass.admittedAtMs,
    sessionEndsAt: null,
    startsAt: null,
    hold: false,
  };
}
