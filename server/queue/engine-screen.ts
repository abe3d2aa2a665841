import "server-only";
import { AppError } from "@/server/api/errors";
import { ephemeralBotDefence } from "@/server/queue/bot-defence";
import { type ChallengeVerdict, SpentChallenges } from "@/server/queue/challenge";
import type { EnterResult, JoinVia } from "@/server/queue/engine";
import { OperatorEngine } from "@/server/queue/engine-operator";
import { type Shadow, type ShadowReason, shadowStatus } from "@/server/queue/infinite-line";
import type { RoomState } from "@/server/queue/room-state";
import { estimateSeconds } from "@/server/queue/room-status";
import type { QueueStatus } from "@/server/queue/types";
import { newVisitorId } from "@/server/queue/visitor-id";

// Screening a new arrival before it gets a place: blocked address ranges, the gate's
// suspicion (over the per-address limit), and a `pow` room's challenge. What fails goes to the
// infinite line when the room has one, else gets an error that says why. Places in the infinite
// line are answered here too, by their token, with no store call. Bypass arrivals (trusted
// addresses, API keys) are not screened. See server/queue/README.md, "Bot defence".

export abstract class ScreeningEngine extends OperatorEngine {
  protected readonly bot = this.options.botDefence ?? ephemeralBotDefence();
  /** Challenge solutions already used for a place (one solution buys one place). */
  protected readonly spent = new SpentChallenges(this.now());

  /**
   * Lets an arrival through to a real place (null), or says it goes to the infinite line (the
   * reason); otherwise throws what it is told: rate_limited, blocked, challenge_required (with a
   * challenge to solve), challenge_failed (with a new one).
   */
  protected screen(room: RoomState, via: JoinVia | undefined): ShadowReason | null {
    const { config } = room;
    if (via?.suspect) {
      if (config.infiniteLine) return via.suspect.reason;
      throw new AppError(
        "rate_limited",
        "Too many new places from this address. Try again shortly.",
        via.suspect.retryAfterSeconds,
      );
    }
    if (room.isBlocked(via?.address ?? null)) {
      if (config.infiniteLine) return "blocked";
      throw new AppError("blocked", "This waiting room does not accept visitors from your network.");
    }
    if (config.challenge !== "pow") return null;
    if (!via?.pow) throw this.challengeRequired(room, "Solve the challenge to take a place in line.");
    const nowMs = this.now();
    const verdict: ChallengeVerdict = this.bot.challenges.check(config.id, via.pow, nowMs);
    if (verdict.kind === "forged") {
      room.challenges.forged++;
      if (config.infiniteLine) return "challenge_failed";
      throw new AppError(
        "challenge_failed",
        "The challenge answer is not valid. Solve this new challenge.",
        undefined,
        {
          challenge: this.issueChallenge(room),
        },
      );
    }
    // Expired, or spent already (an honest client retrying after a lost reply, or a replay):
    // no place for it, but a new challenge; nobody is punished for a slow phone.
    if (verdict.kind === "stale" || !this.spent.spend(verdict.id, nowMs)) {
      room.challenges.stale++;
      throw this.challengeRequired(room, "That challenge has expired or was already used. Solve this one.");
    }
    room.challenges.solved++;
    return null;
  }

  /**
   * A place in the infinite line: the token, reference, position and estimate of an ordinary
   * newcomer, at the back of the line as it is now, and no write anywhere.
   */
  protected joinInfiniteLine(room: RoomState, reason: ShadowReason): EnterResult {
    const { id: roomId } = room.config;
    const id = newVisitorId();
    const position = room.waiting + room.pendingArrivals + 1;
    const token = this.bot.shadowTokens.issue({ jti: id, room: roomId, seq: room.totals.arrived + position });
    const shadow: Shadow = { id, position, reference: room.shadowReference(id), lastSeenMs: this.now() };
    room.infinite.add(token, shadow);
    room.infinite.totals[reason]++;
    return { token, status: this.shadowStatusOf(room, shadow), resumed: false, admissionToken: null };
  }

  /**
   * The infinite-line place this token holds, or null. A token not in memory (forgotten to
   * bound memory, or before a restart) is recognised by its signature and put back at the back
   * of the line as it is now.
   */
  protected async shadowOf(room: RoomState, token: string): Promise<Shadow | null> {
    const nowMs = this.now();
    const known = room.infinite.touch(token, nowMs);
    if (known) return known;
    const claims = await this.bot.shadowTokens.verify(token);
    if (!claims || claims.room !== room.config.id) return null;
    const shadow: Shadow = {
      id: claims.jti,
      position: room.waiting + 1,
      reference: room.shadowReference(claims.jti),
      lastSeenMs: nowMs,
    };
    room.infinite.add(Buffer.from(token, "latin1").toString("latin1"), shadow);
    return shadow;
  }

  /** The infinite-line place of a token that holds no real place (checked first: it is one lookup). */
  protected async shadowIfUnknown(room: RoomState, token: string): Promise<Shadow | null> {
    if (room.visitorByToken(token)) return null;
    const known = room.infinite.touch(token, this.now());
    if (known) return known;
    // Not ours to judge until the real place is ruled out: its verification is the same cost.
    if (await this.authenticate(room, token)) return null;
    return this.shadowOf(room, token);
  }

  protected shadowStatusOf(room: RoomState, shadow: Shadow): QueueStatus {
    const nowMs = this.now();
    const { id, heartbeatIntervalMs, heartbeatTimeoutMs } = room.config;
    return shadowStatus(
      { position: shadow.position, estimateSeconds: estimateSeconds(room, shadow.position, nowMs) },
      {
        id,
        waiting: room.waiting,
        admissionsPerMinute: room.admissions.total(nowMs),
        heartbeatIntervalMs,
        heartbeatTimeoutMs,
      },
      shadow,
    );
  }

  private issueChallenge(room: RoomState) {
    room.challenges.issued++;
    return this.bot.challenges.issue(room.config.id, room.config.challengeDifficulty, this.now());
  }

  private challengeRequired(room: RoomState, message: string): AppError {
    return new AppError("challenge_required", message, undefined, { challenge: this.issueChallenge(room) });
  }
}
