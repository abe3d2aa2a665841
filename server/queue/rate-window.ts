import "server-only";

/**
 * Events per second over a sliding window, kept in one-second buckets: O(1) to record and
 * O(window) seconds to read, independent of how many visitors there are.
 */
export class RateWindow {
  private readonly buckets: Float64Array;
  private readonly stamps: Float64Array;

  constructor(
    readonly windowMs: number,
    private readonly startedAtMs: number,
  ) {
    const seconds = Math.max(1, Math.ceil(windowMs / 1000));
    this.buckets = new Float64Array(seconds);
    this.stamps = new Float64Array(seconds).fill(-1);
  }

  record(nowMs: number, count = 1): void {
    const second = Math.floor(nowMs / 1000);
    const i = second % this.buckets.length;
    if (this.stamps[i] !== second) {
      this.stamps[i] = second;
      this.buckets[i] = 0;
    }
    this.buckets[i] = (this.buckets[i] ?? 0) + count;
  }

  /** Events within the window ending now. */
  total(nowMs: number): number {
    const current = Math.floor(nowMs / 1000);
    const oldest = current - this.buckets.length + 1;
    let sum = 0;
    for (let i = 0; i < this.buckets.length; i++) {
      const stamp = this.stamps[i] ?? -1;
      if (stamp >= oldest && stamp <= current) sum += this.buckets[i] ?? 0;
    }
    return sum;
  }

  /** The busiest one-second bucket within the window ending now. */
  peakPerSecond(nowMs: number): number {
    const current = Math.floor(nowMs / 1000);
    const oldest = current - this.buckets.length + 1;
    let peak = 0;
    for (let i = 0; i < this.buckets.length; i++) {
      const stamp = this.stamps[i] ?? -1;
      if (stamp >= oldest && stamp <= current) peak = Math.max(peak, this.buckets[i] ?? 0);
    }
    return peak;
  }

  /** Events per second, over the window or over the time since tracking began if shorter. */
  perSecond(nowMs: number): number {
    const observedMs = Math.min(this.windowMs, Math.max(1000, nowMs - this.startedAtMs));
    return this.total(nowMs) / (observedMs / 1000);
  }
}
