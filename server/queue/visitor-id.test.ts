import { describe, expect, it } from "vitest";
import { newVisitorId } from "@/server/queue/visitor-id";

describe("newVisitorId", () => {
  it("hands out 22-character base64url ids, none repeated across many pool refills", () => {
    const ids = Array.from({ length: 10_000 }, () => newVisitorId());
    for (const id of ids.slice(0, 300)) expect(id).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it("uses every bit: each of the 16 bytes varies across ids (nothing is left zeroed or repeated)", () => {
    const seen = Array.from({ length: 16 }, () => new Set<number>());
    for (let i = 0; i < 600; i++) {
      const bytes = Buffer.from(newVisitorId(), "base64url");
      expect(bytes).toHaveLength(16);
      for (const [index, byte] of bytes.entries()) seen[index]?.add(byte);
    }
    for (const values of seen) expect(values.size).toBeGreaterThan(100);
  });
});
