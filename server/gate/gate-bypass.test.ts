import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createEngineFixture, type EngineFixture, testRoom } from "@/server/testing/engine-fixture";
import { startGateServer } from "@/server/testing/gate-server";

// Bypass over HTTP: the client address the gate trusts (X-Forwarded-For behind a trusted
// proxy) and an API key header, on enter and on the waiting page's first load.

let fixture: EngineFixture;
let gate: Awaited<ReturnType<typeof startGateServer>>;
const liveKey = "fgk_live-key-for-shop";

beforeAll(async () => {
  fixture = await createEngineFixture([
    testRoom({
      id: "shop",
      capacity: 1,
      bypassCidrs: ["198.51.100.0/24"],
      bypassApiKeys: true,
      protectedPaths: ["/shop"],
    }),
  ]);
  gate = await startGateServer(fixture, {
    trustProxy: true,
    apiKeyFor: async (key, room) => key === liveKey && room === "shop",
  });
});

afterAll(async () => {
  gate.close();
  await fixture.store.close();
});

async function enter(headers: Record<string, string>) {
  const res = await fetch(`${gate.base}/api/queue/shop/enter`, { method: "POST", headers });
  return ((await res.json()) as { status: { state: string; position: number | null } }).status;
}

describe("gate: bypass rules", () => {
  it("puts an arrival from a bypass range, or with a live key, ahead of the line; anyone else behind", async () => {
    expect((await enter({ "x-forwarded-for": "203.0.113.1" })).state).toBe("admitted");
    expect((await enter({ "x-forwarded-for": "203.0.113.2" })).position).toBe(1);
    expect((await enter({ "x-forwarded-for": "198.51.100.7" })).position).toBe(1);
    expect((await enter({ "x-forwarded-for": "203.0.113.3", "x-floodgate-api-key": liveKey })).position).toBe(2);
    // A wrong or malformed key is no key: in turn, no error.
    expect((await enter({ "x-forwarded-for": "203.0.113.4", "x-floodgate-api-key": "fgk_wrong" })).position).toBe(4);
    expect((await enter({ "x-forwarded-for": "203.0.113.5", "x-floodgate-api-key": "has space" })).position).toBe(5);
    expect(fixture.engine.roomStats("shop")).toMatchObject({ active: 1, bypassedTotal: 2 });
  });

  it("lets a bypass address through the waiting page straight to the shop when a slot is free", async () => {
    await fixture.engine.updateRoom("shop", { capacity: 10 });
    const res = await fetch(`${gate.base}/wait/shop?next=%2Fshop`, {
      headers: { "x-forwarded-for": "198.51.100.9" },
      redirect: "manual",
    });
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe("/shop");
    expect(res.headers.getSetCookie().some((c) => c.startsWith("fga_shop=ey"))).toBe(true);
  });
});
