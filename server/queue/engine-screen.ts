import "server-only";
import { AppError } from "@/server/api/errors";
import { ephemeralBotDefence } from "@/server/queue/bot-defence";
import { type ChallengeVerdict, SpentChallenges } from "@/server/queue/challenge";
import type { EnterResult, JoinVia } from "@/server/queue/engine";
import { OperatorEngine } from "@/server/queue/engine-operator";
import { type Pass, passStatus } from "@/server/queue/extra-pass";
import { type Shadow, type ShadowReason, shadowStatus } from "@/server/queue/infinite-line";
import type { RoomState } from "@/server/queue/room-state";
import { estimateSeconds, paceOf } from "@/server/queue/room-status";
import type { QueueStatus } from "@/server/queue/types";
import { newVisitorId } from "@/server/queue/visitor-id";

// Screening a new arrival before it gets a place (and the holders it keeps out of the room's
// books: the infinite line, passes beyond capacity): blocked address ranges, the gate's
// suspicion (over the per-address limit), and a `pow` room's challenge. What fails goes to the
// infinite line when the room has one, else gets an error that says why. Places in the infinite
// line are answered here too, by their token, with no store call. Bypass arrivals (trusted
// addresses, API keys) are not screened. See server/queue/README.md, "Bot defence".

/** What a token holds outside the room's books: a place in the infinite line, or a pass beyond capacity. */
export type Unbooked = { kind: "shadow"; shadow: Shadow } | { kind: "pass"; pass: Pass };

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
    return {
      token,
      status: this.unbookedStatus(room, { kind: "shadow", shadow }),
      resumed: false,
      admissionToken: null,
    };
  }

  /**
   * Bypass beyond capacity (extra-pass.ts): admitted at once, whatever the room's slots, and
   * kept out of its books: no place written, not counted in `active`.
   */
  protected joinWithPass(room: RoomState): EnterResult {
    const { id: roomId, heartbeatTimeoutMs } = room.config;
    const id = newVisitorId();
    const nowMs = this.now();
    const token = this.bot.passTokens.issue({ jti: id, room: roomId, seq: room.totals.arrived + 1 });
    const pass: Pass = { id, reference: room.shadowReference(id), admittedAtMs: nowMs, lastSeenMs: nowMs };
    room.passes.add(token, pass);
    room.passes.issuedTotal++;
    room.bypassedTotal++;
    const unbooked: Unbooked = { kind: "pass", pass };
    return {
      token,
      status: this.unbookedStatus(room, unbooked),
      resumed: false,
      admissionToken: this.passAdmission(room, pass, heartbeatTimeoutMs),
    };
  }

  /**
   * What this token holds outside the room's books (a place in the infinite line, or a pass
   * beyond capacity), or null. A token not in memory (forgotten to bound memory, silent, or
   * before a restart) is recognised by its signature: an infinite-line place is put back at the
   * back of the line as it is now; a pass only while the room still grants passes.
   */
  protected async unbookedOf(room: RoomState, token: string): Promise<Unbooked | null> {
    const nowMs = this.now();
    const shadow = room.infinite.touch(token, nowMs);
    if (shadow) return { kind: "shadow", shadow };
    const pass = room.passes.touch(token, nowMs);
    if (pass) return { kind: "pass", pass };
    const { id: roomId } = room.config;
    const copy = () => Buffer.from(token, "latin1").toString("latin1");
    const shadowClaims = await this.bot.shadowTokens.verify(token);
    if (shadowClaims && shadowClaims.room === roomId) {
      const recalled: Shadow = {
        id: shadowClaims.jti,
        position: room.waiting + 1,
        reference: room.shadowReference(shadowClaims.jti),
        lastSeenMs: nowMs,
      };
      room.infinite.add(copy(), recalled);
      return { kind: "shadow", shadow: recalled };
    }
    if (!room.grantsPasses) return null;
    const passClaims = await this.bot.passTokens.verify(token);
    if (!passClaims || passClaims.room !== roomId) return null;
    const recalled: Pass = {
      id: passClaims.jti,
      reference: room.shadowReference(passClaims.jti),
      admittedAtMs: nowMs,
      lastSeenMs: nowMs,
    };
    room.passes.add(copy(), recalled);
    return { kind: "pass", pass: recalled };
  }

  /** Forgets what the token holds outside the books (it said goodbye). */
  protected forgetUnbooked(room: RoomState, token: string): void {
    room.infinite.remove(token);
    room.passes.remove(token);
  }

  protected unbookedStatus(room: RoomState, unbooked: Unbooked): QueueStatus {
    const nowMs = this.now();
    const { id, heartbeatIntervalMs, heartbeatTimeoutMs } = room.config;
    const figures = {
      id,
      waiting: room.waiting,
      admissionsPerMinute: paceOf(room, nowMs),
      heartbeatIntervalMs,
      heartbeatTimeoutMs,
    };
    if (unbooked.kind === "pass") return passStatus(figures, unbooked.pass);
    const { shadow } = unbooked;
    return shadowStatus(
      { position: shadow.position, estimateSeconds: estimateSeconds(room, shadow.position, nowMs) },
      figures,
      shadow,
    );
  }

  /** A pass holder's fresh admission token (number 0: no slot of the room's); null for the infinite line. */
  protected unbookedAdmission(room: RoomState, unbooked: Unbooked): string | null {
    if (unbooked.kind !== "pass") return null;
    return this.passAdmission(room, unbooked.pass, room.config.heartbeatTimeoutMs);
  }

  private passAdmission(room: RoomState, pass: Pass, lifetimeMs: number): string {
    return this.options.admissionTokens.issue({ room: room.config.id, visitorId: pass.id, admissionNo: 0, lifetimeMs });
  }

  private issueChallenge(room: RoomState) {
    room.challenges.issued++;
    return this.bot.challenges.issue(room.config.id, room.config.challengeDifficulty, this.now());
  }

  private challengeRequired(room: RoomState, message: string): AppError {
    return new AppError("challenge_required", message, undefined, { challenge: this.issueChallenge(room) });
  }
}
