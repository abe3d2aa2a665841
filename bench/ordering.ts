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
