import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Role } from "@/server/admin/admin-types";
import { type AdminFixture, createAdminFixture } from "@/server/testing/admin-fixture";
import { describeRoleMatrix, type RoleCase } from "@/server/testing/role-matrix";
import * as surgeTrigger from "../triggers/surge/route";
import * as apiKey from "./api-keys/[key]/route";
import * as apiKeys from "./api-keys/route";
import * as events from "./events/route";
import * as capacityPlan from "./rooms/[room]/capacity-plan/route";
import * as roomEvent from "./rooms/[room]/events/[event]/route";
import * as roomEvents from "./rooms/[room]/events/route";
import * as surgeEnd from "./rooms/[room]/surge/end/route";
import * as surgePolicy from "./rooms/[room]/surge-policy/route";
import * as surges from "./rooms/[room]/surges/route";

// Scale events, surges and API keys over HTTP: the role each route needs, bad input, and the
// surge trigger's own wrapper (API key, body limits, rate limit, idempotency).

let fx: AdminFixture;
beforeAll(async () => {
  fx = await createAdminFixture();
});
afterAll(() => fx.close());

const minute = 60_000;
const inMinutes = (m: number) => new Date(fx.clock.nowMs + m * minute).toISOString();
const futureEvent = (overrides: Record<string, unknown> = {}) => ({
  name: "Spring sale",
  startsAt: inMinutes(60),
  endsAt: inMinutes(120),
  capacity: 500,
  ...overrides,
});

const r = { room: "default" };

/** A scheduled event of the default room, made through the API (the call may edit or cancel it). */
const freshEvent = async (fixture: AdminFixture) => {
  const created = await fixture.call(roomEvents, "POST", { role: "operator", params: r, body: futureEvent() });
  if (created.status !== 201) throw new Error(`event not created: ${JSON.stringify(created.json)}`);
  return { room: "default", event: created.json.event.id as string };
};

/**
 * A surge running in the default room (started by a key, as a push server would), for the call
 * to end; none for a caller who may not end it, so no surge is left running.
 */
