// New users per minute: a room's limit on the rate of admissions, beside its capacity. Many
// origins break on the rate of new sessions (logins, carts being created), not on how many are
// inside. With a limit of N, the admissions of any 60 seconds are at most N, of any 10 seconds
// at most ⌈N/6⌉, and of any second at most ⌈N/60⌉: spread out, never a minute's worth at once.
// All three are sliding windows over the times of the admissions themselves, so they hold for
// every window, not only for aligned ones.

const windowsMs = [60_000, 10_000, 1_000] as const;

/** The most admissions `perMinute` allows in each window of `windowsMs`. */
export function windowLimits(perMinute: number): number[] {
  return windowsMs.map((ms) => Math.ceil((perMinute * ms) / 60_000));
}

export class AdmissionRate {
  /** Admission times (ms), oldest first, kept for the longest window. */
  private times: number[] = [];
  private head = 0;

  constructor(private limit: number | null) {}

  get perMinute(): number | null {
    return this.limit;
  }

  /** A new limit applies from now, to the admissions already made too. */
  setPerMinute(perMinute: number | null): void {
    this.limit = perMinute;
  }

  /** How many may be admitted at `nowMs` (Infinity without a limit). */
  allowance(nowMs: number): number {
    if (this.limit === null) return Number.POSITIVE_INFINITY;
    this.forget(nowMs);
    const limits = windowLimits(this.limit);
    let allowed = Number.POSITIVE_INFINITY;
    for (let i = 0; i < windowsMs.length; i++) {
      const used = this.countSince(nowMs - (windowsMs[i] as number));
      allowed = Math.min(allowed, (limits[i] as number) - used);
    }
    return Math.max(0, allowed);
  }

  /** `count` admissions at `nowMs` (taken before the store write, so nothing overtakes them). */
  record(nowMs: number, count: number): void {
    if (this.limit === null || count <= 0) return;
    // Ascending even if the clock steps back.
    const at = Math.max(nowMs, this.times[this.times.length - 1] ?? nowMs);
    for (let i = 0; i < count; i++) this.times.push(at);
  }

  /** Gives back the last `count` recorded (their write failed: they were not admitted). */
  giveBack(count: number): void {
    const keep = Math.max(this.head, this.times.length - count);
    this.times.length = keep;
  }

  /** Admissions per second the limit allows on average; Infinity without one. */
  get perSecond(): number {
    return this.limit === null ? Number.POSITIVE_INFINITY : this.limit / 60;
  }

  /** Admissions counted in (sinceMs, now]: times are ascending, so a binary search. */
  private countSince(sinceMs: number): number {
    let low = this.head;
    let high = this.times.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if ((this.times[mid] as number) > sinceMs) high = mid;
      else low = mid + 1;
    }
    return this.times.length - low;
  }

  /** Drops times older than the longest window; compacts now and then. */
  private forget(nowMs: number): void {
    const oldest = nowMs - windowsMs[0];
    while (this.head < this.times.length && (this.times[this.head] as number) <= oldest) this.head++;
    if (this.head > 1_024 && this.head * 2 > this.times.length) {
      this.times = this.times.slice(this.head);
      this.head = 0;
    }
  }
}
