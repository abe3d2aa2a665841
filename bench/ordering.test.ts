import { describe, expect, it } from "vitest";
import { countInversions, lowerBound } from "@/bench/ordering";

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
