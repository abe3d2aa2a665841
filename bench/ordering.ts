// Order checks over the admitted visitors, O(n log n) so that they stay cheap at 50k.

/** Pairs (i < j) with values[i] > values[j], by merge sort: O(n log n). */
export function countInversions(values: Float64Array): number {
  const n = values.length;
  let source = Float64Array.from(values);
  let target = new Float64Array(n);
  let inversions = 0;
  for (let width = 1; width < n; width *= 2) {
    for (let lo = 0; lo < n; lo += 2 * width) {
      const mid = Math.min(lo + width, n);
      const hi = Math.min(lo + 2 * width, n);
      let i = lo;
      let j = mid;
      let k = lo;
      while (i < mid && j < hi) {
        if ((source[i] as number) <= (source[j] as number)) target[k++] = source[i++] as number;
        else {
          inversions += mid - i;
          target[k++] = source[j++] as number;
        }
      }
      while (i < mid) target[k++] = source[i++] as number;
      while (j < hi) target[k++] = source[j++] as number;
    }
    [source, target] = [target, source];
  }
  return inversions;
}

export function lowerBound(sorted: Float64Array, value: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((sorted[mid] as number) < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** One visitor as its client saw it: when its enter was sent and answered, and its admission number. */
export type ClientArrival = { sentAtMs: number; answeredAtMs: number; admissionNo: number };

export type ArrivalOrderVerdict = {
  /** Ordered pairs (a, b) where a's enter was answered before b's was sent: each one checked. */
  pairsChecked: number;
  /** Visitors admitted ahead of someone whose enter was answered before theirs was sent. */
  violations: number;
  /** The first violation found: `earlier` arrived first by the clients' clocks, yet was admitted after `later`. */
  example: { earlier: ClientArrival; later: ClientArrival } | null;
};

/**
 * FIFO against the order clients really arrived, not the places the server assigned: a visitor
 * whose enter was answered before another's was sent must be admitted first (a smaller
 * admission number). Arrivals whose requests overlapped have no order to keep and are not
 * compared. O(n log n): the arrivals sorted by answer time with a running maximum of their
 * admission numbers; for each visitor, those answered before it was sent are a prefix of that
 * order, and the prefix's maximum must be below its own number.
 */
export function checkArrivalOrder(arrivals: readonly ClientArrival[]): ArrivalOrderVerdict {
  const byAnswer = [...arrivals].sort((a, b) => a.answeredAtMs - b.answeredAtMs);
  const answeredAt = Float64Array.from(byAnswer, (a) => a.answeredAtMs);
  // prefixMax[i]: the arrival with the largest admission number among byAnswer[0..i].
  const prefixMax: ClientArrival[] = [];
  for (const arrival of byAnswer) {
    const best = prefixMax[prefixMax.length - 1];
    prefixMax.push(best && best.admissionNo > arrival.admissionNo ? best : arrival);
  }
  let pairsChecked = 0;
  let violations = 0;
  let example: ArrivalOrderVerdict["example"] = null;
  for (const later of arrivals) {
    // Answered strictly before `later` was sent: same-millisecond times have no known order.
    const before = lowerBound(answeredAt, later.sentAtMs);
    pairsChecked += before;
    const earlier = before > 0 ? prefixMax[before - 1] : undefined;
    if (earlier && earlier.admissionNo > later.admissionNo) {
      violations++;
      example ??= { earlier, later };
    }
  }
  return { pairsChecked, violations, example };
}
