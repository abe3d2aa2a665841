import { describe, expect, it } from "vitest";
import type { Actor } from "@/server/admin/admin-service";
import { errorCodeOf } from "@/server/testing/engine-fixture";
import { FakeEngine, operator, type ScheduleFixture, trackScheduleFixtures } from "@/server/testing/schedule-fixture";

const { fixture } = trackScheduleFixtures();
const minute = 60_000;
const admin: Actor = { user: { id: "u-admin", email: "admin@example.com", name: "Ada", role: "admin" }, ip: null };

async function withKey(f: ScheduleFixture, rooms = ["shop"]) {
  const { key, secret } = await f.service.createApiKey(admin, { name: "push", rooms });
  return {
    key,
    secret,
    trigger: (body: unknown, idempotencyKey: string | null = null) =>
      f.service.triggerSurge(secret, body, idempotencyKey),
  };
}

async function tickAt(f: ScheduleFixture, atMs: number) {
  f.clock.nowMs = atMs;
  await f.service.scheduler.tick();
}

describe("surge trigger", () => {
  it("starts a surge, extends it, and returns the room to its base when the hold ends", async () => {
    const f = await fixture();
    const { trigger } = await withKey(f);
    const t0 = f.clock.nowMs;

    const started = await trigger({ room: "shop", capacity: 400, holdMinutes: 10 });
    expect(started.status).toBe(201);
    expect(started.body).toMatchObject({ action: "started", effectiveCapacity: 400 });
    expect(started.body.surge).toMatchObject({
      capacity: 400,
      extensions: 0,
      startedBy: "api-key:push",
      endedAt: null,
    });
    expect(f.engine.effectiveCapacity("shop")).toBe(400);
    expect(f.notifier.messages.at(-1)).toBe(
      "Room shop: capacity 100 → 400 — surge started by api-key:push (400, hold until 12:10 UTC)",
    );

    // 5 min on: a smaller, shorter trigger keeps the higher capacity and the later end.
    f.clock.nowMs = t0 + 5 * minute;
    const kept = await trigger({ room: "shop", capacity: 200, holdMinutes: 2 });
    expect(kept.status).toBe(200);
    expect(kept.body.surge).toMatchObject({
      capacity: 400,
      extensions: 1,
      holdUntil: new Date(t0 + 10 * minute).toISOString(),
    });
    // A larger, longer one raises both.
    const raised = await trigger({ room: "shop", capacity: 600, holdMinutes: 15 });
    expect(raised.body).toMatchObject({ action: "extended", effectiveCapacity: 600 });
    expect(raised.body.surge).toMatchObject({ extensions: 2, holdUntil: new Date(t0 + 20 * minute).toISOString() });
    expect(raised.body.surge.id).toBe(started.body.surge.id);

    await tickAt(f, t0 + 20 * minute - 1);
    expect(f.engine.effectiveCapacity("shop")).toBe(600);
    await tickAt(f, t0 + 20 * minute + 400);
    expect(f.engine.effectiveCapacity("shop")).toBe(100);
    expect(f.notifier.messages.at(-1)).toBe("Room shop: capacity 600 → 100 — surge ended: hold time over");
    const { surges } = await f.service.listSurges("shop");
    expect(surges[0]).toMatchObject({ endReason: "hold_expired", extensions: 2 });
    expect((await f.auditActions()).filter((a) => a.startsWith("surge."))).toEqual([
      "surge.start",
      "surge.extend",
      "surge.extend",
      "surge.end",
    ]);

    // The next trigger starts a new surge.
    const again = await trigger({ room: "shop", capacity: 300 });
    expect(again.status).toBe(201);
    expect(again.body.surge.id).not.toBe(started.body.surge.id);
  });

  it("a surge ends with the scheduled events still running: the room falls back to them, not its base", async () => {
    const f = await fixture();
    const { trigger } = await withKey(f);
    const t0 = f.clock.nowMs;
    await f.service.createEvent(operator, "shop", {
      name: "Drop",
      startsAt: "now",
      endsAt: t0 + 60 * minute,
      capacity: 250,
      leadMinutes: 0,
      preQueue: false,
    });
    await trigger({ room: "shop", capacity: 900, holdMinutes: 5 });
    expect(f.engine.effectiveCapacity("shop")).toBe(900);
    await tickAt(f, t0 + 5 * minute);
    expect(f.engine.effectiveCapacity("shop")).toBe(250);
    const plan = await f.service.capacityPlan("shop");
    expect(plan.sources.map((s) => s.kind)).toEqual(["event", "base"]);
  });

  it("takes capacity and hold from the room's policy, and ends early once traffic stays low", async () => {
    const f = await fixture();
    const { trigger } = await withKey(f);
    await f.service.setSurgePolicy(operator, "shop", {
      capacity: 700,
      holdMinutes: 60,
      endBelowArrivalsPerMin: 10,
      endAfterLowMinutes: 5,
    });
    const t0 = f.clock.nowMs;
    f.engine.arrivals.set("shop", 500);
    const started = await trigger({ room: "shop" });
    expect(started.body.surge).toMatchObject({ capacity: 700, holdUntil: new Date(t0 + 60 * minute).toISOString() });

    f.engine.arrivals.set("shop", 3);
    await tickAt(f, t0 + minute);
    await tickAt(f, t0 + 5 * minute);
    expect(f.engine.effectiveCapacity("shop")).toBe(700);
    // Traffic picks up again: the low spell starts over.
    f.engine.arrivals.set("shop", 40);
    await tickAt(f, t0 + 5 * minute + 500);
    f.engine.arrivals.set("shop", 3);
    await tickAt(f, t0 + 6 * minute + 500);
    await tickAt(f, t0 + 11 * minute);
    expect(f.engine.effectiveCapacity("shop")).toBe(700);
    await tickAt(f, t0 + 11 * minute + 500);
    expect(f.engine.effectiveCapacity("shop")).toBe(100);
    expect(f.notifier.messages.at(-1)).toBe(
      "Room shop: capacity 700 → 100 — surge ended: under 10 arrivals/min for 5 min",
    );
    expect((await f.service.listSurges("shop")).surges[0]?.endReason).toBe("low_traffic");
  });

  it("an operator may end a surge now", async () => {
    const f = await fixture();
    const { trigger } = await withKey(f);
    await trigger({ room: "shop", capacity: 400 });
    const { surge } = await f.service.endSurge(operator, "shop", "false alarm");
    expect(surge.endReason).toBe("operator");
    expect(f.engine.effectiveCapacity("shop")).toBe(100);
    expect(f.notifier.messages.at(-1)).toBe(
      "Room shop: capacity 400 → 100 — surge ended by operator@example.com: false alarm",
    );
    expect(await errorCodeOf(f.service.endSurge(operator, "shop"))).toBe("not_found");
  });
});

