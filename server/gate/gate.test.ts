import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { retryScriptHash } from "@/server/gate/retry-script";
import { createEngineFixture, type EngineFixture, testRoom } from "@/server/testing/engine-fixture";
import { startGateServer } from "@/server/testing/gate-server";

let fixture: EngineFixture;
let gate: Awaited<ReturnType<typeof startGateServer>>;
let base: string;

beforeAll(async () => {
  fixture = await createEngineFixture([
    testRoom({ id: "default", capacity: 1, protectedPaths: ["/shop"] }),
    testRoom({ id: "full", capacity: 0, maxQueueLength: 1, protectedPaths: ["/full"] }),
    testRoom({ id: "spare", capacity: 0, protectedPaths: ["/spare"] }),
  ]);
  gate = await startGateServer(fixture, {
    trustProxy: true,
    allowedOrigins: ["https://shop.example"],
    newPlacesPerMinutePerIp: 20,
  });
  base = gate.base;
});

afterAll(async () => {
  gate.close();
  await fixture.store.close();
});

async function call(path: string, init: RequestInit = {}) {
  const res = await fetch(`${base}${path}`, { redirect: "manual", ...init });
  const text = await res.text();
  let json: unknown = null;
  try {
    json = JSON.parse(text);
  } catch {}
  return { res, json: json as Record<string, unknown> & { error?: { code: string; message: string } }, text };
}

