import "server-only";
import { randomBytes } from "node:crypto";
import type { ScaleEventStatus, SurgePolicyRecord } from "@/server/admin/admin-types";
import { type AuditStore, machineActor } from "@/server/admin/audit-store";
import type { Notifier } from "@/server/alerts/notice";
import type { Logger } from "@/server/log";
import type { RoomConfig, RoomStats } from "@/server/queue/types";
import { announceScaleAction, formatDelay, formatUtc, quoted, type ScaleAction } from "@/server/schedule/announcement";
import type { ApiKeyStore } from "@/server/schedule/api-key-store";
import { type EventPhase, eventPhaseAt, leadStartMs, planCapacity } from "@/server/schedule/capacity-plan";
import type { ScaleEventStore, StoredEvent } from "@/server/schedule/event-store";
import type { StoredSurge, SurgeStore } from "@/server/schedule/surge-store";

// The scheduler: every tick it moves scale events through their phases, ends surges whose
// hold is over (or whose traffic stayed low), keeps each room's pre-queue in step with its
// events, and sets every room's capacity to what the plan says. Phases move by conditional
// updates and only the process whose update won announces and audits, so nothing is applied
// twice; capacity and pre-queues are derived from the stored state each tick, so a restart
// (or a lost race) converges instead of drifting. Design notes: server/schedule/README.md.

/** What the scheduler needs of the queue engine (QueueEngine implements it). */
export interface ScheduleTarget {
  roomIds(): string[];
  /** Throws AppError room_not_found. */
  roomConfig(roomId: string): RoomConfig;
  roomStats(roomId: string): RoomStats;
  /** null: the room's own capacity only (the engine takes the higher of the two). */
  setCapacityOverride(roomId: string, capacity: number | null): void;
  /** An active event's or surge's limit on admissions per minute; null: the room's own. */
  setNewUsersOverride(roomId: string, perMinute: number | null): void;
  effectiveCapacity(roomId: string): number;
  openPreQueue(roomId: string, window: { opensAtMs: number; startsAtMs: number }): void;
  releasePreQueue(roomId: string, seed: string | null): { shuffled: number };
  preQueueOf(roomId: string): { opensAtMs: number; startsAtMs: number; waiting: number } | null;
}

export type SchedulerOptions = {
  events: ScaleEventStore;
  surges: SurgeStore;
  apiKeys: ApiKeyStore;
  engine: ScheduleTarget;
  audit: AuditStore;
  notifier: Notifier;
  logger: Logger;
  clock: () => number;
  tickMs: number;
  /**
   * How old the stored events and surges a pass works from may be (default 5 s). A pass reads
   * them again sooner when it wrote something, and changes made through this scheduler re-read
   * at once: the refresh only bounds how late a change made by another process is seen.
   */
  refreshMs?: number;
};

/** The open events and current surges (and their rooms' policies), as read at readAtMs. */
type StoredState = {
  open: StoredEvent[];
  current: StoredSurge[];
  policies: Map<string, SurgePolicyRecord>;
  readAtMs: number;
};

const defaultRefreshMs = 5_000;

/** A phase applied later than this after it was due is announced as late. */
const lateAfterMs = 2_000;
/** Idempotency-Key answers are kept this long. */
export const idempotencyTtlMs = 24 * 3_600_000;
const pruneEveryMs = 10 * 60_000;
const minuteMs = 60_000;
/** After a restart, pre-queue draws of events that started this recently are re-applied. */
const reshuffleWindowMs = 24 * 3_600_000;
const schedulerActor = machineActor("scheduler");

/** Why a pass runs: the loop's tick, or a change just made through this scheduler. */
type PassCause = "tick" | "change";

/** A scale action found in a pass, announced once the pass has applied capacity. */
type PendingAction = Omit<ScaleAction, "beforeCapacity" | "afterCapacity">;

