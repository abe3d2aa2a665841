import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createEngineFixture, type EngineFixture, idOf, testRoom } from "@/server/testing/engine-fixture";
import { startGateServer } from "@/server/testing/gate-server";

// POST /api/queue/:room/end-session: a visitor's own page says they are done. Their slot goes
// to the next in line at the next tick, their admission cookie is cleared, and asking again
// changes nothing.

let fixture: EngineFixture;
let gate: Awaited<ReturnType<typeof startGateServer>>;

beforeAll(async () => {
  fixture = await createEngineFixture([testRoom({ id: "shop", capacity: 1, protectedPaths: ["/shop"] })]);
  gate = await startGateServer(fixture, { trustProxy: false, allowedOrigins: [], newPlacesPerMinutePerIp: 100 });
});

afterAll(async () => {
  gate.close();
  await fixture.store.close();
});

const post = (path: string, headers: Record<string, string> = {}, method = "POST") =>
  fetch(`${gate.base}/api/queue/shop/${path}`, { method, headers });

async function enter(): Promise<{ token: string; state: string }> {
  const res = await post("enter");
  const body = (await res.json()) as { token: string; status: { state: string } };
  return { token: body.token, state: body.status.state };
}

describe("gate: a visitor ends their own session", () => {
  it("frees the slot for the next in line, clears the admission cookie, and is idempotent", async () => {
    const inside = await enter();
    const next = await enter();
    expect([inside.state, next.state]).toEqual(["admitted", "waiting"]);

    const ended = await post("end-session", { authorization: `Bearer ${inside.token}` });
    expect(ended.status).toBe(204);
    expect(ended.headers.get("set-cookie")).toMatch(/^fga_shop=; Path=\/; Max-Age=0; HttpOnly; SameSite=Lax$/);
    expect(fixture.engine.holdsSlot("shop", idOf(inside.token))).toBe(false);
    expect(fixture.engine.roomStats("shop")).toMatchObject({ active: 0, sessionsEndedTotal: 1 });

    await fixture.engine.tick();
    expect(fixture.engine.holdsSlot("shop", idOf(next.token))).toBe(true);

    const again = await post("end-session", { authorization: `Bearer ${inside.token}` });
    expect(again.status).toBe(204);
    expect(fixture.engine.roomStats("shop").sessionsEndedTotal).toBe(1);
    const heartbeat = await post("heartbeat", { authorization: `Bearer ${inside.token}` });
    expect(heartbeat.status).toBe(410);
  });

  it.each([
    ["no token", {}, "POST", 401, "unauthorized"],
    ["a token this room never issued", { authorization: "Bearer eyJ0.eyJ0.c2ln" }, "POST", 401, "invalid_token"],
    ["GET", {}, "GET", 405, "method_not_allowed"],
  ])("refuses %s", async (_name, headers, method, status, code) => {
    const res = await post("end-session", headers as Record<string, string>, method);
    expect(res.status).toBe(status);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe(code);
  });
});
