import "server-only";
import { randomUUID } from "node:crypto";
import type { Actor } from "@/server/admin/admin-service";
import type {
  ActiveAlarmListResponse,
  AlertComparator,
  AlertEventListResponse,
  AlertMetric,
  AlertThresholdInput,
  AlertThresholdListResponse,
  AlertThresholdRecord,
  AlertThresholdResponse,
} from "@/server/admin/admin-types";
import type { AuditStore } from "@/server/admin/audit-store";
import {
  type AlertEventFilter,
  AlertStore,
  type NewAlertEvent,
  type StoredThreshold,
  type ThresholdSettings,
  type ThresholdStateChange,
} from "@/server/alerts/alert-store";
import type { Notice, Notifier } from "@/server/alerts/notice";
import {
  initialThresholdState,
  metricValue,
  recoverValueAllowed,
  stepThreshold,
  type ThresholdTransition,
} from "@/server/alerts/threshold-machine";
import { AppError } from "@/server/api/errors";
import type { PrismaClient } from "@/server/db/client";
import type { Logger } from "@/server/log";
import type { RoomSample } from "@/server/metrics/sampler";

// Alert thresholds: the operators' rules (create / edit / delete, audited) and their evaluation
// on every metric sample. The rules of state are in threshold-machine.ts; this module keeps the
// enabled thresholds in memory (a sample costs no query, only a write when a streak or a state
// changes), writes changes conditionally (alert-store.ts) and announces ALARM and recovery
// through the Notifier.
//
// Editing a rule: a change to metric, comparator or value makes it another rule, so its state
// starts over at OK with no streak; an ALARM ended that way sends no recovery (the audit log
// records the edit). Any other change to how samples are judged (recoverValue, forSamples,
// enabled) keeps the state and restarts the streak, since the samples counted so far were
// judged by the old rule (or, while disabled, not seen at all).

export type AlertThresholdPatch = Partial<AlertThresholdInput>;

export interface AlertService {
  /** Judges every enabled threshold of the sampled rooms; never called concurrently by the sampler. */
  evaluate(samples: RoomSample[]): Promise<void>;
  listThresholds(roomId: string): Promise<AlertThresholdListResponse>;
  createThreshold(actor: Actor, roomId: string, input: AlertThresholdInput): Promise<AlertThresholdResponse>;
  updateThreshold(
    actor: Actor,
    roomId: string,
    thresholdId: string,
    patch: AlertThresholdPatch,
  ): Promise<AlertThresholdResponse>;
  deleteThreshold(actor: Actor, roomId: string, thresholdId: string): Promise<{ ok: true }>;
  listAlertEvents(filter: AlertEventFilter): Promise<AlertEventListResponse>;
  /** Every enabled threshold in ALARM now, read from the database (any node answers the same). */
  listActiveAlarms(): Promise<ActiveAlarmListResponse>;
  /** A deleted room's thresholds go with it (their history stays), so a new room of that id starts clean. */
  forgetRoom(roomId: string): Promise<void>;
  /** Reads thresholds afresh at the next evaluation (a cluster node taking over: others may have changed them). */
  reload(): void;
}

export type AlertServiceDeps = {
  db: PrismaClient;
  logger: Logger;
  audit: AuditStore;
  notifier: Notifier;
  clock?: () => number;
  /** Refuses thresholds for rooms that do not exist (404); without it every room id is taken. */
  roomExists?: (roomId: string) => boolean;
};

export const maxThresholdsPerRoom = 20;
const maxActivePercent = 1000;
/** SNS Subject: at most 100 characters. */
const maxSubjectLength = 100;

const comparatorSymbol: Record<AlertComparator, string> = { gt: ">", gte: ">=", lt: "<", lte: "<=" };
/** The recovery test of each comparator (see threshold-machine.ts). */
const recoverSymbol: Record<AlertComparator, string> = { gt: "<=", gte: "<", lt: ">=", lte: ">" };
/** What people read for each metric: "arrivals is 0/min", "median wait > 300 s". */
const metricName: Record<AlertMetric, string> = {
  waiting: "waiting",
  activePercent: "active",
  arrivalsPerMinute: "arrivals",
  medianWaitSeconds: "median wait",
  expiredPerMinute: "expiries",
};

const metricUnit: Record<AlertMetric, string> = {
  waiting: "",
  activePercent: "%",
  arrivalsPerMinute: "/min",
  medianWaitSeconds: " s",
  expiredPerMinute: "/min",
};

