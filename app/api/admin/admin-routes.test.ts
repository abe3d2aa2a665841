import { decodeJwt } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type AdminFixture, createAdminFixture } from "@/server/testing/admin-fixture";
import { describeRoleMatrix, type RoleCase } from "@/server/testing/role-matrix";
import * as audit from "./audit/route";
import * as myPassword from "./me/password/route";
import * as me from "./me/route";
import * as capacity from "./rooms/[room]/capacity/route";
import * as drain from "./rooms/[room]/drain/route";
import * as room from "./rooms/[room]/route";
import * as series from "./rooms/[room]/series/route";
import * as admit from "./rooms/[room]/tokens/[id]/admit/route";
import * as evict from "./rooms/[room]/tokens/[id]/evict/route";
import * as token from "./rooms/[room]/tokens/[id]/route";
import * as tokens from "./rooms/[room]/tokens/route";
import * as rooms from "./rooms/route";
import * as stats from "./stats/route";
import * as user from "./users/[id]/route";
import * as users from "./users/route";

let fx: AdminFixture;
beforeAll(async () => {
  fx = await createAdminFixture();
});
afterAll(() => fx.close());

let unique = 0;
const newRoom = () => ({
  id: `room-${++unique}`,
  name: "Drop",
  capacity: 0,
  heartbeatIntervalMs: 5_000,
  heartbeatTimeoutMs: 20_000,
  maxQueueLength: 1_000,
  mode: "fifo",
  protectedPaths: [`/drop-${unique}`],
});

const r = { room: "default" };

/** A new room made through the API (capacity 0: whoever enters waits). */
async function freshRoom(fx: AdminFixture, overrides: Record<string, unknown> = {}): Promise<string> {
  const created = await fx.call(rooms, "POST", { role: "admin", body: { ...newRoom(), ...overrides } });
  if (created.status !== 201) throw new Error(`room not created: ${JSON.stringify(created.json)}`);
  return created.json.room.id;
}

/** A visitor who entered `room`; its id is the queue token's jti. */
async function visitorIn(fx: AdminFixture, room: string): Promise<string> {
  const { token } = await fx.floodgate.engine.enter(room, undefined);
  return String(decodeJwt(token).jti);
}

const waitingVisitor = async (fx: AdminFixture) => {
  const room = await freshRoom(fx);
  return { room, id: await visitorIn(fx, room) };
};

/** Someone waiting while a slot is free: the one inside was evicted, and no tick has run since. */
const waitingBesideAFreeSlot = async (fx: AdminFixture) => {
  const room = await freshRoom(fx, { capacity: 1 });
  const inside = await visitorIn(fx, room);
  const waiting = await visitorIn(fx, room);
  await fx.floodgate.engine.evict(room, inside);
  return { room, id: waiting };
};

const cases: RoleCase[] = [
  { name: "GET /me", module: me, method: "GET", role: "viewer" },
  {
    name: "PUT /me/password",
    module: myPassword,
    method: "PUT",
    role: "viewer",
    body: () => ({ currentPassword: "fixture password 123", newPassword: "a brand new password" }),
    afterAllowed: (fx, caller) => fx.resetSession(caller),
  },
  { name: "GET /rooms", module: rooms, method: "GET", role: "viewer" },
  { name: "POST /rooms", module: rooms, method: "POST", role: "operator", body: newRoom },
  { name: "GET /rooms/:room", module: room, method: "GET", role: "viewer", params: r },
  {
    name: "PATCH /rooms/:room",
    module: room,
    method: "PATCH",
    role: "operator",
    params: r,
    body: () => ({ name: "Demo shop" }),
  },
  {
    name: "DELETE /rooms/:room",
    module: room,
    method: "DELETE",
    role: "operator",
    params: async (fx) => ({ room: await freshRoom(fx) }),
  },
  {
    name: "PUT /capacity",
    module: capacity,
    method: "PUT",
    role: "operator",
    params: r,
    body: () => ({ capacity: 50 }),
  },
  { name: "GET /series", module: series, method: "GET", role: "viewer", params: r, query: "?range=15m" },
  { name: "GET /tokens", module: tokens, method: "GET", role: "viewer", params: r },
  { name: "GET /tokens/:id", module: token, method: "GET", role: "viewer", params: waitingVisitor },
  { name: "POST /evict", module: evict, method: "POST", role: "operator", params: waitingVisitor, body: () => ({}) },
  {
    name: "POST /admit",
    module: admit,
    method: "POST",
    role: "operator",
    params: waitingBesideAFreeSlot,
    body: () => ({ reason: "VIP" }),
  },
  {
    name: "POST /drain",
    module: drain,
    method: "POST",
    role: "operator",
    params: r,
    body: () => ({ confirm: "default" }),
  },
  { name: "GET /stats", module: stats, method: "GET", role: "viewer" },
  { name: "GET /audit", module: audit, method: "GET", role: "viewer" },
  { name: "GET /users", module: users, method: "GET", role: "admin" },
  {
    name: "POST /users",
    module: users,
    method: "POST",
    role: "admin",
    body: () => ({ email: `new${++unique}@example.com`, role: "viewer", password: "a long enough password" }),
  },
  {
    name: "PATCH /users/:id",
    module: user,
    method: "PATCH",
    role: "admin",
    params: async (fx) => {
      const made = await fx.call(users, "POST", {
        role: "admin",
        body: { email: `patched${++unique}@example.com`, role: "viewer", password: "a long enough password" },
      });
      return { id: made.json.user.id };
    },
    body: () => ({ name: "X" }),
  },
];

