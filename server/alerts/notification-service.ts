import "server-only";
import { randomUUID } from "node:crypto";
import type { Actor } from "@/server/admin/admin-service";
import type { DeliveryListResponse, DeliveryRecord, NotificationChannelResponse } from "@/server/admin/admin-types";
import type { AuditStore } from "@/server/admin/audit-store";
import { type DeliveryFilter, DeliveryStore } from "@/server/alerts/delivery-store";
import type { Notice, Notifier, NotifyOutcome } from "@/server/alerts/notice";
import type { SnsPublisher } from "@/server/alerts/sns-publisher";
import { WakeTimer } from "@/server/alerts/wake-timer";
import { AppError } from "@/server/api/errors";
import type { PrismaClient } from "@/server/db/client";
import type { Env } from "@/server/env";
import type { Logger } from "@/server/log";

// Notifications to Amazon SNS, in two halves that never wait on each other. notify() resolves
// the topic and records a pending delivery (one SQLite write, no network); a background worker
// publishes due deliveries a few at a time, each attempt bounded by a timeout, retried with
// exponential backoff and jitter until sent, failed (a non-retryable answer or too many
// attempts) or dropped (older than the time-to-live: a stale alarm is worse than none). The
// log lives in the database, so pending deliveries survive a restart and the worker resumes them.

export type DeliveryTuning = {
  /** Attempts before a delivery that keeps failing is marked failed. */
  maxAttempts: number;
  /** Backoff before the 2nd attempt; doubles each time, up to backoffMaxMs, with jitter. */
  backoffBaseMs: number;
  backoffMaxMs: number;
  /** Publishes in flight at once (and so the most rows one pass of the worker takes). */
  concurrency: number;
  /** The worker looks at the log at least this often, whatever it expects. */
  idlePollMs: number;
  /** How long stop() lets an attempt in flight finish before aborting it. */
  stopGraceMs: number;
  pruneIntervalMs: number;
  keepDays: number;
  keepRows: number;
};

export const defaultDeliveryTuning: DeliveryTuning = {
  maxAttempts: 6,
  backoffBaseMs: 1_000,
  backoffMaxMs: 60_000,
  concurrency: 4,
  idlePollMs: 30_000,
  stopGraceMs: 1_000,
  pruneIntervalMs: 3_600_000,
  keepDays: 30,
  keepRows: 10_000,
};

export type NotificationServiceDeps = {
  db: PrismaClient;
  config: Env;
  logger: Logger;
  audit: AuditStore;
  /** Epoch ms; tests pass a manual clock. */
  clock?: () => number;
  /** Whether a room exists (the engine knows); unset: any room id is taken. */
  roomExists?: (roomId: string) => boolean;
  tuning?: Partial<DeliveryTuning>;
  /** Jitter source in [0, 1); tests make it predictable. */
  random?: () => number;
};

export function createNotificationService(deps: NotificationServiceDeps): NotificationService {
  return new NotificationService(deps);
}

/** The shortest nap between two passes, so a clock that stands still cannot spin the worker. */
const minSleepMs = 10;

type Attempt = { controller: AbortController; done: Promise<void> };

export class NotificationService implements Notifier {
  private readonly store: DeliveryStore;
  private readonly now: () => number;
  private readonly tuning: DeliveryTuning;
  private readonly random: () => number;
  private readonly inFlight = new Map<string, Attempt>();
  private publisher: Promise<SnsPublisher> | null = null;
  private running = false;
  private passing: Promise<void> | null = null;
  private passRequested = false;
  private readonly wakeTimer = new WakeTimer(() => void this.deliverDue());
  private pruneTimer: NodeJS.Timeout | null = null;

  constructor(private readonly deps: NotificationServiceDeps) {
    this.store = new DeliveryStore(deps.db);
    this.now = deps.clock ?? Date.now;
    this.tuning = { ...defaultDeliveryTuning, ...deps.tuning };
    this.random = deps.random ?? Math.random;
  }

  // ---- Notifier -------------------------------------------------------------------------------

  /**
   * Records the notice for delivery and wakes the worker; never waits on SNS and never throws.
   * `not_recorded`: the delivery log could not be written (logged); the notice is lost.
   */
  async notify(notice: Notice): Promise<NotifyOutcome> {
    try {
      const topicArn = await this.topicFor(notice);
      if (!topicArn) return { status: "no_channel" };
      const createdAtMs = this.now();
      const id = randomUUID();
      await this.store.insert({
        id,
        roomId: notice.roomId,
        kind: notice.kind,
        topicArn,
        subject: notice.subject,
        message: notice.message,
        createdAtMs,
        expiresAtMs: createdAtMs + this.deps.config.FLOODGATE_ALERT_TTL_S * 1000,
      });
      this.wake();
      return { status: "queued", deliveryId: id };
    } catch (error) {
      this.deps.logger.error({ err: error, room: notice.roomId, kind: notice.kind }, "notification not recorded");
      return { status: "not_recorded", reason: "the delivery log could not be written" };
    }
  }

  // ---- the worker ---------------------------------------------------------------------------

