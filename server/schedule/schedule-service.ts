import "server-only";
import { createHash } from "node:crypto";
import type { Actor } from "@/server/admin/admin-service";
import type {
  ApiKeyCreatedResponse,
  ApiKeyListResponse,
  ApiKeyRecord,
  CapacityPlanResponse,
  ScaleEventListResponse,
  ScaleEventResponse,
  SurgePolicyRecord,
  SurgeRecord,
  SurgeTriggerResponse,
} from "@/server/admin/admin-types";
import { type AuditStore, machineActor } from "@/server/admin/audit-store";
import {
  type EventInput,
  type EventPatch,
  type EventsQuery,
  type SurgePolicyInput,
  surgeTriggerBody,
} from "@/server/admin/schemas/schedule";
import type { Notifier } from "@/server/alerts/notice";
import { AppError } from "@/server/api/errors";
import type { PrismaClient } from "@/server/db/client";
import type { Env } from "@/server/env";
import type { Logger } from "@/server/log";
import { announceScaleAction, formatUtc, quoted } from "@/server/schedule/announcement";
import { ApiKeyAuth, parseMachineBody } from "@/server/schedule/api-key-auth";
import { ApiKeyStore, type StoredApiKey, toApiKeyRecord } from "@/server/schedule/api-key-store";
import { leadStartMs, planCapacity, surgeIsActive } from "@/server/schedule/capacity-plan";
import {
  type EventChanges,
  eventSummary,
  pickSummary,
  ScaleEventStore,
  type StoredEvent,
  toEventRecord,
} from "@/server/schedule/event-store";
import { idempotencyTtlMs, Scheduler, type ScheduleTarget } from "@/server/schedule/scheduler";
import { SurgeStore, toSurgeRecord } from "@/server/schedule/surge-store";

// Scale events, surges and API keys: what the console and the surge trigger may do, one method
// per action. Every change goes through the scheduler (so it applies at once, between two of its
// passes) and is audited; scale actions are announced to the room's channel.

export type ScheduleServiceDeps = {
  db: PrismaClient;
  config: Env;
  engine: ScheduleTarget;
  logger: Logger;
  audit: AuditStore;
  notifier: Notifier;
  clock?: () => number;
};

/** A start this recent counts as "now" (the form was filled in a moment ago). */
const nowGraceMs = 60_000;
const maxOpenEventsPerRoom = 200;
const maxListedEvents = 1_000;
const defaultListPastMs = 7 * 86_400_000;
const defaultListFutureMs = 90 * 86_400_000;
const defaultHoldMinutes = 30;
const recentSurges = 50;

export function createScheduleService(deps: ScheduleServiceDeps): ScheduleService {
  return new ScheduleService(deps);
}

export class ScheduleService {
  private readonly events: ScaleEventStore;
  private readonly surges: SurgeStore;
  private readonly apiKeys: ApiKeyStore;
  /** Who may call the machine routes (the surge trigger here, the end-session trigger too). */
  readonly keyAuth: ApiKeyAuth;
  private readonly engine: ScheduleTarget;
  private readonly audit: AuditStore;
  /** Where scale actions are told and recorded. */
  private readonly announcer: { notifier: Notifier; audit: AuditStore };
  private readonly logger: Logger;
  private readonly now: () => number;
  readonly scheduler: Scheduler;

  constructor(deps: ScheduleServiceDeps) {
    this.events = new ScaleEventStore(deps.db);
    this.surges = new SurgeStore(deps.db);
    this.apiKeys = new ApiKeyStore(deps.db);
    this.keyAuth = new ApiKeyAuth(this.apiKeys, deps.logger, deps.clock ?? Date.now);
    this.engine = deps.engine;
    this.audit = deps.audit;
    this.announcer = { notifier: deps.notifier, audit: deps.audit };
    this.logger = deps.logger;
    this.now = deps.clock ?? Date.now;
    this.scheduler = new Scheduler({
      events: this.events,
      surges: this.surges,
      apiKeys: this.apiKeys,
      engine: deps.engine,
      audit: deps.audit,
      notifier: deps.notifier,
      logger: deps.logger,
      clock: this.now,
      tickMs: deps.config.FLOODGATE_SCHEDULER_TICK_MS,
    });
  }