describeRoleMatrix("every admin route checks the session and the role on the server", () => fx, cases);

describe("admin route input and safety", () => {
  it("refuses a change sent from another site, even with a valid session", async () => {
    const { status, json } = await fx.call(capacity, "PUT", {
      role: "admin",
      params: r,
      body: { capacity: 0 },
      headers: { origin: "https://evil.example" },
    });
    expect(status).toBe(403);
    expect(json.error.code).toBe("cross_site");
    expect(fx.floodgate.engine.roomConfig("default").capacity).not.toBe(0);
  });

  it("accepts a same-origin change", async () => {
    const { status } = await fx.call(capacity, "PUT", {
      role: "operator",
      params: r,
      body: { capacity: 7 },
      headers: { origin: "http://localhost", "sec-fetch-site": "same-origin" },
    });
    expect(status).toBe(200);
  });

  it.each([
    ["negative capacity", { capacity: -1 }, /capacity/],
    ["fractional capacity", { capacity: 1.5 }, /capacity/],
    ["capacity as text", { capacity: "10" }, /capacity/],
    ["unknown field", { capacity: 1, evil: true }, /evil|Unrecognized/i],
  ])("capacity: %s → 422 naming the field", async (_name, body, message) => {
    const { status, json } = await fx.call(capacity, "PUT", { role: "operator", params: r, body });
    expect(status).toBe(422);
    expect(json.error.code).toBe("validation_failed");
    expect(json.error.message).toMatch(message);
  });

  it.each([
    ["timeout not above interval", { heartbeatIntervalMs: 5_000, heartbeatTimeoutMs: 5_000 }, /heartbeatTimeoutMs/],
    ["protecting the whole site", { protectedPaths: ["/"] }, /whole site/],
    ["protecting the console", { protectedPaths: ["/admin"] }, /own paths/],
    ["unknown mode", { mode: "lifo" }, /mode/],
    ["no new users at all", { newUsersPerMinute: 0 }, /newUsersPerMinute: at least 1 a minute, or null/],
    ["a fraction of a new user", { newUsersPerMinute: 1.5 }, /newUsersPerMinute/],
    ["new users as text", { newUsersPerMinute: "10" }, /newUsersPerMinute/],
    [
      "a bypass range that is not one",
      { bypassCidrs: ["10.0.0.0/33"] },
      /bypassCidrs.0: each bypass range is a CIDR range/,
    ],
    ["a bypass range twice", { bypassCidrs: ["10.0.0.0/8", "10.0.0.0/8"] }, /must not repeat/],
    ["a session limit under 10 s", { sessionDurationSeconds: 5 }, /sessionDurationSeconds: at least 10 seconds/],
    ["nothing to change", {}, /nothing to change/],
  ])("room settings: %s → 422", async (_name, body, message) => {
    const { status, json } = await fx.call(room, "PATCH", { role: "operator", params: r, body });
    expect(status).toBe(422);
    expect(json.error.message).toMatch(message);
  });

  it("sets a new-users-per-minute limit, shows it on the room, audits it, and takes it off with null", async () => {
    const set = await fx.call(room, "PATCH", { role: "operator", params: r, body: { newUsersPerMinute: 90 } });
    expect(set.status).toBe(200);
    expect(set.json.room.newUsersPerMinute).toBe(90);
    expect(fx.floodgate.engine.roomConfig("default").newUsersPerMinute).toBe(90);
    const { json } = await fx.call(audit, "GET", { role: "viewer", query: "?action=room.update" });
    expect(json.items[0]).toMatchObject({ before: { newUsersPerMinute: null }, after: { newUsersPerMinute: 90 } });
    const off = await fx.call(room, "PATCH", { role: "operator", params: r, body: { newUsersPerMinute: null } });
    expect(off.json.room.newUsersPerMinute).toBeNull();
  });

  it("answers malformed JSON with 400 and a non-JSON body with 415", async () => {
    const bad = await fx.call(capacity, "PUT", { role: "operator", params: r, body: "{capacity:" });
    expect(bad.status).toBe(400);
    expect(bad.json.error.code).toBe("invalid_body");
    const form = await fx.call(capacity, "PUT", {
      role: "operator",
      params: r,
      body: "capacity=1",
      headers: { "content-type": "application/x-www-form-urlencoded" },
    });
    expect(form.status).toBe(415);
  });

  it("answers a bad room id in the URL with 400 and an unknown room with 404", async () => {
    expect((await fx.call(room, "GET", { role: "viewer", params: { room: "../etc" } })).status).toBe(400);
    const missing = await fx.call(room, "GET", { role: "viewer", params: { room: "nope" } });
    expect(missing.status).toBe(404);
    expect(missing.json.error.code).toBe("room_not_found");
  });

  it("records a capacity change in the audit log with who, before and after", async () => {
    await fx.call(capacity, "PUT", { role: "operator", params: r, body: { capacity: 3 } });
    await fx.call(capacity, "PUT", { role: "operator", params: r, body: { capacity: 4, reason: "sale starts" } });
    const { json } = await fx.call(audit, "GET", { role: "viewer", query: "?action=room.capacity" });
    expect(json.items[0]).toMatchObject({
      action: "room.capacity",
      roomId: "default",
      actorEmail: "operator@example.com",
      actorRole: "operator",
      before: { capacity: 3 },
      after: { capacity: 4 },
      reason: "sale starts",
    });
  });

  it("a disabled user's session stops working at once", async () => {
    const viewer = await fx.users.create({
      email: "soon-disabled@example.com",
      name: "",
      role: "operator",
      passwordHash: "scrypt$x",
    });
    if (!viewer) throw new Error("not created");
    const { encode } = await import("next-auth/jwt");
    const cookie = `next-auth.session-token=${await encode({ token: { uid: viewer.id }, secret: fx.floodgate.runtime.auth.secret })}`;
    const before = await fx.call(me, "GET", { headers: { cookie } });
    expect(before.status).toBe(200);
    await fx.call(user, "PATCH", { role: "admin", params: { id: viewer.id }, body: { disabled: true } });
    const after = await fx.call(me, "GET", { headers: { cookie } });
    expect(after.status).toBe(401);
  });

  it("a session signed with another secret is refused", async () => {
    const { encode } = await import("next-auth/jwt");
    const forged = await encode({
      token: { uid: fx.sessions.admin.id },
      secret: "not the secret at all, not at all!!",
    });
    const { status } = await fx.call(me, "GET", { headers: { cookie: `next-auth.session-token=${forged}` } });
    expect(status).toBe(401);
  });

  it("will not demote or disable the last active admin", async () => {
    const { status, json } = await fx.call(user, "PATCH", {
      role: "admin",
      params: { id: fx.sessions.admin.id },
      body: { role: "viewer" },
    });
    expect(status).toBe(409);
    expect(json.error.message).toMatch(/last active admin/);
  });

  it("changes one's own password only with the current one, and the new one works", async () => {
    const wrong = await fx.call(myPassword, "PUT", {
      role: "viewer",
      body: { currentPassword: "not it", newPassword: "viewer's new password" },
    });
    expect(wrong.status).toBe(422);
    expect(wrong.json.error.message).toMatch(/current password/);
    const short = await fx.call(myPassword, "PUT", {
      role: "viewer",
      body: { currentPassword: "fixture password 123", newPassword: "short" },
    });
    expect(short.status).toBe(422);
    const done = await fx.call(myPassword, "PUT", {
      role: "viewer",
      body: { currentPassword: "fixture password 123", newPassword: "viewer's new password" },
    });
    expect(done.status).toBe(200);
    const signIn = fx.floodgate.runtime.auth.signIn;
    expect((await signIn("viewer@example.com", "viewer's new password", "198.51.100.9")).ok).toBe(true);
    expect((await signIn("viewer@example.com", "fixture password 123", "198.51.100.9")).ok).toBe(false);
    // The session that changed it ends with every other one issued before the change.
    expect((await fx.call(me, "GET", { role: "viewer" })).status).toBe(401);
    const { json } = await fx.call(audit, "GET", { role: "admin", query: "?action=user.password" });
    expect(json.items[0]).toMatchObject({ actorEmail: "viewer@example.com", after: { password: "(changed)" } });
  });

  it("drain needs the room's id repeated", async () => {
    const { status, json } = await fx.call(drain, "POST", { role: "operator", params: r, body: { confirm: "yes" } });
    expect(status).toBe(422);
    expect(json.error.message).toMatch(/confirm: "default"/);
  });
});
