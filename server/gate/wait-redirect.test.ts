import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { defaultNextPath } from "@/server/gate/next-path";
import { createEngineFixture, type EngineFixture, testRoom } from "@/server/testing/engine-fixture";
import { startGateServer } from "@/server/testing/gate-server";

// The open redirect of issue 11 (item 2), through the HTTP layer: GET /wait/<room>?next=…
// answers the admitted with a 303 whose Location is the checked `next`, never another site.

let fixture: EngineFixture;
let gate: Awaited<ReturnType<typeof startGateServer>>;
let base: string;

beforeAll(async () => {
  fixture = await createEngineFixture([
    testRoom({ id: "open", capacity: 100_000, protectedPaths: ["/shop"] }),
    testRoom({ id: "later", capacity: 0, protectedPaths: ["/later"] }),
  ]);
  gate = await startGateServer(fixture);
  base = gate.base;
});

afterAll(async () => {
  gate.close();
  await fixture.store.close();
});

/** Where a browser goes after this answer: the Location resolved as a browser does. */
function destination(location: string | null): string {
  expect(location).not.toBeNull();
  return new URL(location as string, base).href;
}

const hostileNext = [
  "/.//evil.com",
  "/%2e//evil.com",
  "/%2e%2e//evil.com",
  "/./%2Fevil.com",
  "/shop/..//evil.com",
  "/.%2F%2Fevil.com",
  "/..//evil.com",
  "//evil.com",
  "/\\evil.com",
  "/%5Cevil.com",
  "/%2F/evil.com",
  "/\t/evil.com",
  "/\uff0f\uff0fevil.com",
  "/\u2215\u2215evil.com",
  "https://evil.com/",
  "HTTPS://evil.com/",
  "javascript:alert(1)",
  "data:text/html,x",
  "/shop%0d%0aSet-Cookie:%20x=1",
];

describe("GET /wait/:room?next=… (the gate's redirect of the admitted)", () => {
  it.each(hostileNext)("sends %j to the fallback, on this site", async (next) => {
    const res = await fetch(`${base}/wait/open?next=${encodeURIComponent(next)}`, { redirect: "manual" });
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe(defaultNextPath);
    expect(destination(res.headers.get("location"))).toBe(`${base}${defaultNextPath}`);
  });

  it.each(["/.//evil.com", "/%2e%2e//evil.com", "/shop/..//evil.com"])(
    "refuses %j written raw in the query too (no percent-encoding by the client)",
    async (next) => {
      const res = await fetch(`${base}/wait/open?next=${next}`, { redirect: "manual" });
      expect(res.headers.get("location")).toBe(defaultNextPath);
    },
  );

  it("keeps a real path of this site exactly", async () => {
    const next = "/shop/item/3?size=m#reviews";
    const res = await fetch(`${base}/wait/open?next=${encodeURIComponent(next)}`, { redirect: "manual" });
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe(next);
  });

  it("takes no `next` when there are two (the page would not either)", async () => {
    const query = `next=${encodeURIComponent("/shop/item/1")}&next=${encodeURIComponent("//evil.com")}`;
    const res = await fetch(`${base}/wait/open?${query}`, { redirect: "manual" });
    expect(res.headers.get("location")).toBe(defaultNextPath);
  });

  it("sends a visitor who waited to the checked path once admitted", async () => {
    const next = encodeURIComponent("/.//evil.com");
    const waiting = await fetch(`${base}/wait/later?next=${next}`, { redirect: "manual" });
    // Still in line: the page (Next.js) renders; the gate set the place's cookie.
    expect(waiting.status).toBe(299);
    const cookie = (waiting.headers.getSetCookie()[0] ?? "").split(";")[0] as string;
    expect(cookie).toMatch(/^fgq_later=/);
    await fixture.engine.updateRoom("later", { capacity: 1 });
    await fixture.engine.tick();
    const admitted = await fetch(`${base}/wait/later?next=${next}`, { redirect: "manual", headers: { cookie } });
    expect(admitted.status).toBe(303);
    expect(admitted.headers.get("location")).toBe(defaultNextPath);
  });
});