  /** Catches up on what was due while down, then applies events and surges every tick. */
  start(): Promise<void> {
    return this.scheduler.start();
  }

  stop(): Promise<void> {
    return this.scheduler.stop();
  }

  // ---- scale events ----------------------------------------------------------------------------

  /** Events overlapping [from, to] (default: the last 7 days to the next 90), newest start first. */
  async listEvents(query: EventsQuery): Promise<ScaleEventListResponse> {
    const nowMs = this.now();
    const events = await this.events.list({
      roomId: query.room,
      fromMs: query.from ?? nowMs - defaultListPastMs,
      toMs: query.to ?? nowMs + defaultListFutureMs,
      limit: maxListedEvents,
    });
    return { events: events.map(toEventRecord) };
  }

  listRoomEvents(roomId: string, query: Omit<EventsQuery, "room"> = {}): Promise<ScaleEventListResponse> {
    this.engine.roomConfig(roomId);
    return this.listEvents({ ...query, room: roomId });
  }

  async getEvent(roomId: string, eventId: string): Promise<ScaleEventResponse> {
    return { event: toEventRecord(await this.requireEvent(roomId, eventId)) };
  }

  async createEvent(actor: Actor, roomId: string, input: EventInput): Promise<ScaleEventResponse> {
    this.engine.roomConfig(roomId);
    const nowMs = this.now();
    const draft = {
      roomId,
      name: input.name,
      startsAtMs: this.resolveStart(input.startsAt, nowMs),
      endsAtMs: input.endsAt,
      capacity: input.capacity,
      newUsersPerMinute: input.newUsersPerMinute ?? null,
      leadMinutes: input.leadMinutes,
      preQueue: input.preQueue,
      createdBy: actor.user.email,
    };
    const open = await this.events.listOpen(roomId);
    if (open.length >= maxOpenEventsPerRoom) {
      throw new AppError(
        "validation_failed",
        `Room "${roomId}" already has ${open.length} upcoming events; cancel some first.`,
      );
    }
    this.checkEvent(draft, open, nowMs, true);
    const { result: created } = await this.scheduler.change(roomId, async () => {
      const stored = await this.events.create(draft);
      // Recorded before the pass that follows, which may apply its lead time or start at once:
      // the log reads "scheduled" before what it set off. Its status is the next entry's to say.
      const { status: _status, ...summary } = eventSummary(stored);
      await this.audit.recordBy(actor, {
        action: "event.create",
        roomId,
        target: stored.id,
        after: summary,
        reason: input.reason,
      });
      return stored;
    });
    // The pass that followed may have started it already ("now").
    const event = (await this.events.find(created.id)) ?? created;
    return { event: toEventRecord(event) };
  }