describe("surge trigger: idempotency", () => {
  it("the same key and body get the first answer again, without a second action", async () => {
    const f = await fixture();
    const { trigger } = await withKey(f);
    const first = await trigger({ room: "shop", capacity: 400 }, "push-123");
    f.clock.nowMs += 3 * minute;
    const retry = await trigger({ capacity: 400, room: "shop" }, "push-123");
    expect(retry).toEqual({ ...first, replayed: true });
    expect(first.replayed).toBe(false);
    expect((await f.service.listSurges("shop")).surges[0]?.extensions).toBe(0);
    expect((await f.auditActions()).filter((a) => a.startsWith("surge."))).toEqual(["surge.start"]);
    // Another key is another request.
    expect((await trigger({ room: "shop", capacity: 400 }, "push-124")).body.action).toBe("extended");
  });

  it("the same key with another body is refused", async () => {
    const f = await fixture();
    const { trigger } = await withKey(f);
    await trigger({ room: "shop", capacity: 400 }, "push-1");
    expect(await errorCodeOf(trigger({ room: "shop", capacity: 500 }, "push-1"))).toBe("validation_failed");
  });

  it("forgets a key after 24 hours; a failed request does not use its key up", async () => {
    const f = await fixture();
    const { trigger } = await withKey(f);
    expect(await errorCodeOf(trigger({ room: "shop" }, "push-2"))).toBe("validation_failed");
    expect((await trigger({ room: "shop", capacity: 400 }, "push-2")).status).toBe(201);
    f.clock.nowMs += 24 * 60 * minute + 1;
    expect((await trigger({ room: "shop", capacity: 400 }, "push-2")).replayed).toBe(false);
    // The scheduler prunes answers past their day.
    f.clock.nowMs += 24 * 60 * minute + 1;
    await f.service.scheduler.tick();
    expect(await f.db.idempotentRequest.count()).toBe(0);
  });
});