  /** Starts delivering (pending deliveries from before a restart first) and pruning the log. */
  start(): void {
    if (this.running) return;
    this.running = true;
    this.wake();
    this.pruneTimer = setInterval(() => void this.pruneQuietly(), this.tuning.pruneIntervalMs);
    this.pruneTimer.unref();
    void this.pruneQuietly();
  }

  /**
   * Stops the worker: attempts in flight get stopGraceMs to finish, then are aborted and left
   * as they were (the next start tries them again).
   */
  async stop(): Promise<void> {
    this.running = false;
    this.wakeTimer.cancel();
    if (this.pruneTimer) clearInterval(this.pruneTimer);
    this.pruneTimer = null;
    await this.passing;
    const attempts = [...this.inFlight.values()];
    const settled = Promise.all(attempts.map((a) => a.done));
    let graceTimer: NodeJS.Timeout | undefined;
    const grace = new Promise<void>((resolve) => {
      graceTimer = setTimeout(resolve, this.tuning.stopGraceMs);
    });
    await Promise.race([settled, grace]);
    clearTimeout(graceTimer);
    for (const attempt of attempts) attempt.controller.abort();
    await settled;
    const publisher = await this.publisher?.catch(() => null);
    publisher?.destroy();
    this.publisher = null;
  }

  /** Runs the worker soon (a new delivery, an attempt finished). */
  private wake(): void {
    if (!this.running) return;
    this.schedule(0);
  }

  /** Runs the worker in delayMs, or sooner if a sooner run is already set. */
  private schedule(delayMs: number): void {
    this.wakeTimer.wakeIn(delayMs);
  }

  /**
   * One pass: drops what outlived its TTL, starts attempts for due deliveries while there are
   * free slots, and sets the next wake-up. Passes never overlap; one asked for meanwhile runs next.
   */
  deliverDue(): Promise<void> {
    if (this.passing) {
      this.passRequested = true;
      return this.passing;
    }
    this.passing = this.runPasses().finally(() => {
      this.passing = null;
    });
    return this.passing;
  }

  private async runPasses(): Promise<void> {
    do {
      this.passRequested = false;
      try {
        await this.runPass();
      } catch (error) {
        this.deps.logger.error({ err: error }, "notification worker pass failed");
        if (this.running) this.schedule(this.tuning.backoffBaseMs);
        return;
      }
    } while (this.passRequested && this.running);
  }

  private async runPass(): Promise<void> {
    if (!this.running) return;
    const nowMs = this.now();
    const busy = [...this.inFlight.keys()];
    const dropped = await this.store.dropExpired(nowMs, busy, this.dropNote());
    if (dropped) this.deps.logger.warn({ dropped }, "notifications dropped: older than their time-to-live");
    const free = this.tuning.concurrency - this.inFlight.size;
    for (const delivery of await this.store.due(nowMs, free, busy)) this.startAttempt(delivery);
    if (!this.running) return;
    // Every slot busy: the first attempt to finish wakes the worker. Else sleep until the next
    // attempt or expiry of a delivery not in flight.
    if (this.inFlight.size >= this.tuning.concurrency) return this.schedule(this.tuning.idlePollMs);
    const nextMs = await this.store.nextWakeAtMs([...this.inFlight.keys()]);
    const sleepMs = nextMs === null ? this.tuning.idlePollMs : Math.min(this.tuning.idlePollMs, nextMs - this.now());
    this.schedule(Math.max(minSleepMs, sleepMs));
  }

  private startAttempt(delivery: DeliveryRecord): void {
    const controller = new AbortController();
    const done = this.attempt(delivery, controller.signal)
      .catch((error) => this.deps.logger.error({ err: error, delivery: delivery.id }, "notification attempt failed"))
      .finally(() => {
        this.inFlight.delete(delivery.id);
        this.wake();
      });
    this.inFlight.set(delivery.id, { controller, done });
  }

  private async attempt(delivery: DeliveryRecord, signal: AbortSignal): Promise<void> {
    const attempts = delivery.attempts + 1;
    let failure: { message: string; retryable: boolean };
    try {
      const publisher = await this.loadPublisher();
      const { messageId } = await publisher.publish(
        {
          deliveryId: delivery.id,
          topicArn: delivery.topicArn,
          roomId: delivery.roomId,
          kind: delivery.kind,
          subject: delivery.subject,
          message: delivery.message,
        },
        signal,
      );
      await this.store.markSent(delivery.id, attempts, messageId, this.now());
      return;
    } catch (error) {
      // Stopped mid-attempt: leave the delivery as it was, for the next start.
      if (signal.aborted) return;
      failure = describeFailure(error);
    }
    const log = { delivery: delivery.id, room: delivery.roomId, attempts, error: failure.message };
    if (!failure.retryable || attempts >= this.tuning.maxAttempts) {
      const why = failure.retryable ? `gave up after ${attempts} attempts; last: ${failure.message}` : failure.message;
      await this.store.markFailed(delivery.id, attempts, why);
      this.deps.logger.error(log, "notification failed");
      return;
    }
    const nextAttemptAtMs = this.now() + this.backoffMs(attempts);
    await this.store.markRetrying(delivery.id, attempts, failure.message, nextAttemptAtMs);
    this.deps.logger.warn(log, "notification not sent yet; will retry");
  }

