import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  createPlaceReferences,
  looksLikeReference,
  referenceAlphabet,
  referenceDomain,
} from "@/server/queue/place-reference";

const key = new Uint8Array(32).fill(7);
const references = createPlaceReferences(key);
const room = references.forRoom("default");
const seqs = fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER });
const shape = new RegExp(`^[${referenceAlphabet}]{4}-[${referenceAlphabet}]{2}(-[${referenceAlphabet}]+)?$`);

describe("place references", () => {
  it("turn back into the place they name, whatever the spelling of the reference", () => {
    fc.assert(
      fc.property(seqs, fc.boolean(), (seq, sloppy) => {
        const reference = room.of(seq);
        expect(reference).toMatch(shape);
        const typed = sloppy ? ` ${reference.toLowerCase().replaceAll("-", " ")} ` : reference;
        expect(room.seqOf(typed)).toBe(seq);
      }),
    );
  });

  it("give the first places of a lap six characters, and never the same reference twice", () => {
    const seen = new Set<string>();
    for (let seq = 1; seq <= 50_000; seq++) {
      const reference = room.of(seq);
      expect(reference).toHaveLength(7);
      seen.add(reference);
    }
    expect(seen.size).toBe(50_000);
    expect(room.of(referenceDomain)).toHaveLength(7);
    expect(room.of(referenceDomain + 1)).toMatch(/^.{4}-.{2}-3$/);
  });

  it("do not follow arrival order: neighbours' references share no obvious pattern", () => {
    const a = room.of(1000);
    const b = room.of(1001);
    expect(a).not.toBe(b);
    let samePrefix = 0;
    for (let seq = 1; seq < 1000; seq++) if (room.of(seq).slice(0, 3) === room.of(seq + 1).slice(0, 3)) samePrefix++;
    // Chance alone: 1 in 27,000 per pair.
    expect(samePrefix).toBeLessThan(3);
  });

  it("differ by room and by key", () => {
    const other = references.forRoom("launch");
    const otherKey = createPlaceReferences(new Uint8Array(32).fill(8)).forRoom("default");
    let sameRoom = 0;
    let sameKey = 0;
    for (let seq = 1; seq <= 1000; seq++) {
      if (other.of(seq) === room.of(seq)) sameRoom++;
      if (otherKey.of(seq) === room.of(seq)) sameKey++;
    }
    expect(sameRoom).toBeLessThan(2);
    expect(sameKey).toBeLessThan(2);
  });

  it.each([
    ["", "empty"],
    ["K7QF-2", "too short"],
    ["K7QF-2M-22", "a lap of zero written out"],
    ["K7QF-0M", "0 is not in the alphabet"],
    ["K7QI-2M", "I is not in the alphabet"],
    ["K7QF-2M-ZZZZZZZZZ", "too long"],
    ["kf7?-2m", "punctuation"],
  ])("refuse %j (%s)", (text) => {
    expect(room.seqOf(text)).toBeNull();
    expect(looksLikeReference(text)).toBe(false);
  });

  it("refuse places that are not positive integers", () => {
    for (const seq of [0, -1, 1.5, Number.NaN]) expect(() => room.of(seq)).toThrow(RangeError);
  });
});