describe("gate: public queue API", () => {
  it("enters, keeps the place on a second enter with the cookie, and heartbeats", async () => {
    const entered = await call("/api/queue/default/enter", { method: "POST" });
    expect(entered.res.status).toBe(201);
    // An empty room with capacity admits on arrival: queue cookie and admission cookie at once.
    const [cookie = "", admission = ""] = entered.res.headers.getSetCookie();
    expect(cookie).toMatch(/^fgq_default=[\w.-]+; Path=\/; Max-Age=3600; HttpOnly; SameSite=Lax$/);
    expect(admission).toMatch(/^fga_default=ey[\w.-]+; Path=\/; Max-Age=20; HttpOnly; SameSite=Lax$/);
    expect(entered.json.admissionToken).toMatch(/^ey/);
    const pair = cookie.split(";")[0] as string;
    const again = await call("/api/queue/default/enter", { method: "POST", headers: { cookie: pair } });
    expect(again.res.status).toBe(200);
    expect(again.json.token).toBe(entered.json.token);
    await fixture.engine.tick();
    const beat = await call("/api/queue/default/heartbeat", {
      method: "POST",
      headers: { authorization: `Bearer ${entered.json.token}` },
    });
    expect(beat.res.status).toBe(200);
    expect(beat.json.state).toBe("admitted");
    expect(beat.res.headers.get("set-cookie")).toMatch(/^fga_default=ey[\w.-]+; Path=\/; Max-Age=20; HttpOnly/);
    const left = await call("/api/queue/default/leave", { method: "POST", headers: { cookie: pair }, body: "" });
    expect(left.res.status).toBe(204);
  });

  it("takes a leave's token from a text/plain body (sendBeacon from another origin)", async () => {
    const entered = await call("/api/queue/spare/enter", { method: "POST" });
    const token = entered.json.token as string;
    const left = await call("/api/queue/spare/leave", {
      method: "POST",
      headers: { "content-type": "text/plain;charset=UTF-8" },
      body: JSON.stringify({ token }),
    });
    expect(left.res.status).toBe(204);
    const badBody = await call("/api/queue/spare/leave", { method: "POST", body: '{"token":"nope"}' });
    expect(badBody.json.error?.code).toBe("invalid_body");
    await fixture.engine.tick();
    expect(fixture.engine.roomStats("spare").waiting).toBe(1); // released only after the grace
    const status = await call("/api/queue/spare/status", { headers: { authorization: `Bearer ${token}` } });
    expect(status.json.state).toBe("paused");
  });

  it("answers a full room with 503, Retry-After and no new place", async () => {
    expect((await call("/api/queue/full/enter", { method: "POST" })).res.status).toBe(201);
    const refused = await call("/api/queue/full/enter", { method: "POST" });
    expect(refused.res.status).toBe(503);
    expect(refused.res.headers.get("retry-after")).toBe("30");
    expect(refused.json.error?.code).toBe("room_full");
    expect(fixture.engine.roomStats("full").arrivedTotal).toBe(1);
  });

  it("answers a malformed URL with 400 itself, and leaves other waiting-page paths to Next", async () => {
    const malformed = await call("/wait/%E0%A4%A");
    expect(malformed.res.status).toBe(400);
    expect(malformed.json.error?.code).toBe("bad_request");
    expect((await call("/shop/%E0%A4%A")).res.status).toBe(400);
    expect((await call("/wait/NOPE")).res.status).toBe(299);
    expect((await call("/healthz")).res.status).toBe(200); // still up
  });

  it("serves the room-full page itself on GET /wait/:room", async () => {
    const page = await call("/wait/full", { headers: { "accept-language": "ko-KR,ko;q=0.9" } });
    expect(page.res.status).toBe(503);
    expect(page.text).toContain("대기실이 가득 찼습니다");
    // Answered before Next.js, so it carries the framing and content policy itself.
    const policy = page.res.headers.get("content-security-policy") ?? "";
    expect(policy).toContain("frame-ancestors 'self'");
    expect(policy).toContain("default-src 'none'");
    // One script, by its hash: the countdown (no 'unsafe-inline').
    expect(policy.split("; ").find((d) => d.startsWith("script-src"))).toBe(`script-src ${retryScriptHash}`);
    expect(page.res.headers.get("x-frame-options")).toBe("SAMEORIGIN");
    expect(page.res.headers.get("x-content-type-options")).toBe("nosniff");
  });

  it("marks queue API answers nosniff", async () => {
    const status = await call("/api/queue/default/status");
    expect(status.res.headers.get("x-content-type-options")).toBe("nosniff");
  });

  it.each([
    {
      label: "malformed JSON",
      path: "/api/queue/default/enter",
      init: { method: "POST", body: "{", headers: { "content-type": "application/json" } },
      status: 400,
      code: "invalid_body",
    },
    {
      label: "unexpected field",
      path: "/api/queue/default/enter",
      init: { method: "POST", body: '{"seq":1}', headers: { "content-type": "application/json" } },
      status: 400,
      code: "invalid_body",
    },
    {
      label: "body over 16 KiB",
      path: "/api/queue/default/enter",
      init: { method: "POST", body: "x".repeat(17_000) },
      status: 413,
      code: "payload_too_large",
    },
    {
      label: "form body",
      path: "/api/queue/default/enter",
      init: { method: "POST", body: "a=1", headers: { "content-type": "application/x-www-form-urlencoded" } },
      status: 415,
      code: "unsupported_media_type",
    },
    {
      label: "unknown room",
      path: "/api/queue/nope/enter",
      init: { method: "POST" },
      status: 404,
      code: "room_not_found",
    },
    { label: "bad room id", path: "/api/queue/NOPE!/enter", init: { method: "POST" }, status: 404, code: "not_found" },
    {
      label: "unknown action",
      path: "/api/queue/default/teleport",
      init: { method: "POST" },
      status: 404,
      code: "not_found",
    },
    {
      label: "wrong method",
      path: "/api/queue/default/heartbeat",
      init: { method: "GET" },
      status: 405,
      code: "method_not_allowed",
    },
    {
      label: "heartbeat without token",
      path: "/api/queue/default/heartbeat",
      init: { method: "POST" },
      status: 401,
      code: "unauthorized",
    },
    {
      label: "malformed bearer",
      path: "/api/queue/default/heartbeat",
      init: { method: "POST", headers: { authorization: "Basic abc" } },
      status: 401,
      code: "invalid_token",
    },
    {
      label: "forged token",
      path: "/api/queue/default/heartbeat",
      init: {
        method: "POST",
        headers: {
          cookie:
            "fgq_default=eyJhbGciOiJIUzI1NiJ9.eyJyb29tIjoiZGVmYXVsdCIsInNlcSI6MSwianRpIjoiYWFhYWFhYWFhYSJ9.aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
        },
      },
      status: 401,
      code: "invalid_token",
    },
    {
      label: "bad page id",
      path: "/api/queue/default/heartbeat?page=%3Cscript%3E",
      init: { method: "POST" },
      status: 400,
      code: "bad_request",
    },
    {
      label: "status with forged token",
      path: "/api/queue/default/status",
      init: {
        method: "GET",
        headers: {
          cookie:
            "fgq_default=eyJhbGciOiJIUzI1NiJ9.eyJyb29tIjoiZGVmYXVsdCIsInNlcSI6MSwianRpIjoiYWFhYWFhYWFhYSJ9.aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
        },
      },
      status: 401,
      code: "invalid_token",
    },
    {
      label: "status without token",
      path: "/api/queue/default/status",
      init: { method: "GET" },
      status: 401,
      code: "unauthorized",
    },
  ])("$label -> $status $code", async ({ path, init, status, code }) => {
    const { res, json } = await call(path, init as RequestInit);
    expect(res.status).toBe(status);
    expect(json.error).toEqual({ code, message: expect.any(String) });
    expect(res.headers.get("x-request-id")).toBeTruthy();
  });

  it("slows down one address taking many new places, but not returning visitors", async () => {
    const headers = { "x-forwarded-for": "203.0.113.9" };
    let last = 0;
    let kept = "";
    for (let i = 0; i < 25 && last !== 429; i++) {
      const r = await call("/api/queue/default/enter", { method: "POST", headers });
      last = r.res.status;
      if (r.res.status === 201) kept = r.json.token as string;
    }
    expect(last).toBe(429);
    const otherAddress = await call("/api/queue/default/enter", {
      method: "POST",
      headers: { "x-forwarded-for": "203.0.113.10" },
    });
    expect(otherAddress.res.status).toBe(201);
    const resumed = await call("/api/queue/default/enter", {
      method: "POST",
      headers: { authorization: `Bearer ${kept}` },
    });
    expect(resumed.res.status).toBe(200);
  });

  it("answers CORS preflight only for allowed origins", async () => {
    const allowed = await call("/api/queue/default/heartbeat", {
      method: "OPTIONS",
      headers: { origin: "https://shop.example" },
    });
    expect(allowed.res.status).toBe(204);
    expect(allowed.res.headers.get("access-control-allow-origin")).toBe("https://shop.example");
    const other = await call("/api/queue/default/heartbeat", {
      method: "OPTIONS",
      headers: { origin: "https://evil.example" },
    });
    expect(other.res.headers.get("access-control-allow-origin")).toBeNull();
  });

  it("serves the JWKS, health and metrics, and leaves other paths to Next", async () => {
    const jwks = await call("/.well-known/jwks.json");
    expect((jwks.json.keys as { alg: string; d?: string }[])[0]).toMatchObject({ alg: "ES256", kty: "EC" });
    expect((jwks.json.keys as { d?: string }[])[0]?.d).toBeUndefined();
    expect((await call("/healthz")).json).toEqual({ status: "ok" });
    expect((await call("/metrics")).text).toMatch(/floodgate_room_capacity\{room="default"\} 1/);
    expect((await call("/shop")).res.status).toBe(298);
  });
});
