import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createEngineFixture, type EngineFixture, enterMany, testRoom } from "@/server/testing/engine-fixture";
import { startGateServer } from "@/server/testing/gate-server";

// POST /api/queue/:room/heartbeat?hold=<ms> through the gate: validated, held until the
// admission (answered with the admission cookie), and released when the client hangs up.

let fixture: EngineFixture;
let gate: Awaited<ReturnType<typeof startGateServer>>;

beforeAll(async () => {
  fixture = await createEngineFixture([
    testRoom({ id: "default", capacity: 1, protectedPaths: ["/shop"] }),
    testRoom({ id: "held", capacity: 1, protectedPaths: ["/held"] }),
    testRoom({ id: "hangup", capacity: 1, protectedPaths: ["/hangup"] }),
  ]);
  gate = await startGateServer(fixture);
});

afterAll(async () => {
  gate.close();
  await fixture.store.close();
});

const beat = (token: string, query: string, signal?: AbortSignal, room = "default") =>
  fetch(`${gate.base}/api/queue/${room}/heartbeat${query}`, {
    method: "POST",
    headers: { authorization: `Bearer ${token}` },
    signal,
  });

describe("gate: held heartbeat", () => {
  it.each([
    ["?hold=abc", "hold must be a whole number"],
    ["?hold=-5", "hold must be a whole number"],
    ["?hold=600001", "hold must be a whole number"],
    ["?hold=1.5", "hold must be a whole number"],
  ])("refuses %s with 400 and the error shape", async (query, message) => {
    const [visitor] = await enterMany(fixture.engine, 1, "default");
    const res = await beat(visitor?.token as string, query);
    expect(res.status).toBe(400);
    const body = (await res.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe("bad_request");
    expect(body.error.message).toContain(message);
  });

  it("refuses hold on anything but a heartbeat", async () => {
    const res = await fetch(`${gate.base}/api/queue/default/enter?hold=1000`, { method: "POST" });
    expect(res.status).toBe(400);
  });

  it("holds until admitted, then answers with the admission token and its cookie", async () => {
    const [inside, next] = await enterMany(fixture.engine, 2, "held");
    const startedAt = performance.now();
    const held = beat(next?.token as string, "?hold=5000", undefined, "held");
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(fixture.engine.heldHeartbeats().get("held")).toBe(1);
    await fixture.engine.evict("held", inside?.id as string);
    await fixture.engine.tick();
    const res = await held;
    expect(performance.now() - startedAt).toBeLessThan(2_000);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { state: string; admissionToken?: string };
    expect(body.state).toBe("admitted");
    expect(body.admissionToken).toMatch(/^ey/);
    expect(res.headers.get("set-cookie")).toMatch(/^fga_held=ey/);
  });

  it("lets go of the hold when the client hangs up", async () => {
    const [, waiting] = await enterMany(fixture.engine, 2, "hangup");
    const controller = new AbortController();
    const held = beat(waiting?.token as string, "?hold=5000", controller.signal, "hangup").catch(() => "aborted");
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(fixture.engine.heldHeartbeats().get("hangup")).toBe(1);
    controller.abort();
    expect(await held).toBe("aborted");
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(fixture.engine.heldHeartbeats().size).toBe(0);
  });
});
