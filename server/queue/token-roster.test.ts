import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { TokenRoster } from "@/server/queue/token-roster";

describe("token roster", () => {
  it("keeps the recently seen, forgets the silent and the oldest beyond its size, and says so", () => {
    const forgotten: string[] = [];
    const roster = new TokenRoster<{ id: string; lastSeenMs: number }>(2, (h) => forgotten.push(h.id));
    roster.add("a", { id: "a", lastSeenMs: 0 });
    roster.add("b", { id: "b", lastSeenMs: 0 });
    roster.touch("a", 10);
    roster.add("c", { id: "c", lastSeenMs: 10 });
    expect(forgotten).toEqual(["b"]);
    roster.prune(25, 10);
    expect(forgotten).toEqual(["b", "a", "c"]);
    expect(roster.size).toBe(0);
  });

  it("never keeps one silent past the timeout, nor drops one heard from within it (property)", () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.constantFrom("add", "touch", "prune"), fc.integer({ min: 0, max: 9 }), fc.nat(30))),
        (steps) => {
          const roster = new TokenRoster<{ lastSeenMs: number }>();
          const seen = new Map<string, number>();
          let now = 0;
          for (const [op, n, gap] of steps) {
            now += gap;
            const token = `t${n}`;
            if (op === "add" && !seen.has(token)) {
              roster.add(token, { lastSeenMs: now });
              seen.set(token, now);
            } else if (op === "touch" && roster.touch(token, now)) seen.set(token, now);
            else if (op === "prune") {
              roster.prune(now, 50);
              for (const [t, at] of seen) {
                const kept = roster.has(t);
                expect(kept).toBe(now - at <= 50);
                if (!kept) seen.delete(t);
              }
            }
          }
        },
      ),
    );
  });
});
