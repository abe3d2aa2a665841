import { describe, expect, it } from "vitest";
import { type ClientArrival, checkArrivalOrder, countInversions, lowerBound } from "@/bench/ordering";

// The FIFO verdict of the flash crowd rests on countInversions: check it against the
// quadratic definition, including the odd sizes the merge passes handle at their edges.

function bruteForce(values: number[]): number {
  let count = 0;
  for (let i = 0; i < values.length; i++) {
    for (let j = i + 1; j < values.length; j++) if ((values[i] as number) > (values[j] as number)) count++;
  }
  return count;
}

describe("countInversions", () => {
  it.each([
    { name: "empty", values: [] },
    { name: "one", values: [7] },
    { name: "sorted", values: [1, 2, 3, 4, 5] },
    { name: "reversed", values: [5, 4, 3, 2, 1] },
    { name: "one swap", values: [1, 3, 2, 4] },
    { name: "ties are not inversions", values: [2, 2, 1, 1] },
  ])("$name", ({ values }) => {
    expect(countInversions(Float64Array.from(values))).toBe(bruteForce(values));
  });

  it("matches the definition on random arrays of every size up to 200", () => {
    let seed = 42;
    const random = () => {
      seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
      return seed / 2_147_483_648;
    };
    for (let n = 0; n <= 200; n++) {
      const values = Array.from({ length: n }, () => Math.floor(random() * 50));
      expect(countInversions(Float64Array.from(values))).toBe(bruteForce(values));
    }
  });

  it("leaves its input untouched", () => {
    const values = Float64Array.from([3, 1, 2]);
    countInversions(values);
    expect([...values]).toEqual([3, 1, 2]);
  });
});

describe("lowerBound", () => {
  const sorted = Float64Array.from([10, 20, 20, 30]);
  it.each([
    { value: 5, index: 0 },
    { value: 10, index: 0 },
    { value: 15, index: 1 },
    { value: 20, index: 1 },
    { value: 30, index: 3 },
    { value: 31, index: 4 },
  ])("first index not below $value is $index", ({ value, index }) => {
    expect(lowerBound(sorted, value)).toBe(index);
  });
});

describe("checkArrivalOrder", () => {
  // Quadratic definition: every pair where a was answered before b was sent.
  function bruteForce(arrivals: ClientArrival[]) {
    let pairsChecked = 0;
    const late = new Set<ClientArrival>();
    for (const a of arrivals) {
      for (const b of arrivals) {
        if (a.answeredAtMs >= b.sentAtMs) continue;
        pairsChecked++;
        if (a.admissionNo > b.admissionNo) late.add(b);
      }
    }
    return { pairsChecked, violations: late.size };
  }

  it("passes visitors admitted in the order they arrived, and compares every ordered pair", () => {
    const arrivals = [0, 1, 2, 3].map((i) => ({ sentAtMs: i * 10, answeredAtMs: i * 10 + 5, admissionNo: i + 1 }));
    expect(checkArrivalOrder(arrivals)).toEqual({ pairsChecked: 6, violations: 0, example: null });
  });

  it("fails when two admissions are reversed, naming the pair", () => {
    const first = { sentAtMs: 0, answeredAtMs: 5, admissionNo: 2 };
    const second = { sentAtMs: 10, answeredAtMs: 15, admissionNo: 1 };
    const verdict = checkArrivalOrder([first, second, { sentAtMs: 20, answeredAtMs: 25, admissionNo: 3 }]);
    expect(verdict.violations).toBe(1);
    expect(verdict.example).toEqual({ earlier: first, later: second });
  });

  it("does not order arrivals whose requests overlapped (or met in the same millisecond)", () => {
    const overlapping = [
      { sentAtMs: 0, answeredAtMs: 20, admissionNo: 2 },
      { sentAtMs: 10, answeredAtMs: 15, admissionNo: 1 },
      { sentAtMs: 20, answeredAtMs: 30, admissionNo: 3 },
    ];
    expect(checkArrivalOrder(overlapping)).toEqual({ pairsChecked: 1, violations: 0, example: null });
  });

  it("is empty for no arrivals", () => {
    expect(checkArrivalOrder([])).toEqual({ pairsChecked: 0, violations: 0, example: null });
  });

  it("matches the definition on random arrivals, with one admission order reversed on purpose", () => {
    let seed = 7;
    const random = () => {
      seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
      return seed / 2_147_483_648;
    };
    for (let n = 1; n <= 120; n++) {
      const arrivals = Array.from({ length: n }, () => {
        const sentAtMs = Math.floor(random() * 1_000);
        return { sentAtMs, answeredAtMs: sentAtMs + Math.floor(random() * 40), admissionNo: 0 };
      });
      // Admitted in the order the server answered (ties by send time): a FIFO server.
      const fifo = [...arrivals].sort((a, b) => a.answeredAtMs - b.answeredAtMs || a.sentAtMs - b.sentAtMs);
      fifo.forEach((a, i) => {
        a.admissionNo = i + 1;
      });
      const honest = checkArrivalOrder(arrivals);
      expect({ pairsChecked: honest.pairsChecked, violations: honest.violations }).toEqual(bruteForce(arrivals));
      expect(honest.violations).toBe(0);
      // Swap the admissions of the first and the last to arrive: the earlier is now admitted last.
      const a = fifo[0] as ClientArrival;
      const b = fifo[n - 1] as ClientArrival;
      [a.admissionNo, b.admissionNo] = [b.admissionNo, a.admissionNo];
      const broken = checkArrivalOrder(arrivals);
      expect({ pairsChecked: broken.pairsChecked, violations: broken.violations }).toEqual(bruteForce(arrivals));
      if (a.answeredAtMs < b.sentAtMs) expect(broken.violations).toBeGreaterThan(0);
    }
  });
});
