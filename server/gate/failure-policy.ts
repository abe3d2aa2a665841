import "server-only";
import { isAppError } from "@/server/api/errors";
import type { Logger } from "@/server/log";
import type { EnterResult, HeartbeatResult, VisitorEngine } from "@/server/queue/engine";
import type { QueueStatus } from "@/server/queue/types";
import { newVisitorId } from "@/server/queue/visitor-id";
import type { StoreFailureMode } from "@/server/store/system-status";
import type { AdmissionTokens } from "@/server/tokens/admission-token";
import type { QueueTokens } from "@/server/tokens/queue-token";

// Fail-open (FLOODGATE_STORE_FAILURE_MODE=open): while the queue store cannot be reached, the
// gate lets visitors through instead of holding them, each one counted. Decided here, on the
// engine's answer ("unavailable"), not on the store: on a cluster follower the engine is a
// client of the leader, and "unavailable" may mean no leader is reachable at all.
//
// A visitor let through gets a signed admission for the room and nothing is written. Arrivals
// get a queue token of their own (a fresh id, no place); those waiting keep theirs (and their
// place, which the engine still holds). The admission token carries `adm: 0`. Once the store is
// back, nobody new is let through and the passes are not renewed: a heartbeat then answers as
// usual (those with a place are back at it, a pass holder is told the place expired and joins
// the line). Fail-closed: nothing here changes anything, the engine's 503 goes out as it is.

export type FailurePolicyOptions = {
  mode: StoreFailureMode;
  admissionTokens: AdmissionTokens;
  queueTokens: QueueTokens;
  logger: Logger;
  /** True while this node's own queue store is known to be down (its breaker is not closed). */
  storeDegraded: () => boolean;
  clock?: () => number;
  /** How long one "unavailable" from the engine keeps the gate failing open. */
  holdMs?: number;
};

/** Pass holders have no place; their queue token carries this seq (real places start at 1 and never reach it). */
const passSeq = Number.MAX_SAFE_INTEGER;

export class FailurePolicy {
  readonly mode: StoreFailureMode;
  private readonly now: () => number;
  private readonly holdMs: number;
  private readonly perRoom = new Map<string, number>();
  private total = 0;
  private lastUnavailableMs = Number.NEGATIVE_INFINITY;
  /** The fail-open period under way: who was let through (counted once each) and since when. */
  private episode: { startedMs: number; ids: Set<string> } | null = null;

  constructor(private readonly options: FailurePolicyOptions) {
    this.mode = options.mode;
    this.now = options.clock ?? Date.now;
    this.holdMs = options.holdMs ?? 10_000;
  }

  /** True while visitors are being let through. Always false when failing closed (costs one comparison). */
  failingOpen(): boolean {
    if (this.mode !== "open") return false;
    const failing = this.options.storeDegraded() || this.now() - this.lastUnavailableMs < this.holdMs;
    if (!failing && this.episode) this.endEpisode();
    return failing;
  }

  /** Visitors let through since start, per room (the Prometheus counter reads this). */
  admissionCounts(): ReadonlyMap<string, number> {
    return this.perRoom;
  }

  failOpenAdmissions(): number {
    return this.total;
  }

  /** The engine answered "unavailable": fail open now (mode open) and for `holdMs`. */
  noteUnavailable(error: unknown): boolean {
    if (this.mode !== "open" || !isAppError(error) || error.code !== "unavailable") return false;
    this.lastUnavailableMs = this.now();
    return true;
  }

  /** An admission with no store write, counted once per visitor and fail-open period. */
  async letThrough(roomId: string, visitorId: string, known: Partial<QueueStatus>): Promise<HeartbeatResult> {
    const heartbeatIntervalMs = known.heartbeatIntervalMs ?? 5_000;
    const heartbeatTimeoutMs = known.heartbeatTimeoutMs ?? Math.max(4 * heartbeatIntervalMs, 20_000);
    const admissionToken = await this.options.admissionTokens.issue({
      room: roomId,
      visitorId,
      admissionNo: 0,
      lifetimeMs: heartbeatTimeoutMs,
    });
    this.count(roomId, visitorId);
    const status: QueueStatus = {
      room: roomId,
      reference: null,
      state: "admitted",
      position: null,
      ahead: null,
      waiting: known.waiting ?? 0,
      progress: 1,
      etaSeconds: null,
      admissionsPerMinute: known.admissionsPerMinute ?? 0,
      heartbeatIntervalMs,
      heartbeatTimeoutMs,
      admittedAt: this.now(),
      sessionEndsAt: null,
      startsAt: null,
      hold: false,
    };
    return { status, admissionToken };
  }