/** Changing one of these makes another rule: its state starts over. */
const redefiningFields = ["metric", "comparator", "value"] as const;
/** Changing one of these changes how samples are judged: the streak starts over. */
const rejudgingFields = [...redefiningFields, "recoverValue", "forSamples", "enabled"] as const;
/** What a threshold's audit entries record (the console labels each: components/admin/audit). */
export const settingFields = [
  "name",
  "metric",
  "comparator",
  "value",
  "recoverValue",
  "forSamples",
  "cooldownSeconds",
  "topicArn",
  "enabled",
] as const satisfies readonly (keyof ThresholdSettings)[];

export function createAlertService(deps: AlertServiceDeps): AlertService {
  const store = new AlertStore(deps.db);
  const now = deps.clock ?? Date.now;

  // Enabled thresholds by room. Dropped on every change made here and whenever a conditional
  // write finds the row changed (another process, or an edit racing an evaluation).
  let cached: Promise<Map<string, StoredThreshold[]>> | null = null;

  function enabledThresholdsByRoom(): Promise<Map<string, StoredThreshold[]>> {
    if (!cached) {
      const loading = store.listEnabledThresholds().then((thresholds) => {
        const byRoom = new Map<string, StoredThreshold[]>();
        for (const t of thresholds) byRoom.set(t.roomId, [...(byRoom.get(t.roomId) ?? []), t]);
        return byRoom;
      });
      cached = loading;
      loading.catch(() => {
        if (cached === loading) cached = null;
      });
    }
    return cached;
  }

  function forgetThresholds(): void {
    cached = null;
  }

  function checkRoom(roomId: string): void {
    if (deps.roomExists && !deps.roomExists(roomId)) {
      throw new AppError("room_not_found", `No room with id "${roomId}".`);
    }
  }

  async function evaluate(samples: RoomSample[]): Promise<void> {
    if (!samples.length) return;
    const byRoom = await enabledThresholdsByRoom();
    // Per threshold: its state after every sample, the history entries, and beside each entry
    // the notice to send once the change is written (null: suppressed).
    const changes = new Map<string, ThresholdStateChange & { notices: (Notice | null)[] }>();
    for (const sample of [...samples].sort((a, b) => a.atMs - b.atMs)) {
      for (const threshold of byRoom.get(sample.roomId) ?? []) {
        const pending = changes.get(threshold.id);
        const current = pending?.next ?? threshold;
        const { next, transition } = stepThreshold(
          threshold,
          current,
          metricValue(sample, threshold.metric),
          sample.atMs,
        );
        if (next === current) continue;
        const change = pending ?? { threshold, next, events: [], notices: [] };
        change.next = next;
        if (transition) {
          change.events.push(eventOf(threshold, transition, sample.atMs));
          change.notices.push(
            transition.notify === "send"
              ? noticeOf(threshold, transition, current.stateChangedAtMs, sample.atMs)
              : null,
          );
        }
        changes.set(threshold.id, change);
      }
    }
    if (!changes.size) return;

    const list = [...changes.values()];
    const results = await store.applyStateChanges(list);
    const noChannelEventIds: number[] = [];
    for (const [i, change] of list.entries()) {
      const result = results[i];
      if (!result?.applied) {
        // Someone else wrote this row first: reload rather than judge on a stale state.
        deps.logger.info({ threshold: change.threshold.id }, "threshold changed meanwhile; reloading");
        forgetThresholds();
        continue;
      }
      Object.assign(change.threshold, change.next);
      for (const [e, eventId] of result.eventIds.entries()) {
        const notice = change.notices[e];
        if (notice && (await deps.notifier.notify(notice)).status === "no_channel") noChannelEventIds.push(eventId);
      }
    }
    await store.markEventsNoChannel(noChannelEventIds);
  }

  async function listThresholds(roomId: string): Promise<AlertThresholdListResponse> {
    checkRoom(roomId);
    return { thresholds: (await store.listThresholds(roomId)).map(toRecord) };
  }

  async function createThreshold(
    actor: Actor,
    roomId: string,
    input: AlertThresholdInput,
  ): Promise<AlertThresholdResponse> {
    checkRoom(roomId);
    const threshold: StoredThreshold = {
      id: randomUUID(),
      roomId,
      name: input.name ?? "",
      metric: input.metric,
      comparator: input.comparator,
      value: input.value,
      recoverValue: input.recoverValue ?? null,
      forSamples: input.forSamples ?? 1,
      cooldownSeconds: input.cooldownSeconds ?? 300,
      topicArn: input.topicArn ?? null,
      enabled: input.enabled ?? true,
      ...initialThresholdState,
    };
    checkRule(threshold);
    if (!(await store.createThreshold(threshold, now(), maxThresholdsPerRoom))) {
      throw new AppError(
        "validation_failed",
        `A room has at most ${maxThresholdsPerRoom} thresholds: delete one before adding another.`,
      );
    }
    forgetThresholds();
    const record = toRecord(threshold);
    await deps.audit.recordBy(actor, {
      action: "threshold.create",
      roomId,
      target: threshold.id,
      after: settingsOf(threshold),
    });
    return { threshold: record };
  }

  async function updateThreshold(
    actor: Actor,
    roomId: string,
    thresholdId: string,
    patch: AlertThresholdPatch,
  ): Promise<AlertThresholdResponse> {
    checkRoom(roomId);
    const defined = Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined));
    const updated = await store.updateThreshold(roomId, thresholdId, (current) => {
      const merged: StoredThreshold = { ...current, ...defined };
      checkRule(merged);
      if (rejudgingFields.some((key) => merged[key] !== current[key])) merged.streak = 0;
      if (redefiningFields.some((key) => merged[key] !== current[key])) {
        merged.state = "ok";
        merged.stateChangedAtMs = current.state === "ok" ? current.stateChangedAtMs : now();
      }
      return merged;
    });
    if (!updated) throw thresholdNotFound(thresholdId);
    forgetThresholds();
    const { before, after } = updated;
    const changed = settingFields.filter((key) => before[key] !== after[key]);
    if (changed.length) {
      await deps.audit.recordBy(actor, {
        action: "threshold.update",
        roomId,
        target: thresholdId,
        before: { ...fieldsOf(before, changed), ...(after.state !== before.state ? { state: before.state } : {}) },
        after: { ...fieldsOf(after, changed), ...(after.state !== before.state ? { state: after.state } : {}) },
      });
    }
    return { threshold: toRecord(after) };
  }

  async function deleteThreshold(actor: Actor, roomId: string, thresholdId: string): Promise<{ ok: true }> {
    checkRoom(roomId);
    const deleted = await store.deleteThreshold(roomId, thresholdId);
    if (!deleted) throw thresholdNotFound(thresholdId);
    forgetThresholds();
    await deps.audit.recordBy(actor, {
      action: "threshold.delete",
      roomId,
      target: thresholdId,
      before: { ...settingsOf(deleted), state: deleted.state },
      after: null,
    });
    return { ok: true };
  }

  return {
    evaluate,
    reload: forgetThresholds,
    listThresholds,
    createThreshold,
    updateThreshold,
    deleteThreshold,
    listAlertEvents: (filter) => store.listEvents(filter),
    async listActiveAlarms() {
      const alarming = await store.listAlarming();
      return {
        alarms: alarming.map((t) => ({
          thresholdId: t.id,
          roomId: t.roomId,
          name: t.name,
          metric: t.metric,
          since: t.stateChangedAtMs === null ? null : new Date(t.stateChangedAtMs).toISOString(),
        })),
      };
    },
    async forgetRoom(roomId) {
      await store.deleteRoomThresholds(roomId);
      forgetThresholds();
    },
  };
}

