import { describe, expect, it } from "vitest";
import { enterMany, testRoom, trackEngineFixtures } from "@/server/testing/engine-fixture";

// A visitor reads their reference to support; the operator finds that one place by it, in any
// spelling, before and after a restart, and the reference never changes with the place's state.

const fixtures = trackEngineFixtures();
const listed = (engine: Awaited<ReturnType<typeof fixtures.fixture>>["engine"], search: string) =>
  engine.listTokens("test", { search, offset: 0, limit: 50 });

describe("place references", () => {
  it("find exactly the place a visitor reads out, however it is typed", async () => {
    const { engine } = await fixtures.fixture([testRoom({ capacity: 0 })]);
    const visitors = await enterMany(engine, 30);
    const statuses = await Promise.all(visitors.map((v) => engine.heartbeat("test", v.token)));
    const references = statuses.map((s) => s.status.reference);
    expect(new Set(references).size).toBe(30);
    for (const reference of references) expect(reference).toMatch(/^[2-9A-HJKMNP-TV-Z]{4}-[2-9A-HJKMNP-TV-Z]{2}$/);

    const seventh = references[6] as string;
    for (const typed of [seventh, seventh.toLowerCase(), seventh.replace("-", ""), ` ${seventh.replace("-", " ")} `]) {
      const { items, total } = listed(engine, typed.replace(/\s+/g, ""));
      expect(total).toBe(1);
      expect(items[0]).toMatchObject({ id: visitors[6]?.id, reference: seventh, position: 7 });
    }
  });

  it("keep naming the same place once admitted and after a restart", async () => {
    const f = await fixtures.fixture([testRoom({ capacity: 0 })]);
    const [first, second] = await enterMany(f.engine, 2);
    if (!first || !second) throw new Error("two visitors expected");
    const { status } = await f.engine.heartbeat("test", second.token);
    const reference = status.reference as string;

    const admitted = await f.engine.admitNow("test", second.id);
    expect(admitted.reference).toBe(reference);
    const restarted = await fixtures.restart(f);
    const { items } = listed(restarted.engine, reference);
    expect(items.map((t) => [t.id, t.reference])).toEqual([[second.id, reference]]);
    const again = await restarted.engine.heartbeat("test", second.token);
    expect(again.status.reference).toBe(reference);
  });

  it("find nothing for a reference no place holds, and still search by id prefix", async () => {
    const { engine } = await fixtures.fixture([testRoom({ capacity: 0 })]);
    const [visitor] = await enterMany(engine, 3);
    if (!visitor) throw new Error("a visitor expected");
    expect(listed(engine, "ZZZZ-ZZ").total).toBe(0);
    expect(listed(engine, visitor.id.slice(0, -1)).items.map((t) => t.id)).toEqual([visitor.id]);
  });
});
