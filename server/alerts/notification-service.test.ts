import pino from "pino";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { Actor } from "@/server/admin/admin-service";
import type { DeliveryRecord } from "@/server/admin/admin-types";
import { AuditStore } from "@/server/admin/audit-store";
import { DeliveryStore } from "@/server/alerts/delivery-store";
import type { Notice, NotifyOutcome } from "@/server/alerts/notice";
import {
  createNotificationService,
  type DeliveryTuning,
  type NotificationService,
} from "@/server/alerts/notification-service";
import { createPrismaClient, type PrismaClient } from "@/server/db/client";
import { parseEnv } from "@/server/env";
import { ManualClock } from "@/server/testing/engine-fixture";
import { type FakeSns, startFakeSns, useFakeAwsCredentials } from "@/server/testing/fake-sns";
import { tempDatabaseUrl } from "@/server/testing/temp-db";

// The delivery worker against the real SNS client, over HTTP, to the fake SNS endpoint.

const defaultTopic = "arn:aws:sns:eu-west-1:123456789012:floodgate-default";
const roomTopic = "arn:aws:sns:eu-west-1:123456789012:room-default";
const ruleTopic = "arn:aws:sns:eu-west-1:123456789012:rule-waiting";
const actor: Actor = {
  user: { id: "u-1", email: "operator@example.com", name: "Op", role: "operator" },
  ip: "203.0.113.5",
};
const alarm: Notice = {
  roomId: "default",
  kind: "alarm",
  subject: "Room default: waiting 12 > 3",
  message: "ALARM: 12 visitors waiting in room default (threshold: more than 3 for 1 sample).",
};
// Small real delays: a whole retry sequence takes tens of milliseconds.
const fastTuning: Partial<DeliveryTuning> = { backoffBaseMs: 20, backoffMaxMs: 80, stopGraceMs: 100 };

let sns: FakeSns;
let restoreEnv: () => void;
const running: { service: NotificationService; db: PrismaClient }[] = [];

beforeAll(async () => {
  restoreEnv = useFakeAwsCredentials();
  sns = await startFakeSns();
  // The service loads the AWS SDK on its first send, and the SDK loads more on its first
  // request: seconds in a fresh process on a busy box (the PostgreSQL pass of a clean CI run
  // missed the 5-10 s deadlines below three times on it). Paid once here, before any timed test.
  const { createSnsPublisher } = await import("@/server/alerts/sns-publisher");
  await createSnsPublisher({ region: "eu-west-1", endpoint: sns.url, timeoutMs: 60_000 }).publish({
    deliveryId: "warm-up",
    topicArn: "arn:aws:sns:eu-west-1:123456789012:warm-up",
    roomId: null,
    kind: "alarm",
    subject: "warm-up",
    message: "warm-up",
  });
  sns.reset();
}, 120_000);
afterEach(async () => {
  for (const { service, db } of running.splice(0)) {
    await service.stop();
    await db.$disconnect();
  }
  sns.reset();
});
afterAll(async () => {
  await sns.close();
  restoreEnv();
});

function setup(
  options: {
    env?: Record<string, string | undefined>;
    tuning?: Partial<DeliveryTuning>;
    clock?: ManualClock;
    db?: PrismaClient;
    roomExists?: (roomId: string) => boolean;
  } = {},
) {
  const db = options.db ?? createPrismaClient(tempDatabaseUrl());
  const config = parseEnv({
    FLOODGATE_SNS_ENDPOINT: sns.url,
    FLOODGATE_SNS_TIMEOUT_MS: "300",
    FLOODGATE_SNS_TOPIC_ARN: defaultTopic,
    ...options.env,
  });
  const audit = new AuditStore(db, pino({ level: "silent" }));
  const service = createNotificationService({
    db,
    config,
    logger: pino({ level: "silent" }),
    audit,
    clock: options.clock?.now,
    roomExists: options.roomExists,
    tuning: { ...fastTuning, ...options.tuning },
    random: () => 0.5,
  });
  running.push({ service, db });
  return { db, service, audit };
}

function queuedId(outcome: NotifyOutcome): string {
  if (outcome.status !== "queued") throw new Error(`not queued: ${JSON.stringify(outcome)}`);
  return outcome.deliveryId;
}