  /**
   * Edits an event. Before its lead time anything may change; in its lead time or while it
   * runs only its end and capacity (the rest has happened); after, nothing.
   */
  async updateEvent(actor: Actor, roomId: string, eventId: string, patch: EventPatch): Promise<ScaleEventResponse> {
    const event = await this.requireEvent(roomId, eventId);
    if (event.status === "ended" || event.status === "cancelled") {
      throw new AppError("conflict", `This event has ${event.status}: it can no longer change.`);
    }
    const nowMs = this.now();
    const wanted: EventChanges = {
      name: patch.name,
      startsAtMs: patch.startsAt === undefined ? undefined : this.resolveStart(patch.startsAt, nowMs),
      endsAtMs: patch.endsAt,
      capacity: patch.capacity,
      newUsersPerMinute: patch.newUsersPerMinute,
      leadMinutes: patch.leadMinutes,
      preQueue: patch.preQueue,
    };
    const changes = changedFields(event, wanted);
    if (!Object.keys(changes).length) return { event: toEventRecord(event) };
    if (event.status !== "scheduled") {
      const fixed = Object.keys(changes).filter(
        (key) => key !== "endsAtMs" && key !== "capacity" && key !== "newUsersPerMinute",
      );
      if (fixed.length) {
        throw new AppError(
          "conflict",
          `The event is ${event.status === "lead" ? "in its lead time" : "running"}: only endsAt, capacity and newUsersPerMinute can change now.`,
        );
      }
    }
    const next = { ...event, ...changes };
    if (event.status !== "scheduled" && next.endsAtMs <= nowMs) {
      throw new AppError("validation_failed", "endsAt is in the past: to stop the event now, cancel it.");
    }
    const others = (await this.events.listOpen(roomId)).filter((other) => other.id !== event.id);
    this.checkEvent(next, others, nowMs, event.status === "scheduled");

    const {
      result: updated,
      beforeCapacity,
      afterCapacity,
    } = await this.scheduler.change(roomId, () => this.events.update(event.id, event.status, changes));
    if (!updated) throw await this.movedOn(event);
    const fresh = (await this.events.find(event.id)) ?? updated;
    const fields = Object.keys(changes) as (keyof EventChanges)[];
    await this.audit.recordBy(actor, {
      action: "event.update",
      roomId,
      target: event.id,
      before: pickSummary(event, fields),
      after: pickSummary(fresh, fields),
      reason: patch.reason,
    });
    if (beforeCapacity !== afterCapacity) {
      await announceScaleAction(this.announcer, {
        roomId,
        actor,
        action: "event.scale",
        target: event.id,
        what: `scheduled event ${quoted(event.name)} changed by ${actor.user.email}`,
        beforeCapacity,
        afterCapacity,
        reason: patch.reason,
      });
    }
    return { event: toEventRecord(fresh) };
  }

  /** Cancels an event; one in its lead time or running is reverted at once (its pre-queue drawn in arrival order). */
  async cancelEvent(actor: Actor, roomId: string, eventId: string, reason?: string): Promise<ScaleEventResponse> {
    const event = await this.requireEvent(roomId, eventId);
    const nowMs = this.now();
    // Read again between the scheduler's passes: a phase it applied a moment ago is cancelled too.
    const { result, beforeCapacity, afterCapacity } = await this.scheduler.change(roomId, async () => {
      const current = (await this.events.find(event.id)) ?? event;
      if (current.status === "ended" || current.status === "cancelled") return { current, cancelled: null };
      const cancelled = await this.events.transition(current.id, current.status, "cancelled", { cancelledAtMs: nowMs });
      return { current, cancelled };
    });
    const { current, cancelled } = result;
    if (!cancelled) {
      if (current.status === "ended" || current.status === "cancelled") {
        throw new AppError("conflict", `This event has ${current.status} already.`);
      }
      throw await this.movedOn(event);
    }
    await announceScaleAction(this.announcer, {
      roomId,
      actor,
      action: "event.cancel",
      target: event.id,
      what: `scheduled event ${quoted(event.name)} (${current.status}) cancelled by ${actor.user.email}${reason ? `: ${reason}` : ""}`,
      beforeCapacity,
      afterCapacity,
      reason,
    });
    return { event: toEventRecord(cancelled) };
  }

