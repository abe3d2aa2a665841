import pino from "pino";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { Actor } from "@/server/admin/admin-service";
import type { AlertThresholdInput } from "@/server/admin/admin-types";
import { AuditStore } from "@/server/admin/audit-store";
import { type AlertService, createAlertService, maxThresholdsPerRoom } from "@/server/alerts/alert-service";
import type { Notice, Notifier, NotifyOutcome } from "@/server/alerts/notice";
import { isAppError } from "@/server/api/errors";
import { createPrismaClient, type PrismaClient } from "@/server/db/client";
import type { RoomSample } from "@/server/metrics/sampler";
import { ManualClock } from "@/server/testing/engine-fixture";
import { tempDatabaseUrl } from "@/server/testing/temp-db";

/** Records what would be sent; answers as a notifier with (or without) a channel would. */
class RecordingNotifier implements Notifier {
  readonly notices: Notice[] = [];
  constructor(private readonly hasChannel = true) {}
  async notify(notice: Notice): Promise<NotifyOutcome> {
    this.notices.push(notice);
    return this.hasChannel ? { status: "queued", deliveryId: `d${this.notices.length}` } : { status: "no_channel" };
  }
}

const actor: Actor = {
  user: { id: "user-1", email: "operator@example.com", name: "Operator", role: "operator" },
  ip: "127.0.0.1",
};
const sampleEveryMs = 10_000;

let db: PrismaClient;
let clock: ManualClock;
let notifier: RecordingNotifier;
let alerts: AlertService;

function newService(options: { notifier?: Notifier; roomExists?: (roomId: string) => boolean } = {}) {
  return createAlertService({
    db,
    logger: pino({ level: "silent" }),
    audit: new AuditStore(db, pino({ level: "silent" })),
    notifier: options.notifier ?? notifier,
    clock: clock.now,
    roomExists: options.roomExists,
  });
}

beforeEach(() => {
  db = createPrismaClient(tempDatabaseUrl());
  clock = new ManualClock();
  notifier = new RecordingNotifier();
  alerts = newService();
});
afterEach(() => db.$disconnect());

/** A sample of room "shop" now, then moves the clock one sampling interval on. */
function sample(figures: Partial<RoomSample> = {}): RoomSample {
  const taken: RoomSample = {
    roomId: "shop",
    atMs: clock.nowMs,
    active: 10,
    waiting: 0,
    capacity: 10,
    arrivalsPerMinute: 0,
    admissionsPerMinute: 0,
    expiredPerMinute: 0,
    medianWaitSeconds: null,
    ...figures,
  };
  clock.advance(sampleEveryMs);
  return taken;
}

async function feed(service: AlertService, waitingFigures: number[]) {
  for (const waiting of waitingFigures) await service.evaluate([sample({ waiting })]);
}

const waitingOver3: AlertThresholdInput = { metric: "waiting", comparator: "gt", value: 3, forSamples: 3 };

async function create(input: Partial<AlertThresholdInput> = {}, service = alerts) {
  return (await service.createThreshold(actor, "shop", { ...waitingOver3, ...input })).threshold;
}

async function stateOf(id: string) {
  const { thresholds } = await alerts.listThresholds("shop");
  return thresholds.find((t) => t.id === id)?.state;
}

async function history() {
  return (await alerts.listAlertEvents({ page: 1, pageSize: 50 })).items;
}

