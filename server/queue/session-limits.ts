import type { Visitor } from "@/server/queue/visitor";

// A room's time limit on admissions (RoomConfig.sessionDurationSeconds). Every session in a
// room has the same length, so sessions end in the order they began: a queue in start order is
// enough, and each tick looks only at its head (no scan of everyone inside). A renewed session
// goes to the back with its new start; its old entry is skipped when it comes up.

type Started = { visitor: Visitor; startMs: number };

/** How long the reason a session ended is kept, for the visitor's next requests to be told. */
export const endedSessionMemoryMs = 30 * 60_000;

export class SessionLimits {
  private order: Started[] = [];
  private head = 0;
  /** Visitor id -> until when their "your time is up" is remembered, and when it ran out. */
  private readonly ended = new Map<string, { untilMs: number; endedAtMs: number }>();

  /** The visitor's session starts (or starts again) at `startMs`. */
  start(visitor: Visitor, startMs: number): void {
    visitor.sessionStartMs = startMs;
    this.order.push({ visitor, startMs });
  }

  /** Tracks those already inside (a limit was just set): their sessions count from `startOf`. */
  startAll(visitors: Iterable<Visitor>, startOf: (visitor: Visitor) => number): void {
    const started = [...visitors].map((visitor) => ({ visitor, startMs: startOf(visitor) }));
    started.sort((a, b) => a.startMs - b.startMs);
    this.clear();
    for (const { visitor, startMs } of started) this.start(visitor, startMs);
  }

  /** No limit any more: nothing to track. */
  clear(): void {
    this.order = [];
    this.head = 0;
  }

  /** Admitted visitors whose session of `durationMs` has run out at `nowMs`, oldest first. */
  takeDue(nowMs: number, durationMs: number): Visitor[] {
    const due: Visitor[] = [];
    while (this.head < this.order.length) {
      const { visitor, startMs } = this.order[this.head] as Started;
      if (startMs + durationMs > nowMs) break;
      this.head++;
      // Gone, or renewed since (a later entry stands for it).
      if (visitor.gone || visitor.sessionStartMs !== startMs) continue;
      due.push(visitor);
    }
    if (this.head > 1_024 && this.head * 2 > this.order.length) {
      this.order = this.order.slice(this.head);
      this.head = 0;
    }
    return due;
  }

  /** Remembers that the limit ended this visitor's session (their next request is told so). */
  noteEnded(visitorId: string, endedAtMs: number): void {
    this.ended.set(visitorId, { untilMs: endedAtMs + endedSessionMemoryMs, endedAtMs });
  }

  /** When the limit ended this visitor's session, if it did (recently); else null. */
  endedAt(visitorId: string, nowMs: number): number | null {
    const ended = this.ended.get(visitorId);
    return ended && ended.untilMs > nowMs ? ended.endedAtMs : null;
  }

  /** Forgets reasons older than endedSessionMemoryMs (inserted in time order). */
  prune(nowMs: number): void {
    for (const [id, { untilMs }] of this.ended) {
      if (untilMs > nowMs) return;
      this.ended.delete(id);
    }
  }
}