  /** A new arrival let through: a queue token of its own, holding no place. */
  async letArrivalThrough(roomId: string, known: Partial<QueueStatus>): Promise<EnterResult> {
    const id = newVisitorId();
    const token = this.options.queueTokens.issue({ jti: id, room: roomId, seq: passSeq });
    const { status, admissionToken } = await this.letThrough(roomId, id, known);
    return { token, status, resumed: false, admissionToken };
  }

  /** The visitor id inside a genuine queue token for this room; null otherwise. */
  async visitorOf(roomId: string, token: string): Promise<string | null> {
    const claims = await this.options.queueTokens.verify(token);
    return claims && claims.room === roomId ? claims.jti : null;
  }

  private count(roomId: string, visitorId: string): void {
    if (!this.episode) {
      this.episode = { startedMs: this.now(), ids: new Set() };
      this.options.logger.warn(
        { room: roomId },
        "failing open: letting visitors in without a place in line (counted in floodgate_fail_open_admissions_total)",
      );
    }
    if (this.episode.ids.has(visitorId)) return;
    this.episode.ids.add(visitorId);
    this.perRoom.set(roomId, (this.perRoom.get(roomId) ?? 0) + 1);
    this.total++;
  }

  private endEpisode(): void {
    const episode = this.episode;
    if (!episode) return;
    this.episode = null;
    const durationMs = this.now() - episode.startedMs;
    this.options.logger.info(
      { letThrough: episode.ids.size, durationMs },
      `fail-open over: ${episode.ids.size} let through without a place in ${(durationMs / 1000).toFixed(1)} s`,
    );
  }
}

/**
 * The engine as the gate sees it under a failure policy: the same calls and answers, except
 * that while failing open a visitor who would wait (or get "unavailable") is let through.
 */
export function withFailurePolicy(engine: VisitorEngine, policy: FailurePolicy): VisitorEngine {
  if (policy.mode !== "open") return engine;

  const summaryOf = (roomId: string): Partial<QueueStatus> => {
    const summary = engine.roomSummary(roomId);
    return summary ? { heartbeatIntervalMs: summary.heartbeatIntervalMs, waiting: summary.waiting } : {};
  };

  /** Lets the holder of this token through, when it is genuine; else null. */
  const letTokenThrough = async (roomId: string, token: string, known: Partial<QueueStatus>) => {
    const id = await policy.visitorOf(roomId, token);
    return id ? policy.letThrough(roomId, id, known) : null;
  };

  return {
    roomSummary: (roomId) => engine.roomSummary(roomId),
    requireStatus: (roomId, token) => engine.requireStatus(roomId, token),
    leave: (roomId, token, pageId) => engine.leave(roomId, token, pageId),
    endSessionByToken: (roomId, token) => engine.endSessionByToken(roomId, token),
    // The fast path answers "waiting" from memory: not while those waiting are let through.
    heartbeatInLine: (roomId, token, pageId) =>
      policy.failingOpen() ? null : engine.heartbeatInLine(roomId, token, pageId),

    async join(roomId, via) {
      try {
        return await engine.join(roomId, via);
      } catch (error) {
        if (!policy.noteUnavailable(error)) throw error;
        return policy.letArrivalThrough(roomId, summaryOf(roomId));
      }
    },

    async resume(roomId, token, pageId) {
      let result: EnterResult | null;
      try {
        result = await engine.resume(roomId, token, pageId);
      } catch (error) {
        if (!policy.noteUnavailable(error)) throw error;
        result = null;
      }
      if (!token || !policy.failingOpen()) return result;
      // Waiting (place kept), or a token whose place the engine does not know (a pass): through.
      if (result && result.status.state !== "waiting") return result;
      const passed = await letTokenThrough(roomId, token, result?.status ?? summaryOf(roomId));
      return passed ? { token, resumed: true, ...passed } : result;
    },

    async heartbeat(roomId, token, pageId, hold) {
      let result: HeartbeatResult;
      try {
        result = await engine.heartbeat(roomId, token, pageId, hold);
      } catch (error) {
        const passable =
          policy.noteUnavailable(error) ||
          (isAppError(error) && error.code === "token_expired" && policy.failingOpen());
        if (!passable) throw error;
        const passed = await letTokenThrough(roomId, token, summaryOf(roomId));
        if (!passed) throw error;
        return passed;
      }
      if (result.status.state !== "waiting" || !policy.failingOpen()) return result;
      return (await letTokenThrough(roomId, token, result.status)) ?? result;
    },
  };
}