describe("evaluation", () => {
  it("raises ALARM after forSamples breaching samples, and recovers after as many good ones", async () => {
    const threshold = await create();
    await feed(alerts, [5, 5]);
    expect(await stateOf(threshold.id)).toBe("ok");
    expect(notifier.notices).toHaveLength(0);

    await feed(alerts, [5]);
    expect(await stateOf(threshold.id)).toBe("alarm");
    expect(notifier.notices.map((n) => n.kind)).toEqual(["alarm"]);

    await feed(alerts, [1, 1]);
    expect(await stateOf(threshold.id)).toBe("alarm");
    await feed(alerts, [1]);
    expect(await stateOf(threshold.id)).toBe("ok");
    expect(notifier.notices.map((n) => n.kind)).toEqual(["alarm", "recovery"]);

    const events = await history();
    expect(events.map((e) => [e.fromState, e.toState, e.value, e.notification])).toEqual([
      ["alarm", "ok", 1, "sent"],
      ["ok", "alarm", 5, "sent"],
    ]);
    expect(events[1]?.message).toBe("ALARM: waiting is 5 (waiting > 3 for 3 samples in a row)");
  });

  it("tells people what happened, where, since when and where to look", async () => {
    const alarmAtMs = clock.nowMs + 2 * sampleEveryMs;
    await create({ name: "Long line", forSamples: 3, topicArn: "arn:aws:sns:eu-west-1:123456789012:shop-alerts" });
    await feed(alerts, [4, 4, 7, 2, 2, 2]);
    const [alarm, recovery] = notifier.notices;

    expect(alarm).toMatchObject({
      roomId: "shop",
      kind: "alarm",
      subject: "[ALARM] shop: Long line (waiting > 3)",
      topicArn: "arn:aws:sns:eu-west-1:123456789012:shop-alerts",
    });
    expect(alarm?.message).toContain("ALARM in room shop: waiting is 7, past the threshold waiting > 3");
    expect(alarm?.message).toContain(`In ALARM since ${new Date(alarmAtMs).toISOString()}.`);
    expect(alarm?.message).toContain("Recovers at waiting <= 3 for 3 samples in a row.");
    expect(alarm?.message).toContain("Room: /admin/rooms/shop");

    expect(recovery).toMatchObject({ kind: "recovery", subject: "[OK] shop: Long line (waiting > 3)" });
    expect(recovery?.message).toContain("Recovered in room shop: waiting is 2 (waiting <= 3 for 3 samples in a row).");
    expect(recovery?.message).toContain("(30 s).");
  });

  it("writes the figure with its unit", async () => {
    await alerts.createThreshold(actor, "shop", { metric: "activePercent", comparator: "gte", value: 90 });
    await alerts.evaluate([sample({ active: 28, capacity: 30 })]);
    expect(notifier.notices[0]?.subject).toBe("[ALARM] shop: active >= 90%");
    expect(notifier.notices[0]?.message).toContain("active is 93.33%");
  });

  it("keeps suppressed ALARMs (and their recoveries) in the history, unsent", async () => {
    await create({ forSamples: 1, cooldownSeconds: 600 });
    await feed(alerts, [5, 1, 5, 1]);
    clock.advance(600_000);
    await feed(alerts, [5]);

    expect(notifier.notices.map((n) => n.kind)).toEqual(["alarm", "recovery", "alarm"]);
    expect((await history()).map((e) => `${e.toState}:${e.notification}`).reverse()).toEqual([
      "alarm:sent",
      "ok:sent",
      "alarm:suppressed_cooldown",
      "ok:suppressed_cooldown",
      "alarm:sent",
    ]);
  });

  it("records no_channel when the notifier has nowhere to send", async () => {
    alerts = newService({ notifier: new RecordingNotifier(false) });
    await create({ forSamples: 1 });
    await feed(alerts, [5]);
    expect((await history()).map((e) => e.notification)).toEqual(["no_channel"]);
  });

  it("a sample without the figure changes nothing", async () => {
    const threshold = await alerts.createThreshold(actor, "shop", {
      metric: "medianWaitSeconds",
      comparator: "gt",
      value: 60,
      forSamples: 2,
    });
    for (const medianWaitSeconds of [90, null, null, 90]) await alerts.evaluate([sample({ medianWaitSeconds })]);
    expect(await stateOf(threshold.threshold.id)).toBe("alarm");
  });

  it("only judges the sampled room's thresholds, and disabled ones not at all", async () => {
    await create({ forSamples: 1, enabled: false });
    await alerts.createThreshold(actor, "other", { ...waitingOver3, forSamples: 1 });
    await feed(alerts, [5]);
    expect(notifier.notices).toHaveLength(0);
  });

  it("keeps the streak in the database: a restarted service carries on counting", async () => {
    const threshold = await create();
    await feed(alerts, [5, 5]);
    const restarted = newService();
    await feed(restarted, [5]);
    expect(await stateOf(threshold.id)).toBe("alarm");
  });
});

describe("thresholds cache", () => {
  it("reads the thresholds once, not per sample", async () => {
    await create();
    await create({ metric: "arrivalsPerMinute" });
    const reads = vi.spyOn(db.alertThreshold, "findMany");
    await feed(alerts, [1, 1, 1, 1]);
    expect(reads).toHaveBeenCalledTimes(1);
  });

  it("sees a change made through the service at the next sample", async () => {
    // With the old rule (value 10) in memory, 5 would change nothing and write nothing.
    const threshold = await create({ forSamples: 1, value: 10 });
    await feed(alerts, [5]);
    await alerts.updateThreshold(actor, "shop", threshold.id, { value: 4 });
    await feed(alerts, [5]);
    expect(await stateOf(threshold.id)).toBe("alarm");

    const added = await create({ forSamples: 1, value: 4 });
    await feed(alerts, [5]);
    expect(await stateOf(added.id)).toBe("alarm");

    await alerts.deleteThreshold(actor, "shop", added.id);
    await feed(alerts, [1]);
    expect(notifier.notices.map((n) => n.kind)).toEqual(["alarm", "alarm", "recovery"]);
  });
});

