import "server-only";

/**
 * Finds visitors whose deadline has passed without scanning everyone. Each visitor sits in
 * one bucket (deadline rounded up to `resolutionMs`); a heartbeat only moves the deadline in
 * the visitor's record. When a bucket comes due, each visitor in it is either really due
 * (returned) or re-filed at its current deadline, so a visitor costs one re-filing per
 * timeout period rather than one operation per heartbeat.
 */
export type WheelItem = { deadlineMs: number; bucket: number; gone: boolean };

export class DeadlineWheel<T extends WheelItem> {
  private readonly buckets = new Map<number, T[]>();
  private lastSwept: number;

  constructor(
    private readonly resolutionMs: number,
    nowMs: number,
  ) {
    this.lastSwept = Math.floor(nowMs / resolutionMs);
  }

  /** (Re)files an item at its current deadline. Earlier filings of it become stale. */
  schedule(item: T): void {
    const bucket = Math.max(Math.ceil(item.deadlineMs / this.resolutionMs), this.lastSwept + 1);
    item.bucket = bucket;
    const list = this.buckets.get(bucket);
    if (list) list.push(item);
    else this.buckets.set(bucket, [item]);
  }

  /**
   * After a deadline moved earlier (a shorter heartbeat timeout), files the item again if its
   * bucket would come due too late. Nothing to do in the usual case of a later deadline.
   */
  refileIfEarlier(item: T): void {
    if (item.bucket > 0 && Math.ceil(item.deadlineMs / this.resolutionMs) < item.bucket) this.schedule(item);
  }

  /** Items whose deadline is at or before now; each returned once. */
  takeDue(nowMs: number): T[] {
    const due: T[] = [];
    const until = Math.floor(nowMs / this.resolutionMs);
    for (let b = this.lastSwept + 1; b <= until; b++) {
      const list = this.buckets.get(b);
      if (!list) continue;
      this.buckets.delete(b);
      this.lastSwept = b;
      for (const item of list) {
        // Filed twice in one bucket (two leaves, a leave racing expiry): the first copy wins.
        if (item.gone || item.bucket !== b) continue;
        if (item.deadlineMs <= nowMs) {
          item.bucket = -1;
          due.push(item);
        } else {
          this.schedule(item);
        }
      }
    }
    this.lastSwept = Math.max(this.lastSwept, until);
    return due;
  }
}
