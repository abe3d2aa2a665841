import "server-only";

/** Most waits kept between two takes: a uniform sample beyond that. */
const maxWaitSamples = 10_000;

/**
 * The waits (ms) of visitors admitted since the metrics sampler last took them (the median
 * and p95 wait in the console and /metrics). Reservoir sampling keeps memory bounded however
 * many are admitted between two takes, and the sample uniform over all of them.
 */
export class WaitSamples {
  private samples: number[] = [];
  private seen = 0;

  /** Notes one admission's wait. */
  record(waitMs: number, random: () => number): void {
    this.seen++;
    if (this.samples.length < maxWaitSamples) {
      this.samples.push(waitMs);
      return;
    }
    const slot = Math.floor(random() * this.seen);
    if (slot < maxWaitSamples) this.samples[slot] = waitMs;
  }

  /** The waits noted since the last take; starts afresh. */
  take(): number[] {
    const samples = this.samples;
    this.samples = [];
    this.seen = 0;
    return samples;
  }
}
