import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Challenge } from "@/server/queue/challenge";
import { createEngineFixture, type EngineFixture, testRoom } from "@/server/testing/engine-fixture";
import { startGateServer } from "@/server/testing/gate-server";
import { solvedPayload } from "@/server/testing/solve-challenge";

// A pow room over HTTP, as an API client (or curl) meets it: a plain enter is refused with the
// challenge to solve; the solution in the body buys one place; bad bodies are 4xx; the waiting
// page's first load leaves the challenge to the page's script; over the per-address limit, the
// room's infinite line answers instead of 429.

let fixture: EngineFixture;
let gate: Awaited<ReturnType<typeof startGateServer>>;

beforeAll(async () => {
  fixture = await createEngineFixture([
    testRoom({ id: "drop", capacity: 5, challenge: "pow", challengeDifficulty: 1_000, protectedPaths: ["/drop"] }),
  ]);
  gate = await startGateServer(fixture, { trustProxy: true, newPlacesPerMinutePerIp: 3 });
});

afterAll(async () => {
  gate.close();
  await fixture.store.close();
});

const from = (address: string) => ({ "x-forwarded-for": address });

async function enter(headers: Record<string, string>, body?: unknown) {
  const res = await fetch(`${gate.base}/api/queue/drop/enter`, {
    method: "POST",
    headers: body === undefined ? headers : { ...headers, "content-type": "application/json" },
    body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body),
  });
  return {
    status: res.status,
    body: (await res.json()) as {
      status: Record<string, unknown> & { position: number };
      token: string;
      error: { code: string; challenge: Challenge };
    },
    cookies: res.headers.getSetCookie(),
  };
}

describe("gate: proof-of-work rooms", () => {
  it("refuses a plain enter with the challenge, and gives one place per solution", async () => {
    const plain = await enter(from("203.0.113.1"));
    expect(plain.status).toBe(403);
    expect(plain.body.error).toMatchObject({ code: "challenge_required" });
    expect(plain.body.error.challenge.parameters).toMatchObject({ algorithm: "SHA-256", data: { room: "drop" } });
    expect(plain.cookies).toEqual([]);

    const pow = await solvedPayload(plain.body.error.challenge);
    const solved = await enter(from("203.0.113.1"), { pow });
    expect(solved.status).toBe(201);
    expect(solved.body.status.state).toBe("admitted");
    expect(solved.cookies.some((c) => c.startsWith("fgq_drop="))).toBe(true);

    const replay = await enter(from("203.0.113.2"), { pow });
    expect(replay.status).toBe(403);
    expect(replay.body.error.code).toBe("challenge_required");
  });

  it("answers bad bodies with a 4xx that says what is wrong", async () => {
    for (const [body, code] of [
      [{ pow: "x".repeat(5_000) }, "invalid_body"],
      [{ pow: 12 }, "invalid_body"],
      [{ pow: "abc", extra: true }, "invalid_body"],
      ["{not json", "invalid_body"],
      [{ pow: "bm9wZQ==" }, "challenge_failed"],
    ] as const) {
      const answer = await enter(from("203.0.113.3"), body);
      expect(answer.status, JSON.stringify(body).slice(0, 40)).toBeGreaterThanOrEqual(400);
      expect(answer.status).toBeLessThan(500);
      expect(answer.body.error.code).toBe(code);
    }
  });

  it("lets the waiting page's first load through without a place: its script takes the challenge", async () => {
    const res = await fetch(`${gate.base}/wait/drop?next=%2Fdrop`, {
      headers: from("203.0.113.4"),
      redirect: "manual",
    });
    expect(res.status).toBe(299);
    expect(res.headers.getSetCookie()).toEqual([]);
  });

  it("does not count a challenge refusal against the address's limit; the infinite line takes the over-limit", async () => {
    // Four refusals (each gave a challenge, no place) and three places: the limit is three places.
    const address = from("203.0.113.50");
    for (let i = 0; i < 4; i++) expect((await enter(address)).status).toBe(403);
    for (let i = 0; i < 3; i++) {
      const challenge = (await enter(address)).body.error.challenge;
      expect((await enter(address, { pow: await solvedPayload(challenge) })).status).toBe(201);
    }
    // Over the limit: 429 before any challenge, solved or not.
    expect((await enter(address)).status).toBe(429);
    const pow = await solvedPayload((await enter(from("203.0.113.52"))).body.error.challenge);
    expect((await enter(address, { pow })).status).toBe(429);

    await fixture.engine.updateRoom("drop", { infiniteLine: true });
    const held = await enter(address, {
      pow: await solvedPayload((await enter(from("203.0.113.51"))).body.error.challenge),
    });
    expect(held.status).toBe(201);
    expect(held.body.status).toMatchObject({ state: "waiting", progress: 0 });
    expect(fixture.engine.roomStats("drop").infiniteLine.rate_limited).toBe(1);
    const beat = await fetch(`${gate.base}/api/queue/drop/heartbeat`, {
      method: "POST",
      headers: { authorization: `Bearer ${held.body.token}` },
    });
    expect(beat.status).toBe(200);
    expect(((await beat.json()) as { position: number }).position).toBe(held.body.status.position);

    const metrics = await (await fetch(`${gate.base}/metrics`)).text();
    expect(metrics).toContain('floodgate_room_infinite_line_total{room="drop",reason="rate_limited"} 1');
    expect(metrics).toContain('floodgate_room_infinite_line{room="drop"} 1');
    expect(metrics).toMatch(/floodgate_room_challenges_total\{room="drop",outcome="solved"\} [1-9]/);
  });
});