async function deliveryOf(service: NotificationService, id: string): Promise<DeliveryRecord> {
  const { items } = await service.listDeliveries({ page: 1, pageSize: 200 });
  const delivery = items.find((d) => d.id === id);
  if (!delivery) throw new Error(`no delivery ${id}`);
  return delivery;
}

async function waitForDelivery(
  service: NotificationService,
  id: string,
  predicate: (delivery: DeliveryRecord) => boolean,
  // Generous: the first send loads the AWS SDK, slow on a busy box (the PostgreSQL run shares it).
  timeoutMs = 10_000,
): Promise<DeliveryRecord> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const delivery = await deliveryOf(service, id);
    if (predicate(delivery)) return delivery;
    if (Date.now() > deadline) throw new Error(`delivery stayed ${JSON.stringify(delivery)}`);
    await sleep(10);
  }
}

async function waitUntil(condition: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await sleep(10);
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("delivery to SNS", () => {
  it("publishes the notice with the real SNS client: topic, subject, message and attributes", async () => {
    const { service } = setup();
    service.start();
    const id = queuedId(await service.notify({ ...alarm, subject: "Room default:\nwaiting 12 → 3" }));
    const [received] = await sns.waitFor((messages) => messages.length === 1);
    expect(received).toMatchObject({
      topicArn: defaultTopic,
      subject: "Room default: waiting 12 -> 3",
      message: alarm.message,
      attributes: { room: "default", kind: "alarm" },
      signingRegion: "eu-west-1",
    });
    const delivery = await waitForDelivery(service, id, (d) => d.status === "sent");
    expect(delivery).toMatchObject({ attempts: 1, messageId: received?.messageId, lastError: null, kind: "alarm" });
    expect(delivery.sentAt).not.toBeNull();
  });

  it.each([
    ["the notice's own topic first", { notice: ruleTopic, channel: roomTopic, fallback: defaultTopic }, ruleTopic],
    ["else the room's channel", { notice: null, channel: roomTopic, fallback: defaultTopic }, roomTopic],
    ["else the default topic", { notice: null, channel: null, fallback: defaultTopic }, defaultTopic],
    ["none: no_channel, and nothing recorded", { notice: null, channel: null, fallback: undefined }, null],
  ])("resolves the topic: %s", async (_name, topics, expected) => {
    const { service } = setup({ env: { FLOODGATE_SNS_TOPIC_ARN: topics.fallback } });
    if (topics.channel) await service.setChannel(actor, "default", topics.channel);
    const outcome = await service.notify({ ...alarm, topicArn: topics.notice });
    const log = await service.listDeliveries({ page: 1, pageSize: 10 });
    if (expected === null) {
      expect(outcome).toEqual({ status: "no_channel" });
      expect(log.total).toBe(0);
    } else {
      expect(log.items).toEqual([expect.objectContaining({ id: queuedId(outcome), topicArn: expected })]);
    }
  });

  it("retries a failing SNS until it is sent, keeping the last error", async () => {
    const { service } = setup();
    sns.failNext(2);
    service.start();
    const id = queuedId(await service.notify(alarm));
    const delivery = await waitForDelivery(service, id, (d) => d.status === "sent");
    expect(delivery.attempts).toBe(3);
    expect(delivery.lastError).toMatch(/InternalFailure \(HTTP 500\)/);
    expect(sns.publishRequests()).toBe(3);
    expect(sns.messages).toHaveLength(1);
  });

  it("waits the backoff between attempts: doubling steps with jitter, on the service's clock", async () => {
    const clock = new ManualClock(Date.now());
    const { service } = setup({ clock });
    sns.setMode("fail");
    service.start();
    const id = queuedId(await service.notify(alarm));
    await waitForDelivery(service, id, (d) => d.attempts === 1 && d.status === "retrying");
    // Step 20 ms, then 40 ms; jitter 0.5 of the upper half: the 2nd attempt is due 15 ms after
    // the 1st fails, the 3rd 30 ms after the 2nd. A millisecond early, nothing happens.
    for (const [attempts, backoffMs] of [
      [1, 15],
      [2, 30],
    ] as const) {
      await sleep(100);
      clock.advance(backoffMs - 1);
      await service.deliverDue();
      await sleep(100);
      expect((await deliveryOf(service, id)).attempts).toBe(attempts);
      clock.advance(1);
      await service.deliverDue();
      await waitForDelivery(service, id, (d) => d.attempts === attempts + 1 && d.status === "retrying");
    }
    expect(sns.publishRequests()).toBe(3);
  });

  it("gives a hanging SNS one timeout per attempt, then retries", async () => {
    const { service } = setup();
    sns.setMode("hang");
    service.start();
    const id = queuedId(await service.notify(alarm));
    const retrying = await waitForDelivery(service, id, (d) => d.status === "retrying");
    expect(retrying).toMatchObject({ attempts: 1, lastError: "no answer from SNS within 300 ms" });
    sns.setMode("ok");
    const sent = await waitForDelivery(service, id, (d) => d.status === "sent");
    expect(sent.attempts).toBeGreaterThanOrEqual(2);
    expect(sns.messages).toHaveLength(1);
  });

  it("never makes notify wait on SNS, and keeps at most `concurrency` publishes in flight", async () => {
    const { service } = setup({ env: { FLOODGATE_SNS_TIMEOUT_MS: "5000" }, tuning: { concurrency: 3 } });
    sns.setMode("hang");
    await service.listDeliveries({ page: 1, pageSize: 1 }); // opens the database
    service.start();
    const slowestMs = [];
    for (let n = 0; n < 8; n++) {
      const started = performance.now();
      queuedId(await service.notify({ ...alarm, message: `notice ${n}` }));
      slowestMs.push(performance.now() - started);
    }
    expect(Math.max(...slowestMs)).toBeLessThan(200);
    await waitUntil(() => sns.publishRequests() === 3);
    await sleep(150);
    expect(sns.publishRequests()).toBe(3);
    // Stopping does not wait out the 5 s timeout either: a short grace, then the attempts are aborted.
    const stopping = performance.now();
    await service.stop();
    expect(performance.now() - stopping).toBeLessThan(1_000);
  });

  it.each([
    ["an unknown topic (NotFound) at once", "notFound" as const, 1, /^NotFound \(HTTP 404\): Topic does not exist$/],
    ["a failing SNS after maxAttempts", "fail" as const, 3, /^gave up after 3 attempts; last: InternalFailure/],
  ])("marks failed %s", async (_name, mode, attempts, error) => {
    const { service } = setup({ tuning: { maxAttempts: 3 } });
    sns.setMode(mode);
    service.start();
    const id = queuedId(await service.notify(alarm));
    const failed = await waitForDelivery(service, id, (d) => d.status === "failed");
    expect(failed.attempts).toBe(attempts);
    expect(failed.lastError).toMatch(error);
    await sleep(100);
    expect(sns.publishRequests()).toBe(attempts);
  });
});

describe("time-to-live", () => {
  it("drops a delivery still failing past its TTL, keeping its last error, and tries no more", async () => {
    const clock = new ManualClock(Date.now());
    const { service } = setup({ clock, env: { FLOODGATE_ALERT_TTL_S: "10" } });
    sns.setMode("fail");
    service.start();
    const id = queuedId(await service.notify(alarm));
    const retrying = await waitForDelivery(service, id, (d) => d.status === "retrying");
    expect(new Date(retrying.expiresAt).getTime() - new Date(retrying.createdAt).getTime()).toBe(10_000);
    clock.advance(10_000);
    await service.deliverDue();
    const dropped = await deliveryOf(service, id);
    expect(dropped).toMatchObject({ status: "dropped", attempts: 1, sentAt: null });
    expect(dropped.lastError).toMatch(/InternalFailure/);
    sns.setMode("ok");
    await service.deliverDue();
    await sleep(100);
    expect(sns.publishRequests()).toBe(1);
  });

  it("drops one that was never tried (Floodgate was down longer than the TTL) and says why", async () => {
    const clock = new ManualClock(Date.now());
    const { service } = setup({ clock, env: { FLOODGATE_ALERT_TTL_S: "10" } });
    const id = queuedId(await service.notify(alarm));
    clock.advance(10_001);
    service.start();
    const dropped = await waitForDelivery(service, id, (d) => d.status === "dropped");
    expect(dropped).toMatchObject({ attempts: 0, lastError: "not sent within the time-to-live (10 s)" });
    expect(sns.publishRequests()).toBe(0);
  });
});

describe("restart and housekeeping", () => {
  it("leaves an attempt cut short by stop() pending, and the next process sends it", async () => {
    const first = setup({ env: { FLOODGATE_SNS_TIMEOUT_MS: "5000" } });
    sns.setMode("hang");
    first.service.start();
    const id = queuedId(await first.service.notify(alarm));
    await waitUntil(() => sns.publishRequests() === 1);
    await first.service.stop();
    expect(await deliveryOf(first.service, id)).toMatchObject({ status: "pending", attempts: 0 });

    sns.setMode("ok");
    const second = setup({ db: first.db });
    second.service.start();
    const sent = await waitForDelivery(second.service, id, (d) => d.status === "sent");
    expect(sent.attempts).toBe(1);
    expect(sns.messages.map((m) => m.message)).toEqual([alarm.message]);
  });

  it("prunes finished deliveries past keepDays and beyond keepRows, never open ones", async () => {
    const clock = new ManualClock(Date.now());
    const { service, db } = setup({ clock, tuning: { keepDays: 30, keepRows: 3 } });
    const store = new DeliveryStore(db);
    const dayMs = 86_400_000;
    const add = async (id: string, ageMs: number, finish: boolean) => {
      const createdAtMs = clock.now() - ageMs;
      await store.insert({ ...alarm, id, topicArn: defaultTopic, createdAtMs, expiresAtMs: createdAtMs + 600_000 });
      if (finish) await store.markSent(id, 1, `m-${id}`, createdAtMs + 1);
    };
    await add("ancient-sent", 40 * dayMs, true);
    await add("ancient-open", 40 * dayMs, false);
    for (let n = 1; n <= 4; n++) await add(`recent-${n}`, n * 60_000, true);
    expect(await service.prune()).toBe(2);
    const { items } = await service.listDeliveries({ page: 1, pageSize: 50 });
    expect(items.map((d) => d.id)).toEqual(["recent-1", "recent-2", "recent-3", "ancient-open"]);
  });
});

describe("channels, test notifications, failures", () => {
  it("sets and clears a room's channel, audited, and refuses an unknown room", async () => {
    const { service, audit } = setup({ roomExists: (roomId) => roomId === "default" });
    expect(await service.getChannel("default")).toEqual({
      roomId: "default",
      topicArn: null,
      defaultTopicArn: defaultTopic,
      deliverable: true,
    });
    expect(await service.setChannel(actor, "default", roomTopic)).toMatchObject({ topicArn: roomTopic });
    expect(await service.getChannel("default")).toMatchObject({ topicArn: roomTopic });
    await service.setChannel(actor, "default", null);
    expect(await service.getChannel("default")).toMatchObject({ topicArn: null });
    const { items } = await audit.list({ action: "room.channel", page: 1, pageSize: 10 });
    expect(items.map((e) => [e.before, e.after])).toEqual([
      [{ topicArn: roomTopic }, { topicArn: null }],
      [{ topicArn: null }, { topicArn: roomTopic }],
    ]);
    expect(items[0]).toMatchObject({ actorEmail: "operator@example.com", roomId: "default", ip: "203.0.113.5" });
    await expect(service.setChannel(actor, "nope", roomTopic)).rejects.toMatchObject({ code: "room_not_found" });
    await expect(service.getChannel("nope")).rejects.toMatchObject({ code: "room_not_found" });
  });

  it("reports a room with no topic anywhere as not deliverable", async () => {
    const { service } = setup({ env: { FLOODGATE_SNS_TOPIC_ARN: undefined } });
    expect(await service.getChannel("default")).toMatchObject({ defaultTopicArn: null, deliverable: false });
  });

  it("sends a test notification through the room's channel and audits it", async () => {
    const { service, audit } = setup();
    await service.setChannel(actor, "default", roomTopic);
    service.start();
    const { outcome } = await service.sendTest(actor, "default");
    const [received] = await sns.waitFor((messages) => messages.length === 1);
    expect(received).toMatchObject({ topicArn: roomTopic, attributes: { kind: "test", room: "default" } });
    expect(received?.subject).toMatch(/test notification/i);
    expect(received?.message).toContain("operator@example.com");
    const { items } = await audit.list({ action: "notification.test", page: 1, pageSize: 1 });
    expect(items[0]?.after).toEqual({ status: "queued", deliveryId: queuedId(outcome) });
  });

  it("answers not_recorded instead of throwing when the log cannot be written", async () => {
    const { service, db } = setup();
    await db.$executeRawUnsafe('DROP TABLE "Delivery"');
    await expect(service.notify(alarm)).resolves.toEqual({
      status: "not_recorded",
      reason: "the delivery log could not be written",
    });
  });
});