  async capacityPlan(roomId: string): Promise<CapacityPlanResponse> {
    const baseCapacity = this.engine.roomConfig(roomId).capacity;
    const [events, surge, policy] = await Promise.all([
      this.events.listOpen(roomId),
      this.surges.current(roomId),
      this.surges.policy(roomId),
    ]);
    const nowMs = this.now();
    const plan = planCapacity({ baseCapacity, events, surge, nowMs });
    const preQueue = this.engine.preQueueOf(roomId);
    const preQueueEvent = preQueue
      ? events.find((event) => event.preQueue && event.startsAtMs === preQueue.startsAtMs)
      : undefined;
    return {
      roomId,
      baseCapacity,
      effectiveCapacity: plan.effectiveCapacity,
      sources: plan.sources,
      surge: surgeIsActive(surge, nowMs) && surge ? toSurgeRecord(surge) : null,
      policy,
      preQueue:
        preQueue && preQueueEvent
          ? {
              eventId: preQueueEvent.id,
              opensAt: new Date(preQueue.opensAtMs).toISOString(),
              startsAt: new Date(preQueue.startsAtMs).toISOString(),
              waiting: preQueue.waiting,
            }
          : null,
    };
  }

  // ---- surges ------------------------------------------------------------------------------------

  async surgePolicy(roomId: string): Promise<{ policy: SurgePolicyRecord | null }> {
    this.engine.roomConfig(roomId);
    return { policy: await this.surges.policy(roomId) };
  }

  async setSurgePolicy(
    actor: Actor,
    roomId: string,
    input: SurgePolicyInput,
  ): Promise<{ policy: SurgePolicyRecord | null }> {
    this.engine.roomConfig(roomId);
    const { reason, ...values } = input;
    const before = await this.surges.policy(roomId);
    const policy = await this.surges.setPolicy({
      roomId,
      ...values,
      newUsersPerMinute: values.newUsersPerMinute ?? null,
    });
    await this.audit.recordBy(actor, { action: "surge.policy", roomId, before, after: policy, reason });
    return { policy };
  }

  /**
   * A deleted room's surge policy goes with it, and its open events are cancelled now (noted
   * "the room no longer exists" in the audit log) rather than at the next pass.
   */
  async forgetRoom(roomId: string): Promise<void> {
    await this.surges.deletePolicy(roomId);
    await this.scheduler.tick();
  }

  async listSurges(roomId: string): Promise<{ surges: SurgeRecord[] }> {
    this.engine.roomConfig(roomId);
    return { surges: (await this.surges.listRecent(roomId, recentSurges)).map(toSurgeRecord) };
  }

  /** Ends the room's surge now (an operator's call). */
  async endSurge(actor: Actor, roomId: string, reason?: string): Promise<{ surge: SurgeRecord }> {
    this.engine.roomConfig(roomId);
    const surge = await this.surges.current(roomId);
    if (!surge) throw new AppError("not_found", `No surge is running in room "${roomId}".`);
    const nowMs = this.now();
    const {
      result: ended,
      beforeCapacity,
      afterCapacity,
    } = await this.scheduler.change(roomId, () => this.surges.end(surge.id, "operator", nowMs));
    if (!ended) throw new AppError("conflict", "The surge ended meanwhile.");
    await announceScaleAction(this.announcer, {
      roomId,
      actor,
      action: "surge.end",
      target: surge.id,
      what: `surge ended by ${actor.user.email}${reason ? `: ${reason}` : ""}`,
      beforeCapacity,
      afterCapacity,
      reason,
    });
    return { surge: toSurgeRecord(ended) };
  }

