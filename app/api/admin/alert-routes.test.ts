import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type AdminFixture, createAdminFixture, type RouteModule } from "@/server/testing/admin-fixture";
import { describeRoleMatrix, type RoleCase } from "@/server/testing/role-matrix";
import * as alarms from "./alarms/route";
import * as alerts from "./alerts/route";
import * as threshold from "./rooms/[room]/thresholds/[threshold]/route";
import * as thresholds from "./rooms/[room]/thresholds/route";

let fx: AdminFixture;
beforeAll(async () => {
  fx = await createAdminFixture();
});
afterAll(() => fx.close());

const r = { room: "default" };
const waitingOver3 = { metric: "waiting", comparator: "gt", value: 3 };

/** A threshold of the default room, made through the API (the call may change or delete it). */
const freshThreshold = async (fixture: AdminFixture) => {
  const created = await fixture.call(thresholds, "POST", { role: "operator", params: r, body: waitingOver3 });
  if (created.status !== 201) throw new Error(`threshold not created: ${JSON.stringify(created.json)}`);
  return { room: "default", threshold: created.json.threshold.id as string };
};

const cases: RoleCase[] = [
  { name: "GET /rooms/:room/thresholds", module: thresholds, method: "GET", role: "viewer", params: r },
  {
    name: "POST /rooms/:room/thresholds",
    module: thresholds,
    method: "POST",
    role: "operator",
    params: r,
    body: () => waitingOver3,
  },
  {
    name: "PATCH /rooms/:room/thresholds/:threshold",
    module: threshold,
    method: "PATCH",
    role: "operator",
    params: freshThreshold,
    body: () => ({ value: 5 }),
  },
  {
    name: "DELETE /rooms/:room/thresholds/:threshold",
    module: threshold,
    method: "DELETE",
    role: "operator",
    params: freshThreshold,
  },
  { name: "GET /alerts", module: alerts, method: "GET", role: "viewer", query: "?room=default" },
  { name: "GET /alarms", module: alarms, method: "GET", role: "viewer" },
];

describeRoleMatrix("alert routes check the session and the role on the server", () => fx, cases);

describe("alert route input", () => {
  const badBodies: { name: string; body: unknown; field: string }[] = [
    { name: "an unknown metric", body: { ...waitingOver3, metric: "queueLength" }, field: "metric" },
    { name: "an unknown comparator", body: { ...waitingOver3, comparator: "eq" }, field: "comparator" },
    { name: "a negative value", body: { ...waitingOver3, value: -1 }, field: "value" },
    { name: "a value as text", body: { ...waitingOver3, value: "3" }, field: "value" },
    { name: "no value", body: { metric: "waiting", comparator: "gt" }, field: "value" },
    { name: "forSamples 0", body: { ...waitingOver3, forSamples: 0 }, field: "forSamples" },
    { name: "forSamples 61", body: { ...waitingOver3, forSamples: 61 }, field: "forSamples" },
    { name: "forSamples 1.5", body: { ...waitingOver3, forSamples: 1.5 }, field: "forSamples" },
    { name: "a negative cooldown", body: { ...waitingOver3, cooldownSeconds: -1 }, field: "cooldownSeconds" },
    { name: "a cooldown over a day", body: { ...waitingOver3, cooldownSeconds: 86_401 }, field: "cooldownSeconds" },
    { name: "an 81-character name", body: { ...waitingOver3, name: "x".repeat(81) }, field: "name" },
    { name: "a name of two lines", body: { ...waitingOver3, name: "a\nb" }, field: "name" },
    { name: "a topic that is no ARN", body: { ...waitingOver3, topicArn: "alerts" }, field: "topicArn" },
    { name: "an unknown field", body: { ...waitingOver3, severity: "high" }, field: "severity" },
    { name: "recoverValue past value", body: { ...waitingOver3, recoverValue: 5 }, field: "recoverValue" },
    {
      name: "activePercent over 1000",
      body: { metric: "activePercent", comparator: "gt", value: 1001 },
      field: "value",
    },
  ];
  for (const c of badBodies) {
    it(`POST /thresholds refuses ${c.name} (422 naming ${c.field})`, async () => {
      const { status, json } = await fx.call(thresholds, "POST", { role: "operator", params: r, body: c.body });
      expect(status).toBe(422);
      expect(json.error.code).toBe("validation_failed");
      expect(json.error.message).toContain(c.field);
    });
  }

  it("PATCH /thresholds/:threshold refuses an empty change and a bad field (422)", async () => {
    const created = await fx.call(thresholds, "POST", { role: "operator", params: r, body: waitingOver3 });
    const params = { room: "default", threshold: created.json.threshold.id };
    for (const [body, field] of [
      [{}, "nothing to change"],
      [{ forSamples: 0 }, "forSamples"],
      [{ comparator: "lt", recoverValue: 2 }, "recoverValue"],
    ] as const) {
      const { status, json } = await fx.call(threshold, "PATCH", { role: "operator", params, body });
      expect(status, JSON.stringify(body)).toBe(422);
      expect(json.error.message).toContain(field);
    }
  });

  const badQueries: { name: string; module: RouteModule; params?: Record<string, string>; query?: string }[] = [
    { name: "GET /alerts with pageSize 500", module: alerts, query: "?pageSize=500" },
    { name: "GET /alerts with a bad room id", module: alerts, query: "?room=Not%20A%20Room" },
    { name: "GET /thresholds with a bad room id", module: thresholds, params: { room: "Not A Room" } },
    { name: "DELETE with a bad threshold id", module: threshold, params: { room: "default", threshold: "a b" } },
  ];
  for (const c of badQueries) {
    it(`${c.name} → 400`, async () => {
      const method = c.module === threshold ? "DELETE" : "GET";
      const { status, json } = await fx.call(c.module, method, { role: "admin", params: c.params, query: c.query });
      expect(status).toBe(400);
      expect(json.error.code).toBe("bad_request");
    });
  }

  it("answers 404 for thresholds of a room that does not exist", async () => {
    const { status, json } = await fx.call(thresholds, "POST", {
      role: "operator",
      params: { room: "no-such-room" },
      body: waitingOver3,
    });
    expect(status).toBe(404);
    expect(json.error.code).toBe("room_not_found");
  });
});