/** Checks that span fields (zod checks each field alone); 422 naming the field. */
function checkRule(t: ThresholdSettings): void {
  if (t.metric === "activePercent") {
    for (const field of ["value", "recoverValue"] as const) {
      const figure = t[field];
      if (figure !== null && figure > maxActivePercent) {
        throw new AppError("validation_failed", `${field}: activePercent goes up to ${maxActivePercent}.`);
      }
    }
  }
  if (t.recoverValue !== null && !recoverValueAllowed(t, t.recoverValue)) {
    const side = t.comparator === "gt" || t.comparator === "gte" ? "at or below" : "at or above";
    throw new AppError(
      "validation_failed",
      `recoverValue: for "${t.metric} ${comparatorSymbol[t.comparator]} ${t.value}" it must be ${side} value ` +
        `(${t.value}), on the side where things are back to normal.`,
    );
  }
}

function thresholdNotFound(thresholdId: string): AppError {
  return new AppError("not_found", `No threshold with id "${thresholdId}" in this room.`);
}

function settingsOf(t: ThresholdSettings): ThresholdSettings {
  return fieldsOf(t, settingFields) as ThresholdSettings;
}

function fieldsOf(t: ThresholdSettings, keys: readonly (keyof ThresholdSettings)[]): Partial<ThresholdSettings> {
  return Object.fromEntries(keys.map((key) => [key, t[key]]));
}