describe("two evaluators on one database", () => {
  it("record a transition once, however the same sample reaches them", async () => {
    const threshold = await create({ forSamples: 1 });
    const secondNotifier = new RecordingNotifier();
    const second = newService({ notifier: secondNotifier });
    // Both have read the thresholds before the breach.
    const calm = sample({ waiting: 0 });
    await Promise.all([alerts.evaluate([calm]), second.evaluate([calm])]);

    const breach = sample({ waiting: 9 });
    await Promise.all([alerts.evaluate([breach]), second.evaluate([breach])]);

    expect(await history()).toHaveLength(1);
    expect(notifier.notices.length + secondNotifier.notices.length).toBe(1);
    expect(await stateOf(threshold.id)).toBe("alarm");

    // The one that lost reloads and carries on from the written state: recovery is also single.
    const good = sample({ waiting: 0 });
    await alerts.evaluate([good]);
    await second.evaluate([good]);
    expect((await history()).map((e) => e.toState)).toEqual(["ok", "alarm"]);
  });
});

describe("editing thresholds", () => {
  it("starts a rule over at OK when what it measures changes, and audits every change", async () => {
    const threshold = await create({ forSamples: 1 });
    await feed(alerts, [5]);
    expect(await stateOf(threshold.id)).toBe("alarm");

    const { threshold: renamed } = await alerts.updateThreshold(actor, "shop", threshold.id, { name: "Line" });
    expect(renamed.state).toBe("alarm");
    const { threshold: moved } = await alerts.updateThreshold(actor, "shop", threshold.id, { comparator: "gte" });
    expect(moved).toMatchObject({
      state: "ok",
      comparator: "gte",
      stateChangedAt: new Date(clock.nowMs).toISOString(),
    });
    await alerts.deleteThreshold(actor, "shop", threshold.id);

    const audit = await new AuditStore(db, pino({ level: "silent" })).list({ roomId: "shop", page: 1, pageSize: 10 });
    expect(audit.items.map((a) => a.action).reverse()).toEqual([
      "threshold.create",
      "threshold.update",
      "threshold.update",
      "threshold.delete",
    ]);
    expect(audit.items[1]).toMatchObject({
      actorEmail: "operator@example.com",
      target: threshold.id,
      before: { comparator: "gt", state: "alarm" },
      after: { comparator: "gte", state: "ok" },
    });
  });

  it("restarts the count when the way samples are judged changes", async () => {
    const threshold = await create({ forSamples: 3 });
    await feed(alerts, [5, 5]);
    await alerts.updateThreshold(actor, "shop", threshold.id, { forSamples: 2 });
    await feed(alerts, [5]);
    expect(await stateOf(threshold.id)).toBe("ok");
    await feed(alerts, [5]);
    expect(await stateOf(threshold.id)).toBe("alarm");
  });

  const refused: {
    name: string;
    input?: Partial<AlertThresholdInput>;
    patch?: Partial<AlertThresholdInput>;
    field: string;
  }[] = [
    { name: "recoverValue above value for gt", input: { recoverValue: 4 }, field: "recoverValue" },
    {
      name: "recoverValue below value for lt",
      input: { comparator: "lt", value: 3, recoverValue: 2 },
      field: "recoverValue",
    },
    { name: "activePercent above 1000", input: { metric: "activePercent", value: 1001 }, field: "value" },
    {
      name: "a patch that puts recoverValue on the wrong side",
      input: { recoverValue: 2 },
      patch: { comparator: "lt" },
      field: "recoverValue",
    },
  ];
  for (const c of refused) {
    it(`refuses ${c.name} (422 naming ${c.field})`, async () => {
      const attempt = c.patch
        ? create(c.input).then((t) => alerts.updateThreshold(actor, "shop", t.id, c.patch ?? {}))
        : create(c.input);
      const error = await attempt.catch((e: unknown) => e);
      expect(isAppError(error) && error.status).toBe(422);
      expect((error as Error).message).toMatch(new RegExp(`^${c.field}:`));
    });
  }

  it(`allows ${maxThresholdsPerRoom} thresholds a room, not more`, async () => {
    for (let i = 0; i < maxThresholdsPerRoom; i++) await create({ name: `rule ${i}` });
    const error = await create().catch((e: unknown) => e);
    expect(isAppError(error) && error.status).toBe(422);
    expect((await alerts.listThresholds("shop")).thresholds).toHaveLength(maxThresholdsPerRoom);
  });

  it("answers 404 for an unknown room or threshold", async () => {
    alerts = newService({ roomExists: (roomId) => roomId === "shop" });
    // One at a time: a rejection must not wait unhandled while an earlier attempt is awaited.
    for (const attempt of [
      () => alerts.listThresholds("nowhere"),
      () => alerts.createThreshold(actor, "nowhere", waitingOver3),
      () => alerts.updateThreshold(actor, "shop", "no-such-threshold", { value: 1 }),
      () => alerts.deleteThreshold(actor, "shop", "no-such-threshold"),
    ]) {
      const error = await attempt().catch((e: unknown) => e);
      expect(isAppError(error) && error.status).toBe(404);
    }
  });
});
