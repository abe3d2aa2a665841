import "server-only";
import type { GoneReason } from "@/server/queue/types";

// Why a place is gone, for the page that asks about it afterwards. The engine forgets a visitor
// the moment it drops them; their page learns it at its next heartbeat, and deserves to be told
// why: the site removed them, not "your page was closed". Only the reasons a page cannot work
// out for itself are noted here (an operator's eviction, the protected site ending the
// session); the time limit has its own record (session-limits.ts), and silence is what is left.

/**
 * How long a reason is kept: longer than any page goes between heartbeats, including a
 * background tab the browser throttles to one timer a minute, and a reload some minutes later
 * still reads "removed by the site" rather than quietly getting a new place.
 */
export const goneReasonRetentionMs = 15 * 60_000;
/** Most reasons kept per room (a drain of a huge line): beyond it the oldest are forgotten first. */
export const maxGoneReasons = 200_000;

type Noted = { reason: Exclude<GoneReason, "session_limit" | "lost">; untilMs: number };

/** One room's noted reasons, plus when its places were last loaded from the store. */
export class GoneReasons {
  /** Insertion order is expiry order (one retention for all), so pruning stops at the first live one. */
  private readonly noted = new Map<string, Noted>();

  /**
   * When this room's places were loaded from the store (a restart, a cluster takeover), and how
   * long a restored place waits for its page; null for a room created in this process.
   */
  private restored: { atMs: number; graceMs: number } | null = null;

  note(visitorId: string, reason: Noted["reason"], nowMs: number): void {
    this.prune(nowMs);
    this.noted.delete(visitorId);
    this.noted.set(visitorId, { reason, untilMs: nowMs + goneReasonRetentionMs });
    if (this.noted.size > maxGoneReasons) {
      const oldest = this.noted.keys().next().value;
      if (oldest !== undefined) this.noted.delete(oldest);
    }
  }

  /**
   * A visitor dropped for silence (or after leaving). Only worth noting while restored places
   * still wait for their pages: otherwise "timed out" is what an unnoted token reads anyway,
   * and a restored visitor who checked in once and then went silent must not read "lost".
   */
  noteSilent(visitorId: string, nowMs: number): void {
    if (this.restored && nowMs <= this.restored.atMs + this.restored.graceMs) this.note(visitorId, "timed_out", nowMs);
  }

  noteRestored(nowMs: number, graceMs: number): void {
    this.restored = { atMs: nowMs, graceMs };
  }

  /**
   * Why a genuine token issued at `issuedAtMs` holds no place. A token from before the room was
   * loaded, asked about while restored places still wait for their pages, held a place the store
   * did not give back: every place it had is restored, so a live page whose place is missing
   * lost it on our side (a store that lost data, or writes that never landed before a crash).
   * Later, a page that never came back within the grace was silent, like any other.
   */
  reasonFor(visitorId: string, issuedAtMs: number, nowMs: number): Exclude<GoneReason, "session_limit"> {
    const noted = this.noted.get(visitorId);
    if (noted && noted.untilMs > nowMs) return noted.reason;
    const restored = this.restored;
    // iat has whole seconds: a token from the second of loading is not counted as older.
    if (restored && issuedAtMs + 1_000 <= restored.atMs && nowMs <= restored.atMs + restored.graceMs) return "lost";
    return "timed_out";
  }

  get size(): number {
    return this.noted.size;
  }

  private prune(nowMs: number): void {
    for (const [id, { untilMs }] of this.noted) {
      if (untilMs > nowMs) return;
      this.noted.delete(id);
    }
  }
}