function toRecord(t: StoredThreshold): AlertThresholdRecord {
  return {
    ...settingsOf(t),
    id: t.id,
    roomId: t.roomId,
    state: t.state,
    stateChangedAt: t.stateChangedAtMs === null ? null : new Date(t.stateChangedAtMs).toISOString(),
    lastNotifiedAt: t.lastNotifiedAtMs === null ? null : new Date(t.lastNotifiedAtMs).toISOString(),
  };
}

// ---- what people read ----------------------------------------------------------------------------

function formatFigure(metric: AlertMetric, figure: number): string {
  return `${Number(figure.toFixed(2))}${metricUnit[metric]}`;
}

/** "waiting > 3" */
function ruleText(t: ThresholdSettings): string {
  return `${metricName[t.metric]} ${comparatorSymbol[t.comparator]} ${formatFigure(t.metric, t.value)}`;
}

/** "waiting <= 2" */
function recoveryText(t: ThresholdSettings): string {
  return `${metricName[t.metric]} ${recoverSymbol[t.comparator]} ${formatFigure(t.metric, t.recoverValue ?? t.value)}`;
}

function samplesText(count: number): string {
  return count === 1 ? "at one sample" : `for ${count} samples in a row`;
}

function durationText(ms: number): string {
  const totalSeconds = Math.max(0, Math.round(ms / 1000));
  const hours = Math.floor(totalSeconds / 3600);
  const minutes = Math.floor((totalSeconds % 3600) / 60);
  const seconds = totalSeconds % 60;
  if (hours) return `${hours} h ${minutes} min`;
  return minutes ? `${minutes} min ${seconds} s` : `${seconds} s`;
}

/** The history's one line. */
function eventOf(t: StoredThreshold, transition: ThresholdTransition, atMs: number): NewAlertEvent {
  const figure = `${metricName[t.metric]} is ${formatFigure(t.metric, transition.value)}`;
  return {
    atMs,
    fromState: transition.from,
    toState: transition.to,
    value: transition.value,
    message:
      transition.to === "alarm"
        ? `ALARM: ${figure} (${ruleText(t)} ${samplesText(t.forSamples)})`
        : `OK: ${figure} (${recoveryText(t)} ${samplesText(t.forSamples)})`,
    notification: transition.notify === "send" ? "sent" : "suppressed_cooldown",
  };
}

function noticeOf(
  t: StoredThreshold,
  transition: ThresholdTransition,
  previousChangeAtMs: number | null,
  atMs: number,
): Notice {
  const label = t.name ? `${t.name} (${ruleText(t)})` : ruleText(t);
  const tag = transition.to === "alarm" ? "[ALARM]" : "[OK]";
  const subject = `${tag} ${t.roomId}: ${label}`.replace(/\s+/g, " ");
  const figure = `${metricName[t.metric]} is ${formatFigure(t.metric, transition.value)}`;
  const lines =
    transition.to === "alarm"
      ? [
          `ALARM in room ${t.roomId}: ${figure}, past the threshold ${ruleText(t)} ${samplesText(t.forSamples)}.`,
          ...(t.name ? [`Rule: ${t.name}`] : []),
          `In ALARM since ${new Date(atMs).toISOString()}.`,
          `Recovers at ${recoveryText(t)} ${samplesText(t.forSamples)}.`,
        ]
      : [
          `Recovered in room ${t.roomId}: ${figure} (${recoveryText(t)} ${samplesText(t.forSamples)}).`,
          `Rule: ${label}`,
          previousChangeAtMs === null
            ? `Back to OK at ${new Date(atMs).toISOString()}.`
            : `In ALARM from ${new Date(previousChangeAtMs).toISOString()} to ${new Date(atMs).toISOString()} ` +
              `(${durationText(atMs - previousChangeAtMs)}).`,
        ];
  return {
    roomId: t.roomId,
    kind: transition.to === "alarm" ? "alarm" : "recovery",
    subject: subject.length > maxSubjectLength ? `${subject.slice(0, maxSubjectLength - 1)}…` : subject,
    message: [...lines, `Room: /admin/rooms/${t.roomId}`].join("\n"),
    topicArn: t.topicArn,
  };
}
