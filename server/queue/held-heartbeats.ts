import "server-only";

// Held heartbeats (long poll): a visitor near the front of the line may ask that its heartbeat
// be answered only when something happens to it (admitted, removed) or its hold runs out, so
// it learns of its admission the moment the store committed it, not at its next heartbeat.
// This module is the bookkeeping only: who is holding, bounded per room and in total, each
// hold released exactly once (woken, timed out, client gone). The engine decides who may hold
// and what the answer is; it wakes holders when it admits, removes, deletes or unloads.

/** Why a hold ended. `hangup`: the client went away; nobody is left to answer. */
export type HoldOutcome = "woken" | "timeout" | "hangup";

export type HeldHeartbeatLimits = {
  /** Held requests per room at once; beyond it a heartbeat is answered at once. */
  maxPerRoom: number;
  /** Held requests in the whole process at once. */
  maxTotal: number;
};

type Holder = {
  roomId: string;
  key: object;
  resolve: (outcome: HoldOutcome) => void;
  timer: NodeJS.Timeout;
  signal: AbortSignal | undefined;
  onAbort: (() => void) | null;
};

export class HeldHeartbeats {
  /** Holders per key (a visitor): a visitor may hold from several pages at once. */
  private readonly byKey = new Map<object, Set<Holder>>();
  private readonly byRoom = new Map<string, Set<Holder>>();
  private held = 0;

  constructor(private readonly limits: HeldHeartbeatLimits) {}

  /** Held requests now, in total. */
  get total(): number {
    return this.held;
  }

  /** Held requests now, per room (rooms with none are left out). */
  counts(): Map<string, number> {
    const counts = new Map<string, number>();
    for (const [roomId, holders] of this.byRoom) counts.set(roomId, holders.size);
    return counts;
  }

  /** Whether a new hold in this room fits within the limits. */
  hasRoom(roomId: string): boolean {
    return this.held < this.limits.maxTotal && (this.byRoom.get(roomId)?.size ?? 0) < this.limits.maxPerRoom;
  }

  /**
   * Holds until `wake(key)`, `wakeRoom`, `wakeAll`, `ms` passing or `signal` aborting, whichever
   * comes first. Returns null (no hold) when the limits are reached: answer at once.
   */
  hold(roomId: string, key: object, ms: number, signal?: AbortSignal): Promise<HoldOutcome> | null {
    if (signal?.aborted) return Promise.resolve("hangup");
    if (!this.hasRoom(roomId)) return null;
    return new Promise<HoldOutcome>((resolve) => {
      const holder: Holder = {
        roomId,
        key,
        resolve,
        timer: setTimeout(() => this.release(holder, "timeout"), ms),
        signal,
        onAbort: null,
      };
      if (signal) {
        holder.onAbort = () => this.release(holder, "hangup");
        signal.addEventListener("abort", holder.onAbort, { once: true });
      }
      this.add(holder);
    });
  }

  /** Answers every hold of this key (a visitor was admitted or removed). */
  wake(key: object): void {
    const holders = this.byKey.get(key);
    if (!holders) return;
    for (const holder of [...holders]) this.release(holder, "woken");
  }

  /** Answers every hold in a room (deleted, or unloaded by a node that lost the lease). */
  wakeRoom(roomId: string): void {
    const holders = this.byRoom.get(roomId);
    if (!holders) return;
    for (const holder of [...holders]) this.release(holder, "woken");
  }

  /** Answers every hold at once (shutdown: nothing waits out its hold). */
  wakeAll(): void {
    for (const roomId of [...this.byRoom.keys()]) this.wakeRoom(roomId);
  }

  private add(holder: Holder): void {
    const forKey = this.byKey.get(holder.key);
    if (forKey) forKey.add(holder);
    else this.byKey.set(holder.key, new Set([holder]));
    const forRoom = this.byRoom.get(holder.roomId);
    if (forRoom) forRoom.add(holder);
    else this.byRoom.set(holder.roomId, new Set([holder]));
    this.held++;
  }

  /** Exactly once per holder: the first of wake, timeout and hang-up wins; the rest find it gone. */
  private release(holder: Holder, outcome: HoldOutcome): void {
    const forKey = this.byKey.get(holder.key);
    if (!forKey?.delete(holder)) return;
    if (forKey.size === 0) this.byKey.delete(holder.key);
    const forRoom = this.byRoom.get(holder.roomId);
    forRoom?.delete(holder);
    if (forRoom?.size === 0) this.byRoom.delete(holder.roomId);
    this.held--;
    clearTimeout(holder.timer);
    if (holder.signal && holder.onAbort) holder.signal.removeEventListener("abort", holder.onAbort);
    holder.resolve(outcome);
  }
}