  /**
   * POST /api/triggers/surge, whole: the key (401 unknown or revoked, 403 out of scope), the
   * body (422), the Idempotency-Key (a retry gets the first answer), then start or extend.
   */
  async triggerSurge(
    presentedKey: string | null,
    body: unknown,
    idempotencyKey: string | null,
  ): Promise<{ status: number; body: SurgeTriggerResponse; replayed: boolean }> {
    const key = await this.keyAuth.authenticate(presentedKey);
    const request = parseMachineBody(surgeTriggerBody, body);
    await this.keyAuth.allow(key, request.room);
    this.engine.roomConfig(request.room);
    const nowMs = this.now();

    const requestHash = createHash("sha256")
      .update(JSON.stringify([request.room, request.capacity ?? null, request.holdMinutes ?? null]))
      .digest("hex");
    if (idempotencyKey) {
      const kept = await this.apiKeys.claimRequest(key.id, idempotencyKey, requestHash, nowMs, idempotencyTtlMs);
      if (kept && kept.requestHash !== requestHash) {
        throw new AppError("validation_failed", "This Idempotency-Key was already used with a different body.");
      }
      if (kept && kept.status === 0) {
        throw new AppError("conflict", "A request with this Idempotency-Key is still being handled; retry shortly.");
      }
      if (kept) return { status: kept.status, body: kept.response as SurgeTriggerResponse, replayed: true };
    }
    let answer: { status: number; body: SurgeTriggerResponse };
    try {
      answer = await this.startOrExtendSurge(key, request.room, request.capacity, request.holdMinutes);
    } catch (error) {
      if (idempotencyKey) await this.apiKeys.releaseRequest(key.id, idempotencyKey);
      throw error;
    }
    if (idempotencyKey) await this.apiKeys.completeRequest(key.id, idempotencyKey, answer.status, answer.body);
    return { ...answer, replayed: false };
  }

  private async startOrExtendSurge(
    key: StoredApiKey,
    roomId: string,
    capacity: number | undefined,
    holdMinutes: number | undefined,
  ): Promise<{ status: number; body: SurgeTriggerResponse }> {
    const policy = await this.surges.policy(roomId);
    const surgeCapacity = capacity ?? policy?.capacity;
    if (surgeCapacity === undefined) {
      throw new AppError("validation_failed", `Give a capacity: room "${roomId}" has no surge policy to take it from.`);
    }
    const actor = machineActor(`api-key:${key.name}`);
    const nowMs = this.now();
    const { result, beforeCapacity, afterCapacity } = await this.scheduler.change(roomId, () =>
      this.surges.startOrExtend({
        roomId,
        capacity: surgeCapacity,
        holdMinutes: holdMinutes ?? policy?.holdMinutes ?? defaultHoldMinutes,
        startedBy: actor.user.email,
        nowMs,
      }),
    );
    const { action, surge } = result;
    if (result.expired) {
      // Its hold ran out just before this trigger, before a pass could end it: recorded, not announced.
      await this.audit.recordBy(actor, {
        action: "surge.end",
        roomId,
        target: result.expired.id,
        reason: "hold_expired",
      });
    }
    await announceScaleAction(this.announcer, {
      roomId,
      actor,
      action: action === "started" ? "surge.start" : "surge.extend",
      target: surge.id,
      what: `surge ${action} by ${actor.user.email} (${surge.capacity}, hold until ${formatUtc(surge.holdUntilMs, nowMs)})`,
      beforeCapacity,
      afterCapacity,
    });
    return {
      status: action === "started" ? 201 : 200,
      body: { surge: toSurgeRecord(surge), action, effectiveCapacity: afterCapacity },
    };
  }

  // ---- API keys ----------------------------------------------------------------------------------

  async listApiKeys(): Promise<ApiKeyListResponse> {
    return { keys: (await this.apiKeys.list()).map(toApiKeyRecord) };
  }

  async createApiKey(actor: Actor, input: { name: string; rooms: string[] }): Promise<ApiKeyCreatedResponse> {
    const known = new Set(this.engine.roomIds());
    const unknown = input.rooms.filter((room) => !known.has(room));
    if (unknown.length) throw new AppError("validation_failed", `No such rooms: ${unknown.join(", ")}.`);
    const { key, secret } = await this.apiKeys.create({ ...input, createdBy: actor.user.email });
    await this.audit.recordBy(actor, {
      action: "apikey.create",
      target: key.id,
      after: { name: key.name, prefix: key.prefix, rooms: key.rooms },
    });
    return { key: toApiKeyRecord(key), secret };
  }