  /** Exponential, capped, with "equal jitter": between half and all of the step. */
  private backoffMs(attempts: number): number {
    const stepMs = Math.min(this.tuning.backoffMaxMs, this.tuning.backoffBaseMs * 2 ** (attempts - 1));
    return Math.round(stepMs / 2 + (this.random() * stepMs) / 2);
  }

  /** The AWS SDK is loaded on the first send only. A failed load is retried by the next attempt. */
  private loadPublisher(): Promise<SnsPublisher> {
    if (!this.publisher) {
      const { config } = this.deps;
      this.publisher = import("@/server/alerts/sns-publisher").then(({ createSnsPublisher }) =>
        createSnsPublisher({
          region: config.FLOODGATE_SNS_REGION,
          endpoint: config.FLOODGATE_SNS_ENDPOINT,
          timeoutMs: config.FLOODGATE_SNS_TIMEOUT_MS,
        }),
      );
      this.publisher.catch(() => {
        this.publisher = null;
      });
    }
    return this.publisher;
  }

  private dropNote(): string {
    return `not sent within the time-to-live (${this.deps.config.FLOODGATE_ALERT_TTL_S} s)`;
  }

  /** Deletes finished deliveries past keepDays, and the oldest beyond keepRows. */
  async prune(): Promise<number> {
    const olderThanMs = this.now() - this.tuning.keepDays * 86_400_000;
    return this.store.prune(olderThanMs, this.tuning.keepRows);
  }

  private async pruneQuietly(): Promise<void> {
    try {
      const deleted = await this.prune();
      if (deleted) this.deps.logger.info({ deleted }, "delivery log pruned");
    } catch (error) {
      this.deps.logger.error({ err: error }, "delivery log not pruned");
    }
  }

  // ---- the console's side -------------------------------------------------------------------

  listDeliveries(filter: DeliveryFilter): Promise<DeliveryListResponse> {
    return this.store.list(filter);
  }

  async getChannel(roomId: string): Promise<NotificationChannelResponse> {
    this.requireRoom(roomId);
    return this.channelResponse(roomId, await this.store.channelTopic(roomId));
  }

  /** Sets the room's own topic; null: back to the default. */
  async setChannel(actor: Actor, roomId: string, topicArn: string | null): Promise<NotificationChannelResponse> {
    this.requireRoom(roomId);
    const before = await this.store.setChannelTopic(roomId, topicArn);
    if (before !== topicArn) {
      await this.deps.audit.recordBy(actor, {
        action: "room.channel",
        roomId,
        before: { topicArn: before },
        after: { topicArn },
      });
    }
    return this.channelResponse(roomId, topicArn);
  }

  /** A deleted room's channel goes with it (the delivery log stays), so a new room of that id starts clean. */
  async forgetRoom(roomId: string): Promise<void> {
    await this.store.setChannelTopic(roomId, null);
  }

  /** Sends a test notification through the room's channel (or the default); see it in the delivery log. */
  async sendTest(actor: Actor, roomId: string): Promise<{ outcome: NotifyOutcome }> {
    this.requireRoom(roomId);
    const outcome = await this.notify({
      roomId,
      kind: "test",
      subject: `Floodgate test notification (room ${roomId})`,
      message:
        `Test notification for room "${roomId}", sent from the Floodgate console by ${actor.user.email} ` +
        `at ${new Date(this.now()).toISOString()}. If you can read this, the room's alerts reach you.`,
    });
    await this.deps.audit.recordBy(actor, {
      action: "notification.test",
      roomId,
      after: outcome.status === "queued" ? { status: "queued", deliveryId: outcome.deliveryId } : outcome,
    });
    return { outcome };
  }

  private channelResponse(roomId: string, topicArn: string | null): NotificationChannelResponse {
    const defaultTopicArn = this.deps.config.FLOODGATE_SNS_TOPIC_ARN ?? null;
    return { roomId, topicArn, defaultTopicArn, deliverable: (topicArn ?? defaultTopicArn) !== null };
  }

  private requireRoom(roomId: string): void {
    if (this.deps.roomExists && !this.deps.roomExists(roomId)) {
      throw new AppError("room_not_found", `There is no room "${roomId}".`);
    }
  }

  /** The notice's own topic, else the room's channel, else the default; null: none applies. */
  private async topicFor(notice: Notice): Promise<string | null> {
    if (notice.topicArn) return notice.topicArn;
    const channel = notice.roomId ? await this.store.channelTopic(notice.roomId) : null;
    return channel ?? this.deps.config.FLOODGATE_SNS_TOPIC_ARN ?? null;
  }
}

function describeFailure(error: unknown): { message: string; retryable: boolean } {
  // A PublishFailure from the lazily loaded module (recognised by shape: no static import here).
  const e = error as { name?: string; message?: string; retryable?: unknown };
  if (e?.name === "PublishFailure" && typeof e.retryable === "boolean") {
    return { message: e.message ?? "publish failed", retryable: e.retryable };
  }
  return { message: `could not publish: ${e?.message ?? String(error)}`, retryable: true };
}
