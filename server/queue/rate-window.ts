import "server-only";

/**
 * Events per second over a sliding window, kept in one-second buckets: O(1) to record, and
 * reads walk the window's buckets once per second of clock and per change (every heartbeat
 * reads the total and the rate; walking 60 buckets twice each time cost 2% of a heartbeat).
 */
export class RateWindow {
  private readonly buckets: Float64Array;
  private readonly stamps: Float64Array;
  /** What the last walk found, valid while no event was recorded and the second is the same. */
  private walkedSecond = Number.NaN;
  private walkedTotal = 0;
  private walkedPeak = 0;

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
    this.walkedSecond = Number.NaN;
  }

  /** Events within the window ending now. */
  total(nowMs: number): number {
    this.walk(nowMs);
    return this.walkedTotal;
  }

  /** The busiest one-second bucket within the window ending now. */
  peakPerSecond(nowMs: number): number {
    this.walk(nowMs);
    return this.walkedPeak;
  }

  /** Events per second, over the window or over the time since tracking began if shorter. */
  perSecond(nowMs: number): number {
    const observedMs = Math.min(this.windowMs, Math.max(1000, nowMs - this.startedAtMs));
    return this.total(nowMs) / (observedMs / 1000);
  }

  /** Sums the live buckets and finds the busiest, once per second and per change. */
  private walk(nowMs: number): void {
    const current = Math.floor(nowMs / 1000);
    if (current === this.walkedSecond) return;
    const oldest = current - this.buckets.length + 1;
    let total = 0;
    let peak = 0;
    for (let i = 0; i < this.buckets.length; i++) {
      const stamp = this.stamps[i] ?? -1;
      if (stamp < oldest || stamp > current) continue;
      const count = this.buckets[i] ?? 0;
      total += count;
      if (count > peak) peak = count;
    }
    this.walkedSecond = current;
    this.walkedTotal = total;
    this.walkedPeak = peak;
  }
}
