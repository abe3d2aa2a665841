import "server-only";

// How long admitted visitors hold their slot (admission to the slot freeing: they ended their
// session, their page went silent and timed out, their time limit ran out, or they were
// evicted). The wait estimate rests on it: a room of capacity C whose visits last T on average
// frees C/T slots a second, whatever its capacity was a minute ago.
//
// Measured fairly to long visits: in a room's first minutes, or after a burst of admissions,
// the visits that have ended are the short ones (the long ones are still going), and their
// mean would promise waits far too short. So the lengths are those of everyone admitted within
// the window, ended or not, as a survival curve (Kaplan-Meier): a visit still going counts as
// "longer than its age so far". What the window cannot tell yet (visits longer than any age
// seen) comes from the operator's typical visit, when set.

/** Most visits remembered. Visits are sampled by admission number in big rooms (see `stride`). */
const capacityOfRing = 8_192;

/** A visit still going, `ageMs` old, standing for `weight` visits. */
export type OngoingVisit = { ageMs: number; weight: number };

export class VisitLengths {
  // Grown as visits end, up to the ring's size (a quiet room holds a few, not 8,192 of each).
  private readonly admittedAt: number[] = [];
  private readonly endedAt: number[] = [];
  private readonly weights: number[] = [];
  private next = 0;

  constructor(readonly windowMs: number) {}

  /**
   * One visit in `stride` is remembered (by admission number, which has nothing to do with how
   * long the visit lasts, so the sample stays fair): enough to cover a big room's window.
   */
  static stride(capacity: number): number {
    return Math.max(1, Math.ceil(capacity / 1_024));
  }

  /** A visit ended: admitted at `admittedAtMs`, its slot free from `endedAtMs`; stands for `weight`. */
  record(admittedAtMs: number, endedAtMs: number, weight: number): void {
    this.admittedAt[this.next] = admittedAtMs;
    this.endedAt[this.next] = endedAtMs;
    this.weights[this.next] = weight;
    this.next = (this.next + 1) % capacityOfRing;
  }

  /** Visits admitted since `sinceMs` that have ended: length (ms) and weight. */
  ended(sinceMs: number): { lengthMs: number; weight: number }[] {
    const ended: { lengthMs: number; weight: number }[] = [];
    for (let i = 0; i < this.admittedAt.length; i++) {
      const admitted = this.admittedAt[i] as number;
      if (admitted >= sinceMs) {
        ended.push({ lengthMs: (this.endedAt[i] as number) - admitted, weight: this.weights[i] as number });
      }
    }
    return ended;
  }
}

/**
 * Visit lengths as `count` equal shares (each share's middle quantile), ascending, from the
 * visits that ended and those still going (a Kaplan-Meier survival curve). Shares beyond the
 * longest age seen take `tail` (the shape of the operator's typical visit beyond that age);
 * without one, they are put at 1.25 times that age when they are few (at most half), and the
 * lengths are unknown (null) when they are more.
 */
export function visitQuantiles(
  ended: { lengthMs: number; weight: number }[],
  ongoing: OngoingVisit[],
  count: number,
  tail: ((horizonMs: number, share: number) => number) | null,
): number[] | null {
  const items: { at: number; weight: number; event: boolean }[] = [];
  let atRisk = 0;
  for (const { lengthMs, weight } of ended) {
    items.push({ at: lengthMs, weight, event: true });
    atRisk += weight;
  }
  for (const { ageMs, weight } of ongoing) {
    items.push({ at: ageMs, weight, event: false });
    atRisk += weight;
  }
  // Ties: an end at an age counts before a visit still going at that age (it was at risk).
  items.sort((a, b) => a.at - b.at || Number(b.event) - Number(a.event));
  const quantiles: number[] = [];
  let survival = 1;
  let horizon = 0;
  for (let i = 0; i < items.length && quantiles.length < count; ) {
    const at = (items[i] as { at: number }).at;
    let events = 0;
    let leaving = 0;
    for (; i < items.length && (items[i] as { at: number }).at === at; i++) {
      const item = items[i] as { weight: number; event: boolean };
      if (item.event) events += item.weight;
      leaving += item.weight;
    }
    if (events > 0 && atRisk > 0) survival *= 1 - events / atRisk;
    atRisk -= leaving;
    horizon = at;
    while (quantiles.length < count && 1 - survival >= (quantiles.length + 0.5) / count) quantiles.push(at);
  }
  const beyond = count - quantiles.length;
  if (beyond === 0) return quantiles;
  if (tail === null && beyond > count / 2) return null;
  for (let k = 0; k < beyond; k++) {
    // The share's place among those beyond the horizon, from 0 (just past it) to 1.
    const share = (k + 0.5) / beyond;
    quantiles.push(tail === null ? horizon * 1.25 : Math.max(horizon, tail(horizon, share)));
  }
  return quantiles;
}

/**
 * The shape assumed for the operator's typical visit: lengths spread evenly from half to one and
 * a half times it (most visits are neither instant nor endless). As a tail: beyond `horizonMs`,
 * the share-th quantile of that shape's part beyond it.
 */
export function typicalVisitTail(meanMs: number): (horizonMs: number, share: number) => number {
  return (horizonMs, share) => {
    const low = Math.max(horizonMs, meanMs * 0.5);
    const high = Math.max(low, meanMs * 1.5);
    // Older than the shape allows: it is nearly over, somewhere within a tenth of a visit.
    if (high === low) return low + share * meanMs * 0.1;
    return low + share * (high - low);
  };
}