export class Scheduler {
  private timer: NodeJS.Timeout | null = null;
  /** Passes and changes run one at a time, in order: a tick never overlaps another or an edit. */
  private queue: Promise<unknown> = Promise.resolve();
  private running = false;
  private lastPruneMs = Number.NEGATIVE_INFINITY;
  /**
   * What the last read found: a pass twice a second must not cost two database queries each
   * time (on SQLite they share the queue store's one connection, and the hot path feels them).
   * Phases fall due by the clock, so a pass works from memory and writes only when one is due.
   */
  private stored: StoredState | null = null;

  constructor(private readonly options: SchedulerOptions) {}

  /** Catches up on what was due while the process was down, then ticks every tickMs. */
  async start(): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      await this.exclusive(async () => {
        await this.reapplyShuffles();
        await this.pass();
      });
    } catch (error) {
      // Not a reason to refuse to start: the loop's next pass catches up on the rest.
      this.options.logger.error({ err: error }, "scheduler catch-up failed");
    }
    this.scheduleNext(this.options.tickMs);
  }

  /** Stops ticking and waits for a pass in progress. */
  async stop(): Promise<void> {
    this.running = false;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.queue;
  }

  /** One pass now (tests; the loop calls it every tickMs). */
  tick(): Promise<void> {
    return this.exclusive(() => this.pass());
  }

  /**
   * Runs a change to events or surges (an edit, a cancel, a trigger) between passes, then a
   * pass so it applies at once. Returns the room's capacity before and after.
   */
  async change<T>(
    roomId: string,
    change: () => Promise<T>,
  ): Promise<{ result: T; beforeCapacity: number; afterCapacity: number }> {
    return this.exclusive(async () => {
      const beforeCapacity = this.options.engine.effectiveCapacity(roomId);
      const result = await change();
      this.stored = null;
      await this.pass("change");
      return { result, beforeCapacity, afterCapacity: this.options.engine.effectiveCapacity(roomId) };
    });
  }

  private exclusive<T>(work: () => Promise<T>): Promise<T> {
    const run = this.queue.then(work);
    this.queue = run.catch(() => undefined);
    return run;
  }

  private scheduleNext(delayMs: number): void {
    if (!this.running) return;
    this.timer = setTimeout(async () => {
      const startedAt = performance.now();
      try {
        await this.tick();
      } catch (error) {
        this.options.logger.error({ err: error }, "scheduler tick failed");
      }
      this.scheduleNext(Math.max(0, this.options.tickMs - (performance.now() - startedAt)));
    }, delayMs);
    this.timer.unref();
  }

  /**
   * After a restart the engine has forgotten the order drawn at a pre-queue's release (places
   * come back as arrival order): drawing again from the stored seed restores it exactly for
   * everyone still in line. Oldest first, so a later draw wins where windows touch.
   */
  private async reapplyShuffles(): Promise<void> {
    const { engine, events, logger, clock } = this.options;
    const rooms = new Set(engine.roomIds());
    for (const event of await events.listShuffledSince(clock() - reshuffleWindowMs)) {
      if (!rooms.has(event.roomId) || !event.shuffleSeed) continue;
      try {
        engine.openPreQueue(event.roomId, { opensAtMs: leadStartMs(event), startsAtMs: event.startsAtMs });
        const { shuffled } = engine.releasePreQueue(event.roomId, event.shuffleSeed);
        logger.info({ room: event.roomId, event: event.id, shuffled }, "pre-queue order restored");
      } catch (error) {
        logger.error({ err: error, room: event.roomId, event: event.id }, "pre-queue order not restored");
      }
    }
  }

  /**
   * cause "change": the pass right after an edit, which applies at once whatever the edit made
   * due (an event saved with its lead time already begun is not late, it was saved late).
   */
  private async pass(cause: PassCause = "tick"): Promise<void> {
    const { engine, logger, clock } = this.options;
    const nowMs = clock();
    const rooms = engine.roomIds();
    const roomSet = new Set(rooms);
    const capacityBefore = new Map(rooms.map((roomId) => [roomId, engine.effectiveCapacity(roomId)]));
    const actions: PendingAction[] = [];
    const startedNow = new Set<string>();

    const stored = await this.readStored(nowMs);
    const { open, current, policies } = stored;
    let wrote = false;
    for (const event of open) {
      const statusBefore = event.status;
      try {
        if (roomSet.has(event.roomId)) await this.advance(event, nowMs, actions, startedNow, cause);
        else await this.cancelOrphan(event, nowMs);
      } catch (error) {
        logger.error({ err: error, event: event.id, room: event.roomId }, "scale event not advanced");
        wrote = true;
      }
      if (event.status !== statusBefore) wrote = true;
    }

    for (const surge of current) {
      const before = `${surge.endedAtMs}/${surge.lowSinceMs}`;
      try {
        await this.checkSurge(surge, policies.get(surge.roomId) ?? null, roomSet.has(surge.roomId), nowMs, actions);
      } catch (error) {
        logger.error({ err: error, surge: surge.id, room: surge.roomId }, "surge not checked");
        wrote = true;
      }
      if (`${surge.endedAtMs}/${surge.lowSinceMs}` !== before) wrote = true;
    }
    // Read again next pass after any write (or failure): what is stored is the truth.
    if (wrote) this.stored = null;

    const shuffledByEvent = new Map<string, number>();
    for (const roomId of rooms) {
      try {
        const roomEvents = open.filter((event) => event.roomId === roomId);
        this.syncPreQueue(roomId, roomEvents, startedNow, shuffledByEvent);
        const surge = current.find((s) => s.roomId === roomId) ?? null;
        const baseCapacity = engine.roomConfig(roomId).capacity;
        const surgeNewUsersPerMinute = policies.get(roomId)?.newUsersPerMinute ?? null;
        const plan = planCapacity({ baseCapacity, events: roomEvents, surge, surgeNewUsersPerMinute, nowMs });
        const { effectiveCapacity } = plan;
        engine.setCapacityOverride(roomId, effectiveCapacity > baseCapacity ? effectiveCapacity : null);
        engine.setNewUsersOverride(roomId, plan.newUsersPerMinute);
      } catch (error) {
        // The room was deleted during the pass: its events are cancelled on the next one.
        logger.error({ err: error, room: roomId }, "room capacity not planned");
      }
    }

    for (const action of actions) {
      const shuffled = shuffledByEvent.get(action.target);
      const beforeCapacity = capacityBefore.get(action.roomId) ?? 0;
      await announceScaleAction(this.options, {
        ...action,
        what: shuffled === undefined ? action.what : `${action.what}; ${shuffled} from the pre-queue drawn into line`,
        beforeCapacity,
        afterCapacity: capacityNow(engine, action.roomId) ?? beforeCapacity,
      });
    }

    if (nowMs - this.lastPruneMs >= pruneEveryMs) {
      this.lastPruneMs = nowMs;
      const pruned = await this.options.apiKeys.pruneRequests(nowMs - idempotencyTtlMs);
      if (pruned) logger.info({ pruned }, "old idempotency answers pruned");
    }
  }

  /** The stored state, read again when older than refreshMs or after a write. */
  private async readStored(nowMs: number): Promise<StoredState> {
    const refreshMs = this.options.refreshMs ?? defaultRefreshMs;
    if (this.stored && nowMs - this.stored.readAtMs < refreshMs && nowMs >= this.stored.readAtMs) return this.stored;
    const { events, surges } = this.options;
    const open = await events.listOpen();
    const current = await surges.listCurrent();
    const policies = current.length ? new Map((await surges.policies()).map((p) => [p.roomId, p])) : new Map();
    this.stored = { open, current, policies, readAtMs: nowMs };
    return this.stored;
  }

  /**
   * Moves an event to the phase its times call for. When another process moved it first, the
   * stored state is read back and the step is not announced here.
   */
  private async advance(
    event: StoredEvent,
    nowMs: number,
    actions: PendingAction[],
    startedNow: Set<string>,
    cause: PassCause,
  ) {
    const { events } = this.options;
    const phase = eventPhaseAt(event, nowMs);
    for (let attempt = 0; attempt < 4; attempt++) {
      const to = nextStatus(event.status, phase);
      if (!to) return;
      const from = event.status;
      const moved = await events.transition(event.id, from, to, {
        leadAtMs: to === "lead" ? nowMs : undefined,
        startedAtMs: to === "running" ? nowMs : undefined,
        endedAtMs: to === "ended" ? nowMs : undefined,
        shuffleSeed: to === "running" && event.preQueue ? randomBytes(32).toString("hex") : undefined,
      });
      if (moved) {
        Object.assign(event, moved);
        if (to === "running") startedNow.add(event.id);
        actions.push(this.describe(event, from, to, nowMs, cause));
        return;
      }
      const fresh = await events.find(event.id);
      if (!fresh) return;
      Object.assign(event, fresh);
    }
  }

  private describe(
    event: StoredEvent,
    from: ScaleEventStatus,
    to: ScaleEventStatus,
    nowMs: number,
    cause: PassCause,
  ): PendingAction {
    const name = `scheduled event ${quoted(event.name)}`;
    const base = { roomId: event.roomId, actor: schedulerActor, target: event.id };
    const lateBy = (dueMs: number) => {
      const delayMs = nowMs - dueMs;
      if (delayMs <= lateAfterMs) return null;
      return cause === "change"
        ? `applied on saving, ${formatDelay(delayMs)} after it was due`
        : `late by ${formatDelay(delayMs)}`;
    };
    if (to === "lead") {
      const late = lateBy(leadStartMs(event));
      const preQueue = event.preQueue ? ", pre-queue open" : "";
      return {
        ...base,
        action: "event.lead",
        what: `${name} lead time began${preQueue} (starts ${formatUtc(event.startsAtMs, nowMs)})${late ? ` — ${late}` : ""}`,
        reason: late,
      };
    }
    if (to === "running") {
      const late = lateBy(event.startsAtMs);
      return {
        ...base,
        action: "event.start",
        what: `${name} started (until ${formatUtc(event.endsAtMs, nowMs)})${late ? ` — ${late}` : ""}`,
        reason: late,
      };
    }
    if (from === "running") return { ...base, action: "event.end", what: `${name} ended` };
    // Its whole window passed before it was applied: down at the time, or shorter than a tick.
    const down = nowMs - event.endsAtMs > lateAfterMs;
    const window = `${formatUtc(event.startsAtMs, nowMs)}–${formatUtc(event.endsAtMs, nowMs)}`;
    const note = down ? "missed while Floodgate was down" : "ended before it could be applied";
    return { ...base, action: "event.missed", what: `${name} (${window}) ${note}`, reason: note };
  }

  private async cancelOrphan(event: StoredEvent, nowMs: number): Promise<void> {
    const cancelled = await this.options.events.transition(event.id, event.status, "cancelled", {
      cancelledAtMs: nowMs,
    });
    if (!cancelled) return;
    Object.assign(event, cancelled);
    this.options.logger.warn({ event: event.id, room: event.roomId }, "scale event of a deleted room cancelled");
    await this.options.audit.recordBy(schedulerActor, {
      action: "event.cancel",
      roomId: event.roomId,
      target: event.id,
      before: { status: "open" },
      after: { status: "cancelled" },
      reason: "the room no longer exists",
    });
  }

  private async checkSurge(
    surge: StoredSurge,
    policy: SurgePolicyRecord | null,
    roomExists: boolean,
    nowMs: number,
    actions: PendingAction[],
  ): Promise<void> {
    const { surges, engine } = this.options;
    let reason: "hold_expired" | "low_traffic" | null = nowMs >= surge.holdUntilMs ? "hold_expired" : null;
    const threshold = policy?.endBelowArrivalsPerMin ?? null;
    if (!reason && roomExists && policy && threshold !== null) {
      const low = engine.roomStats(surge.roomId).arrivalsPerMinute < threshold;
      if (!low && surge.lowSinceMs !== null) {
        await surges.setLowSince(surge.id, null);
        surge.lowSinceMs = null;
      } else if (low && surge.lowSinceMs === null) {
        await surges.setLowSince(surge.id, nowMs);
        surge.lowSinceMs = nowMs;
      } else if (low && surge.lowSinceMs !== null && nowMs - surge.lowSinceMs >= policy.endAfterLowMinutes * minuteMs) {
        reason = "low_traffic";
      }
    }
    if (!reason) return;
    const ended = await surges.end(surge.id, reason, nowMs);
    // Ended here or elsewhere: either way it no longer counts in this pass's plan.
    Object.assign(surge, ended ?? { endedAtMs: nowMs });
    if (!ended || !roomExists) return;
    const why =
      reason === "hold_expired"
        ? "hold time over"
        : `under ${threshold} arrivals/min for ${policy?.endAfterLowMinutes} min`;
    actions.push({
      roomId: surge.roomId,
      actor: schedulerActor,
      action: "surge.end",
      target: surge.id,
      what: `surge ended: ${why}`,
      reason,
    });
  }

  /**
   * Keeps the engine's pre-queue in step with the stored events: open while a pre-queue event
   * is in its lead time; at its start, drawn into line with the event's seed (or in arrival
   * order when it was cancelled). Idempotent: a pass that finds it as it should be does nothing.
   */
  private syncPreQueue(
    roomId: string,
    roomEvents: StoredEvent[],
    startedNow: Set<string>,
    shuffledByEvent: Map<string, number>,
  ): void {
    const { engine } = this.options;
    const current = engine.preQueueOf(roomId);
    const inLead = roomEvents.find((event) => event.preQueue && event.status === "lead");
    if (inLead) {
      const window = { opensAtMs: leadStartMs(inLead), startsAtMs: inLead.startsAtMs };
      if (current?.opensAtMs !== window.opensAtMs || current.startsAtMs !== window.startsAtMs) {
        engine.openPreQueue(roomId, window);
      }
      return;
    }
    if (current) {
      const owner = roomEvents.find(
        (event) => event.preQueue && event.startsAtMs === current.startsAtMs && event.shuffleSeed !== null,
      );
      const { shuffled } = engine.releasePreQueue(roomId, owner?.shuffleSeed ?? null);
      if (owner) shuffledByEvent.set(owner.id, shuffled);
      return;
    }
    // Started without a lead time seen here (the process was down during it): draw those who
    // arrived in the window into line now, as the pre-queue would have.
    for (const event of roomEvents) {
      if (!startedNow.has(event.id) || !event.preQueue || !event.shuffleSeed) continue;
      engine.openPreQueue(roomId, { opensAtMs: leadStartMs(event), startsAtMs: event.startsAtMs });
      shuffledByEvent.set(event.id, engine.releasePreQueue(roomId, event.shuffleSeed).shuffled);
    }
  }
}

/** The status that takes an event from `status` toward `phase`, or null when it is there (or final). */
function nextStatus(status: ScaleEventStatus, phase: EventPhase): ScaleEventStatus | null {
  if (status === "ended" || status === "cancelled") return null;
  if (phase === "ended") return "ended";
  if (phase === "running" && status !== "running") return "running";
  if (phase === "lead" && status === "scheduled") return "lead";
  return null;
}

/** The room's capacity, or null when it was deleted meanwhile. */
function capacityNow(engine: ScheduleTarget, roomId: string): number | null {
  try {
    return engine.effectiveCapacity(roomId);
  } catch {
    return null;
  }
}