const runningSurge = async (fixture: AdminFixture, caller: Role | undefined) => {
  if (caller !== "operator" && caller !== "admin") return r;
  const key = await fixture.call(apiKeys, "POST", { role: "admin", body: { name: "matrix", rooms: ["default"] } });
  const started = await surgeTrigger.POST(
    new Request("http://localhost/api/triggers/surge", {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${key.json.secret}` },
      body: JSON.stringify({ room: "default", capacity: 600, holdMinutes: 5 }),
    }),
  );
  if (started.status !== 201) throw new Error(`surge not started: ${await started.text()}`);
  return r;
};

const freshApiKey = async (fixture: AdminFixture) => {
  const created = await fixture.call(apiKeys, "POST", {
    role: "admin",
    body: { name: "revoke me", rooms: ["default"] },
  });
  return { key: created.json.key.id as string };
};

const cases: RoleCase[] = [
  { name: "GET /events", module: events, method: "GET", role: "viewer", query: "?room=default" },
  { name: "GET /rooms/:room/events", module: roomEvents, method: "GET", role: "viewer", params: r },
  {
    name: "POST /rooms/:room/events",
    module: roomEvents,
    method: "POST",
    role: "operator",
    params: r,
    body: futureEvent,
  },
  { name: "GET /events/:event", module: roomEvent, method: "GET", role: "viewer", params: freshEvent },
  {
    name: "PATCH /events/:event",
    module: roomEvent,
    method: "PATCH",
    role: "operator",
    params: freshEvent,
    body: () => ({ capacity: 10 }),
  },
  { name: "DELETE /events/:event", module: roomEvent, method: "DELETE", role: "operator", params: freshEvent },
  { name: "GET /capacity-plan", module: capacityPlan, method: "GET", role: "viewer", params: r },
  { name: "GET /surge-policy", module: surgePolicy, method: "GET", role: "viewer", params: r },
  {
    name: "PUT /surge-policy",
    module: surgePolicy,
    method: "PUT",
    role: "operator",
    params: r,
    body: () => ({ capacity: 400 }),
  },
  {
    name: "POST /surge/end",
    module: surgeEnd,
    method: "POST",
    role: "operator",
    params: runningSurge,
    body: () => ({}),
  },
  { name: "GET /surges", module: surges, method: "GET", role: "viewer", params: r },
  { name: "GET /api-keys", module: apiKeys, method: "GET", role: "admin" },
  {
    name: "POST /api-keys",
    module: apiKeys,
    method: "POST",
    role: "admin",
    body: () => ({ name: "push", rooms: ["default"] }),
  },
  { name: "DELETE /api-keys/:key", module: apiKey, method: "DELETE", role: "admin", params: freshApiKey },
];

describeRoleMatrix("every schedule route checks the session and the role on the server", () => fx, cases);

describe("scale events over HTTP", () => {
  it("creates, lists, edits and cancels an event, each in the audit log", async () => {
    const created = await fx.call(roomEvents, "POST", {
      role: "operator",
      params: r,
      body: futureEvent({ name: "Flash", startsAt: "2099-01-01T18:00:00+09:00", endsAt: "2099-01-01T10:00:00Z" }),
    });
    expect(created.status, JSON.stringify(created.json)).toBe(201);
    expect(created.json.event).toMatchObject({
      name: "Flash",
      startsAt: "2099-01-01T09:00:00.000Z",
      leadMinutes: 10,
      preQueue: false,
      status: "scheduled",
      createdBy: "operator@example.com",
    });
    const id = created.json.event.id;
    const listed = await fx.call(events, "GET", {
      role: "viewer",
      query: "?from=2098-12-31T00:00:00Z&to=2099-01-02T00:00:00Z",
    });
    expect(listed.json.events.map((x: { id: string }) => x.id)).toContain(id);
    const patched = await fx.call(roomEvent, "PATCH", {
      role: "operator",
      params: { room: "default", event: id },
      body: { capacity: 900, newUsersPerMinute: 60, reason: "bigger drop" },
    });
    expect(patched.json.event.capacity).toBe(900);
    const cancelled = await fx.call(roomEvent, "DELETE", {
      role: "operator",
      params: { room: "default", event: id },
      query: "?reason=postponed",
    });
    expect(cancelled.json.event.status).toBe("cancelled");
    const again = await fx.call(roomEvent, "DELETE", { role: "operator", params: { room: "default", event: id } });
    expect(again.status).toBe(409);
    const audit = await fx.floodgate.db.auditEntry.findMany({ where: { target: id }, orderBy: { id: "asc" } });
    expect(audit.map((a) => [a.action, a.reason])).toEqual([
      ["event.create", null],
      ["event.update", "bigger drop"],
      ["event.cancel", "postponed"],
    ]);
    // Every changed field is recorded with its values (the pace of admissions too).
    expect(JSON.parse(audit[1]?.before ?? "null")).toEqual({
      capacity: created.json.event.capacity,
      newUsersPerMinute: null,
    });
    expect(JSON.parse(audit[1]?.after ?? "null")).toEqual({ capacity: 900, newUsersPerMinute: 60 });
  });

  it('starts an event "now" at once: the capacity plan shows it', async () => {
    const { json } = await fx.call(roomEvents, "POST", {
      role: "operator",
      params: r,
      body: futureEvent({ startsAt: "now", endsAt: inMinutes(5), capacity: 5_000 }),
    });
    expect(json.event.status).toBe("running");
    const plan = await fx.call(capacityPlan, "GET", { role: "viewer", params: r });
    expect(plan.json).toMatchObject({ roomId: "default", effectiveCapacity: 5_000 });
    expect(plan.json.sources[0]).toMatchObject({ kind: "event", eventId: json.event.id, capacity: 5_000 });
    expect(fx.floodgate.engine.effectiveCapacity("default")).toBe(5_000);
    await fx.call(roomEvent, "DELETE", { role: "operator", params: { room: "default", event: json.event.id } });
    expect(fx.floodgate.engine.effectiveCapacity("default")).toBe(fx.floodgate.engine.roomConfig("default").capacity);
  });

  it.each([
    ["a time without an offset", { startsAt: "2099-01-01T18:00:00" }, /startsAt/],
    ["a start in the past", { startsAt: "2020-01-01T00:00:00Z", endsAt: "2099-01-01T00:00:00Z" }, /past/],
    ["an end before the start", { endsAt: "2000-01-01T00:00:00Z" }, /endsAt/],
    ["capacity over 10,000,000", { capacity: 10_000_001 }, /capacity/],
    ["a negative capacity", { capacity: -1 }, /capacity/],
    ["a lead time over a day", { leadMinutes: 1441 }, /leadMinutes/],
    ["an empty name", { name: "  " }, /name/],
    ["a name over 80 characters", { name: "x".repeat(81) }, /name/],
    ["an unknown field", { color: "red" }, /color|Unrecognized/i],
    ["a pre-queue without lead time", { preQueue: true, leadMinutes: 0 }, /lead/],
  ])("refuses %s with 422", async (_name, overrides, message) => {
    const { status, json } = await fx.call(roomEvents, "POST", {
      role: "operator",
      params: r,
      body: futureEvent(overrides),
    });
    expect(status).toBe(422);
    expect(json.error.code).toBe("validation_failed");
    expect(json.error.message).toMatch(message);
  });

  it("refuses a second pre-queue overlapping the first", async () => {
    const first = await fx.call(roomEvents, "POST", {
      role: "operator",
      params: r,
      body: futureEvent({ name: "Tickets", startsAt: inMinutes(600), endsAt: inMinutes(660), preQueue: true }),
    });
    expect(first.status).toBe(201);
    const overlapping = await fx.call(roomEvents, "POST", {
      role: "operator",
      params: r,
      body: futureEvent({ startsAt: inMinutes(605), endsAt: inMinutes(700), preQueue: true }),
    });
    expect(overlapping.status).toBe(422);
    expect(overlapping.json.error.message).toMatch(/overlaps that of “Tickets”/);
  });

  it("answers an unknown room 404, a bad window 400", async () => {
    const missing = await fx.call(roomEvents, "GET", { role: "viewer", params: { room: "nope" } });
    expect(missing.status).toBe(404);
    const bad = await fx.call(events, "GET", { role: "viewer", query: "?from=yesterday" });
    expect(bad.status).toBe(400);
    const reversed = await fx.call(events, "GET", {
      role: "viewer",
      query: "?from=2026-02-01T00:00:00Z&to=2026-01-01T00:00:00Z",
    });
    expect(reversed.status).toBe(400);
  });
});

describe("POST /api/triggers/surge", () => {
  let secret = "";
  beforeAll(async () => {
    const created = await fx.call(apiKeys, "POST", {
      role: "admin",
      body: { name: "push-server", rooms: ["default"] },
    });
    expect(created.status).toBe(201);
    secret = created.json.secret;
  });

  function trigger(body: unknown, headers: Record<string, string> = {}) {
    return surgeTrigger.POST(
      new Request("http://localhost/api/triggers/surge", {
        method: "POST",
        headers: { "content-type": "application/json", authorization: `Bearer ${secret}`, ...headers },
        body: typeof body === "string" ? body : JSON.stringify(body),
      }),
    );
  }

  it("starts a surge with a key made in the console, and keeps the answer for an Idempotency-Key", async () => {
    const first = await trigger({ room: "default", capacity: 777, holdMinutes: 5 }, { "idempotency-key": "n-1" });
    expect(first.status).toBe(201);
    const body = await first.json();
    expect(body).toMatchObject({ action: "started", effectiveCapacity: 777 });
    expect(body.surge.startedBy).toBe("api-key:push-server");
    const retry = await trigger({ room: "default", capacity: 777, holdMinutes: 5 }, { "idempotency-key": "n-1" });
    expect(retry.status).toBe(201);
    expect(retry.headers.get("idempotent-replayed")).toBe("true");
    expect(await retry.json()).toEqual(body);
    const ended = await fx.call(surgeEnd, "POST", { role: "operator", params: r, body: {} });
    expect(ended.json.surge.endReason).toBe("operator");
  });

  it.each([
    ["no key", { authorization: "" }, 401, "unauthorized"],
    ["not a Bearer key", { authorization: "Basic dXNlcjpwYXNz" }, 401, "unauthorized"],
    ["an unknown key", { authorization: "Bearer fgk_not-a-real-key" }, 401, "unauthorized"],
    ["a body that is not JSON", { "content-type": "text/plain" }, 415, "unsupported_media_type"],
    ["a bad Idempotency-Key", { "idempotency-key": "x".repeat(256) }, 400, "bad_request"],
  ])("refuses %s", async (_name, headers, status, code) => {
    const response = await trigger({ room: "default", capacity: 10 }, headers);
    expect(response.status).toBe(status);
    expect((await response.json()).error.code).toBe(code);
  });

  it("refuses malformed JSON (400), a body over 16 KiB (413), a room outside the key (403)", async () => {
    expect((await trigger("{room:")).status).toBe(400);
    expect((await trigger({ room: "default", pad: "x".repeat(17 * 1024) })).status).toBe(413);
    const outside = await trigger({ room: "elsewhere", capacity: 10 });
    expect(outside.status).toBe(403);
  });

  it("limits calls per key: the 61st in a minute gets 429 with Retry-After", async () => {
    const statuses: number[] = [];
    let last: Response | null = null;
    for (let i = 0; i < 61; i++) {
      last = await trigger({ room: "default", capacity: 10 }, { authorization: "Bearer fgk_rate-limit-probe" });
      statuses.push(last.status);
    }
    expect(statuses.slice(0, 60).every((s) => s === 401)).toBe(true);
    expect(statuses[60]).toBe(429);
    expect(Number(last?.headers.get("retry-after"))).toBeGreaterThan(0);
  });

  it("a revoked key is refused at once", async () => {
    const created = await fx.call(apiKeys, "POST", { role: "admin", body: { name: "temp", rooms: ["default"] } });
    const revoked = await fx.call(apiKey, "DELETE", { role: "admin", params: { key: created.json.key.id } });
    expect(revoked.json.key.revokedAt).not.toBeNull();
    const response = await trigger(
      { room: "default", capacity: 10 },
      { authorization: `Bearer ${created.json.secret}` },
    );
    expect(response.status).toBe(401);
    const list = await fx.call(apiKeys, "GET", { role: "admin" });
    expect(JSON.stringify(list.json)).not.toContain(created.json.secret.slice(4));
  });
});