describe("thresholds through the API", () => {
  it("creates, lists, changes and deletes a threshold; its ALARM shows in the history", async () => {
    const room = { room: "default" };
    const created = await fx.call(thresholds, "POST", {
      role: "operator",
      params: room,
      body: { ...waitingOver3, name: "Long line", forSamples: 1 },
    });
    expect(created.status).toBe(201);
    const id: string = created.json.threshold.id;
    expect(created.json.threshold).toMatchObject({ name: "Long line", state: "ok", recoverValue: null });

    const listed = await fx.call(thresholds, "GET", { role: "viewer", params: room });
    expect(listed.json.thresholds.map((t: { id: string }) => t.id)).toContain(id);

    await fx.floodgate.alerts.evaluate([
      {
        roomId: "default",
        atMs: fx.clock.nowMs,
        active: 0,
        waiting: 9,
        capacity: 10,
        arrivalsPerMinute: 0,
        admissionsPerMinute: 0,
        expiredPerMinute: 0,
        medianWaitSeconds: null,
      },
    ]);
    const history = await fx.call(alerts, "GET", { role: "viewer", query: "?room=default" });
    expect(history.json.items.find((e: { thresholdId: string }) => e.thresholdId === id)).toMatchObject({
      fromState: "ok",
      toState: "alarm",
      value: 9,
      // No SNS topic is configured in the fixture.
      notification: "no_channel",
    });

    const patched = await fx.call(threshold, "PATCH", {
      role: "operator",
      params: { ...room, threshold: id },
      body: { value: 20 },
    });
    expect(patched.json.threshold).toMatchObject({ value: 20, state: "ok" });

    const deleted = await fx.call(threshold, "DELETE", { role: "operator", params: { ...room, threshold: id } });
    expect(deleted).toEqual({ status: 200, json: { ok: true } });
    const after = await fx.call(thresholds, "GET", { role: "viewer", params: room });
    expect(after.json.thresholds.map((t: { id: string }) => t.id)).not.toContain(id);
  });
});

describe("GET /alarms: the thresholds in ALARM now", () => {
  const sample = (waiting: number) => ({
    roomId: "default",
    atMs: fx.clock.nowMs,
    active: 0,
    waiting,
    capacity: 10,
    arrivalsPerMinute: 0,
    admissionsPerMinute: 0,
    expiredPerMinute: 0,
    medianWaitSeconds: null,
  });
  const alarmIds = async () => {
    const { status, json } = await fx.call(alarms, "GET", { role: "viewer" });
    expect(status).toBe(200);
    return (json.alarms as { thresholdId: string }[]).map((a) => a.thresholdId);
  };

  it("lists a threshold from the sample that crosses it until the one that recovers it", async () => {
    const created = await fx.call(thresholds, "POST", {
      role: "operator",
      params: r,
      body: { metric: "waiting", comparator: "gt", value: 50, name: "Line over 50" },
    });
    const id: string = created.json.threshold.id;
    expect(await alarmIds()).not.toContain(id);

    await fx.floodgate.alerts.evaluate([sample(51)]);
    const { json } = await fx.call(alarms, "GET", { role: "viewer" });
    expect(json.alarms.find((a: { thresholdId: string }) => a.thresholdId === id)).toMatchObject({
      roomId: "default",
      name: "Line over 50",
      metric: "waiting",
      since: new Date(fx.clock.nowMs).toISOString(),
    });

    await fx.floodgate.alerts.evaluate([sample(10)]);
    expect(await alarmIds()).not.toContain(id);
    await fx.call(threshold, "DELETE", { role: "operator", params: { ...r, threshold: id } });
  });

  it("leaves out a threshold in ALARM once it is turned off", async () => {
    const created = await fx.call(thresholds, "POST", {
      role: "operator",
      params: r,
      body: { metric: "waiting", comparator: "gt", value: 60 },
    });
    const id: string = created.json.threshold.id;
    await fx.floodgate.alerts.evaluate([sample(61)]);
    expect(await alarmIds()).toContain(id);
    await fx.call(threshold, "PATCH", { role: "operator", params: { ...r, threshold: id }, body: { enabled: false } });
    expect(await alarmIds()).not.toContain(id);
    await fx.call(threshold, "DELETE", { role: "operator", params: { ...r, threshold: id } });
  });

  it("refuses a query string (400) instead of ignoring it", async () => {
    const { status, json } = await fx.call(alarms, "GET", { role: "viewer", query: "?room=default" });
    expect(status).toBe(400);
    expect(json.error.code).toBe("bad_request");
  });
});
