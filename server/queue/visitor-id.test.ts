import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { newRandomVisitorId, newVisitorId } from "@/server/queue/visitor-id";

describe("newVisitorId", () => {
  it("hands out 22-character base64url ids, none repeated across many pool refills", () => {
    const ids = Array.from({ length: 10_000 }, () => newVisitorId());
    for (const id of ids.slice(0, 300)) expect(id).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it("ids of a later millisecond sort after earlier ones, as text (SQLite's byte order)", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 48 - 2 }), fc.integer({ min: 1, max: 2 ** 40 }), (earlier, gap) => {
        const later = Math.min(2 ** 48 - 1, earlier + gap);
        const a = newVisitorId(earlier);
        const b = newVisitorId(later);
        expect(a < b).toBe(true);
        expect(Buffer.compare(Buffer.from(a), Buffer.from(b))).toBe(-1);
      }),
      { numRuns: 2_000 },
    );
  });

  it("keeps 84 random bits after the time: every one of the 14 characters varies within one millisecond", () => {
    const seen = Array.from({ length: 14 }, () => new Set<string>());
    for (let i = 0; i < 2_000; i++) {
      const id = newVisitorId(1_700_000_000_000);
      expect(id.slice(0, 8)).toBe(newVisitorId(1_700_000_000_000).slice(0, 8));
      for (const [index, char] of [...id.slice(8)].entries()) seen[index]?.add(char);
    }
    for (const chars of seen) expect(chars.size).toBeGreaterThan(60);
  });

  it("random ids (DynamoDB's keys): 22 characters, every one of the 16 bytes varies, none repeated", () => {
    const ids = Array.from({ length: 10_000 }, () => newRandomVisitorId());
    expect(new Set(ids).size).toBe(ids.length);
    const seen = Array.from({ length: 16 }, () => new Set<number>());
    for (const id of ids.slice(0, 600)) {
      expect(id).toMatch(/^[A-Za-z0-9_-]{22}$/);
      for (const [index, byte] of Buffer.from(id, "base64url").entries()) seen[index]?.add(byte);
    }
    for (const values of seen) expect(values.size).toBeGreaterThan(100);
    // Not in arrival order: about half of consecutive pairs descend.
    let descending = 0;
    for (let i = 1; i < ids.length; i++) if ((ids[i] as string) < (ids[i - 1] as string)) descending++;
    expect(descending).toBeGreaterThan(4_000);
  });
});