  /** Revokes a key (at once: its next call is refused). Revoking a revoked key changes nothing. */
  async revokeApiKey(actor: Actor, keyId: string): Promise<{ key: ApiKeyRecord }> {
    const found = await this.apiKeys.find(keyId);
    if (!found) throw new AppError("not_found", `No API key with id "${keyId}".`);
    if (found.revokedAtMs !== null) return { key: toApiKeyRecord(found) };
    const revoked = (await this.apiKeys.revoke(keyId, this.now())) ?? (await this.apiKeys.find(keyId)) ?? found;
    await this.audit.recordBy(actor, {
      action: "apikey.revoke",
      target: keyId,
      before: { name: found.name, revokedAt: null },
      after: { name: revoked.name, revokedAt: toApiKeyRecord(revoked).revokedAt },
    });
    return { key: toApiKeyRecord(revoked) };
  }

  // ---- helpers -----------------------------------------------------------------------------------

  private async requireEvent(roomId: string, eventId: string): Promise<StoredEvent> {
    this.engine.roomConfig(roomId);
    const event = await this.events.find(eventId);
    if (!event || event.roomId !== roomId) {
      throw new AppError("not_found", `No scale event "${eventId}" in room "${roomId}".`);
    }
    return event;
  }

  /** "now", or a start at most a minute ago (taken as now); earlier is refused. */
  private resolveStart(startsAt: number | "now", nowMs: number): number {
    if (startsAt === "now") return nowMs;
    if (startsAt < nowMs - nowGraceMs) {
      throw new AppError(
        "validation_failed",
        `startsAt is in the past (${new Date(startsAt).toISOString()}); use "now" to start at once.`,
      );
    }
    return Math.max(startsAt, nowMs);
  }

  /**
   * The rules that need the clock or other events: end after start; a pre-queue opens in the
   * future (it holds arrivals from its lead time on, so it needs one) and never overlaps another.
   */
  private checkEvent(
    event: Pick<StoredEvent, "startsAtMs" | "endsAtMs" | "leadMinutes" | "preQueue">,
    others: StoredEvent[],
    nowMs: number,
    checkPreQueueOpening: boolean,
  ): void {
    if (event.endsAtMs <= event.startsAtMs) throw new AppError("validation_failed", "endsAt must be after startsAt.");
    if (!event.preQueue) return;
    if (checkPreQueueOpening) {
      if (event.leadMinutes < 1) {
        throw new AppError(
          "validation_failed",
          "A pre-queue is open during the lead time: set leadMinutes to 1 or more.",
        );
      }
      if (leadStartMs(event) < nowMs - nowGraceMs) {
        throw new AppError(
          "validation_failed",
          `A pre-queue must open in the future: with ${event.leadMinutes} min of lead time it would have opened at ${new Date(leadStartMs(event)).toISOString()}. Start later or shorten the lead time.`,
        );
      }
    }
    const opens = leadStartMs(event);
    const clash = others.find(
      (other) =>
        other.preQueue &&
        other.status !== "running" &&
        leadStartMs(other) < event.startsAtMs &&
        opens < other.startsAtMs,
    );
    if (clash) {
      throw new AppError(
        "validation_failed",
        `Its pre-queue (${new Date(opens).toISOString()} to ${new Date(event.startsAtMs).toISOString()}) overlaps that of ${quoted(clash.name)}: a room has one pre-queue at a time.`,
      );
    }
  }

  private async movedOn(event: StoredEvent): Promise<AppError> {
    const fresh = await this.events.find(event.id);
    return new AppError(
      "conflict",
      `The event moved on to ${fresh?.status ?? "gone"} meanwhile; reload it and try again.`,
    );
  }
}

/** The changes that differ from the event as it is. */
function changedFields(event: StoredEvent, wanted: EventChanges): EventChanges {
  const changes: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(wanted)) {
    if (value !== undefined && event[key as keyof EventChanges] !== value) changes[key] = value;
  }
  return changes as EventChanges;
}