describe("surge trigger: keys and input", () => {
  it("refuses a missing, unknown or revoked key (401) and a room outside the key's scope (403)", async () => {
    const f = await fixture({ engine: new FakeEngine([{ id: "shop" }, { id: "tickets" }]) });
    const { key, secret, trigger } = await withKey(f);
    expect(await errorCodeOf(f.service.triggerSurge(null, { room: "shop", capacity: 5 }, null))).toBe("unauthorized");
    expect(await errorCodeOf(f.service.triggerSurge(`${secret}x`, { room: "shop", capacity: 5 }, null))).toBe(
      "unauthorized",
    );
    expect(await errorCodeOf(trigger({ room: "tickets", capacity: 5 }))).toBe("forbidden");
    expect(await errorCodeOf(trigger({ room: "shop", capacity: 5 }))).toBe("ok");
    const { key: revoked } = await f.service.revokeApiKey(admin, key.id);
    expect(revoked.revokedAt).not.toBeNull();
    expect(await errorCodeOf(trigger({ room: "shop", capacity: 5 }))).toBe("unauthorized");
  });

  it.each([
    ["no room", { capacity: 5 }],
    ["a bad room id", { room: "../shop", capacity: 5 }],
    ["capacity 0", { room: "shop", capacity: 0 }],
    ["capacity as text", { room: "shop", capacity: "500" }],
    ["a fractional hold", { room: "shop", capacity: 5, holdMinutes: 1.5 }],
    ["a hold over a day", { room: "shop", capacity: 5, holdMinutes: 1441 }],
    ["an unknown field", { room: "shop", capacity: 5, everyone: true }],
    ["no capacity and no policy", { room: "shop" }],
    ["not an object", ["shop"]],
  ])("refuses %s with 422", async (_name, body) => {
    const f = await fixture();
    const { trigger } = await withKey(f);
    expect(await errorCodeOf(trigger(body))).toBe("validation_failed");
    expect(f.engine.effectiveCapacity("shop")).toBe(100);
  });

  it("notes a key's use at most once a minute", async () => {
    const f = await fixture();
    const { key, trigger } = await withKey(f);
    const lastUsed = async () => (await f.service.listApiKeys()).keys.find((k) => k.id === key.id)?.lastUsedAt;
    expect(await lastUsed()).toBeNull();
    const t0 = f.clock.nowMs;
    await trigger({ room: "shop", capacity: 5 });
    expect(await lastUsed()).toBe(new Date(t0).toISOString());
    f.clock.nowMs = t0 + 30_000;
    await trigger({ room: "shop", capacity: 5 });
    expect(await lastUsed()).toBe(new Date(t0).toISOString());
    f.clock.nowMs = t0 + 61_000;
    await trigger({ room: "shop", capacity: 5 });
    expect(await lastUsed()).toBe(new Date(t0 + 61_000).toISOString());
  });

  it("shows a key's secret once, keeps only its hash, and names only known rooms", async () => {
    const f = await fixture();
    const { key, secret } = await withKey(f);
    expect(secret).toMatch(/^fgk_[A-Za-z0-9_-]{43}$/);
    expect(key.prefix).toBe(secret.slice(0, 8));
    const row = await f.db.apiKey.findUniqueOrThrow({ where: { id: key.id } });
    expect(row.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(row)).not.toContain(secret.slice(4));
    expect(JSON.stringify(await f.service.listApiKeys())).not.toContain(secret.slice(4));
    expect(await errorCodeOf(f.service.createApiKey(admin, { name: "x", rooms: ["nowhere"] }))).toBe(
      "validation_failed",
    );
  });
});
