import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { bearerSchema, fastChecks, pageQuerySchema, queueTokenSchema, roomIdSchema } from "@/server/gate/schemas";

// The hot path's plain checks may only accept what the zod schemas accept, with the same
// value: anything they let through skips the full path's parse. (A Bearer lookup key is not a
// check: the engine answers only for a string in its token index; engine-token-spelling.test.ts.)

const tokenPart = (min: number, max: number) => fc.stringMatching(new RegExp(`^[A-Za-z0-9_-]{${min},${max}}$`));
const wellFormedToken = fc
  .tuple(tokenPart(10, 200), tokenPart(10, 400), tokenPart(43, 43))
  .map(([a, b, c]) => `${a}.${b}.${c}`);
// Near misses: well-formed values with a character changed, cut or added, and arbitrary text.
const mangled = (base: fc.Arbitrary<string>) =>
  fc.oneof(
    base,
    fc.tuple(base, fc.nat(), fc.string({ minLength: 1, maxLength: 1 })).map(([s, i, c]) => {
      const at = i % (s.length + 1);
      return s.slice(0, at) + c + s.slice(at + 1);
    }),
    fc.tuple(base, fc.nat()).map(([s, i]) => s.slice(0, i % (s.length + 1))),
    fc.string({ maxLength: 80 }),
    fc.string({ unit: "grapheme", maxLength: 40 }),
  );

describe("fastChecks agree with the schemas", () => {
  it("room ids", () => {
    fc.assert(
      fc.property(mangled(fc.stringMatching(/^[a-z0-9][a-z0-9-]{0,39}$/)), (value) => {
        if (fastChecks.roomId(value)) expect(roomIdSchema.safeParse(value).success).toBe(true);
        else expect(roomIdSchema.safeParse(value).success).toBe(false);
      }),
    );
  });

  it("Bearer lookup keys: exactly what bearerSchema reads from a header it accepts", () => {
    fc.assert(
      fc.property(mangled(wellFormedToken), (token) => {
        const header = `Bearer ${token}`;
        const parsed = bearerSchema.safeParse(header);
        if (parsed.success) expect(fastChecks.bearerLookupKey(header)).toBe(parsed.data);
      }),
      { numRuns: 500 },
    );
    expect(fastChecks.bearerLookupKey("bearer abc")).toBeUndefined();
    expect(fastChecks.bearerLookupKey("Basic abc")).toBeUndefined();
  });

  it("queue tokens, bare and behind `Bearer `: accepted only when the schemas accept them, as the same value", () => {
    fc.assert(
      fc.property(mangled(wellFormedToken), (token) => {
        if (!fastChecks.queueToken(token)) return;
        expect(queueTokenSchema.safeParse(token).success).toBe(true);
        const header = `Bearer ${token}`;
        expect(fastChecks.bearerLookupKey(header)).toBe(token);
        expect(queueTokenSchema.safeParse(bearerSchema.parse(header)).data).toBe(token);
      }),
      { numRuns: 1_000 },
    );
  });

  it("page queries: only `page=<id>` or nothing, read as URLSearchParams would", () => {
    const query = mangled(fc.stringMatching(/^page=[A-Za-z0-9_-]{4,40}$/));
    fc.assert(
      fc.property(query, (value) => {
        const fast = fastChecks.pageQuery(value);
        if (fast === undefined) return;
        const parsed = pageQuerySchema.safeParse(Object.fromEntries(new URLSearchParams(value)));
        expect(parsed.success).toBe(true);
        expect(parsed.data?.page).toBe(fast ?? undefined);
      }),
    );
    expect(fastChecks.pageQuery("")).toBeNull();
    expect(fastChecks.pageQuery("page=abcd&x=1")).toBeUndefined();
    expect(fastChecks.pageQuery("page=ab%20cd")).toBeUndefined();
  });
});
