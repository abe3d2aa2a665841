import "server-only";
import type { AlertComparator, AlertEventRecord, AlertMetric, AlertState, Page } from "@/server/admin/admin-types";
import type { ThresholdMachineState } from "@/server/alerts/threshold-machine";
import type { PrismaClient } from "@/server/db/client";
import type { AlertThreshold as ThresholdRow } from "@/server/db/generated/client";
import { readPage } from "@/server/db/page";

// Alert thresholds (their rules and persisted state) and the alert history (tables
// AlertThreshold and AlertEvent): the only module that touches them. Every write runs in a
// transaction of its own: the process shares one SQLite connection with the queue store, and
// only a transaction takes its lock (a bare statement could land inside the queue store's open
// transaction and be rolled back with it).
//
// A change of state is written on the condition that the row still holds the rule and the state
// it was computed from, together with its history entries, in one transaction: two evaluators
// (or an evaluator and an operator's edit) can never both record the same transition.

/** What decides how samples are judged; an evaluation is only written over the same rule. */
export type ThresholdRuleFields = {
  metric: AlertMetric;
  comparator: AlertComparator;
  value: number;
  recoverValue: number | null;
  forSamples: number;
  cooldownSeconds: number;
};

export type ThresholdSettings = ThresholdRuleFields & {
  name: string;
  topicArn: string | null;
  enabled: boolean;
};

export type StoredThreshold = ThresholdSettings & ThresholdMachineState & { id: string; roomId: string };

export type NewAlertEvent = {
  atMs: number;
  fromState: AlertState;
  toState: AlertState;
  value: number | null;
  message: string;
  notification: AlertEventRecord["notification"];
};

/** One threshold's evaluation: from the state it was read in to the next, with its history. */
export type ThresholdStateChange = {
  threshold: StoredThreshold;
  next: ThresholdMachineState;
  events: NewAlertEvent[];
};

export type AppliedStateChange = {
  /** False: the row no longer held what the change was computed from; nothing was written. */
  applied: boolean;
  /** The history entries written, in the order given. */
  eventIds: number[];
};

export type AlertEventFilter = { roomId?: string; page: number; pageSize: number };

export class AlertStore {
  constructor(private readonly db: PrismaClient) {}

  // ---- thresholds ----------------------------------------------------------------------------

  async listThresholds(roomId: string): Promise<StoredThreshold[]> {
    const rows = await this.db.alertThreshold.findMany({
      where: { roomId },
      orderBy: [{ createdAt: "asc" }, { id: "asc" }],
    });
    return rows.map(toStored);
  }

  /** Every enabled threshold of every room: what the evaluator caches. */
  async listEnabledThresholds(): Promise<StoredThreshold[]> {
    const rows = await this.db.alertThreshold.findMany({ where: { enabled: true } });
    return rows.map(toStored);
  }

  /** Enabled thresholds in ALARM, oldest alarm first (a room has at most 20 thresholds: a small table). */
  async listAlarming(): Promise<StoredThreshold[]> {
    const rows = await this.db.alertThreshold.findMany({
      where: { enabled: true, state: "alarm" },
      orderBy: [{ stateChangedAt: "asc" }, { id: "asc" }],
    });
    return rows.map(toStored);
  }

  /**
   * Creates a threshold unless its room already has `maxPerRoom`; false when it has. The count
   * and the insert share one transaction, so two creations cannot both take the last place.
   */
  async createThreshold(threshold: StoredThreshold, createdAtMs: number, maxPerRoom: number): Promise<boolean> {
    return this.db.$transaction(async (tx) => {
      if ((await tx.alertThreshold.count({ where: { roomId: threshold.roomId } })) >= maxPerRoom) return false;
      await tx.alertThreshold.create({
        data: { ...toRowData(threshold), id: threshold.id, roomId: threshold.roomId, createdAt: new Date(createdAtMs) },
      });
      return true;
    });
  }

  /**
   * Reads a threshold and writes what `change` makes of it, in one transaction (so a check
   * `change` makes holds for the write). `change` may throw to refuse. null: no such threshold.
   */
  async updateThreshold(
    roomId: string,
    id: string,
    change: (current: StoredThreshold) => StoredThreshold,
  ): Promise<{ before: StoredThreshold; after: StoredThreshold } | null> {
    return this.db.$transaction(async (tx) => {
      const row = await tx.alertThreshold.findFirst({ where: { id, roomId } });
      if (!row) return null;
      const before = toStored(row);
      const after = change(before);
      await tx.alertThreshold.update({ where: { id }, data: toRowData(after) });
      return { before, after };
    });
  }

  /** Deletes a threshold (its history stays); null: no such threshold. */
  async deleteThreshold(roomId: string, id: string): Promise<StoredThreshold | null> {
    return this.db.$transaction(async (tx) => {
      const row = await tx.alertThreshold.findFirst({ where: { id, roomId } });
      if (!row) return null;
      await tx.alertThreshold.delete({ where: { id } });
      return toStored(row);
    });
  }

  /** Deletes every threshold of a room (a deleted room's; their history stays); returns how many. */
  async deleteRoomThresholds(roomId: string): Promise<number> {
    return this.db.$transaction(async (tx) => (await tx.alertThreshold.deleteMany({ where: { roomId } })).count);
  }

  // ---- evaluation ----------------------------------------------------------------------------

  /** Writes evaluations in one transaction, each only over the rule and state it was computed from. */
  async applyStateChanges(changes: ThresholdStateChange[]): Promise<AppliedStateChange[]> {
    if (!changes.length) return [];
    return this.db.$transaction(async (tx) => {
      const results: AppliedStateChange[] = [];
      for (const { threshold: t, next, events } of changes) {
        const { count } = await tx.alertThreshold.updateMany({
          where: {
            id: t.id,
            enabled: true,
            ...ruleFieldsOf(t),
            state: t.state,
            streak: t.streak,
          },
          data: toStateData(next),
        });
        if (count !== 1) {
          results.push({ applied: false, eventIds: [] });
          continue;
        }
        const eventIds: number[] = [];
        for (const event of events) {
          const created = await tx.alertEvent.create({
            data: {
              thresholdId: t.id,
              roomId: t.roomId,
              at: new Date(event.atMs),
              fromState: event.fromState,
              toState: event.toState,
              value: event.value,
              message: event.message,
              notification: event.notification,
            },
            select: { id: true },
          });
          eventIds.push(created.id);
        }
        results.push({ applied: true, eventIds });
      }
      return results;
    });
  }

  /** Corrects history entries recorded as sent when the notifier found no channel to send to. */
  async markEventsNoChannel(eventIds: number[]): Promise<void> {
    if (!eventIds.length) return;
    await this.db.$transaction((tx) =>
      tx.alertEvent.updateMany({ where: { id: { in: eventIds } }, data: { notification: "no_channel" } }),
    );
  }

  /** The alert history, newest first. */
  async listEvents(filter: AlertEventFilter): Promise<Page<AlertEventRecord>> {
    const where = filter.roomId ? { roomId: filter.roomId } : {};
    return readPage(
      filter,
      () => this.db.alertEvent.count({ where }),
      (window) => this.db.alertEvent.findMany({ where, orderBy: [{ at: "desc" }, { id: "desc" }], ...window }),
      (row) => ({
        id: row.id,
        thresholdId: row.thresholdId,
        roomId: row.roomId,
        at: row.at.toISOString(),
        fromState: row.fromState as AlertState,
        toState: row.toState as AlertState,
        value: row.value,
        message: row.message,
        notification: row.notification as AlertEventRecord["notification"],
      }),
    );
  }
}

function toStored(row: ThresholdRow): StoredThreshold {
  return {
    id: row.id,
    roomId: row.roomId,
    name: row.name,
    metric: row.metric as AlertMetric,
    comparator: row.comparator as AlertComparator,
    value: row.value,
    recoverValue: row.recoverValue,
    forSamples: row.forSamples,
    cooldownSeconds: row.cooldownSeconds,
    topicArn: row.topicArn,
    enabled: row.enabled,
    state: row.state === "alarm" ? "alarm" : "ok",
    streak: row.streak,
    stateChangedAtMs: row.stateChangedAt?.getTime() ?? null,
    lastNotifiedAtMs: row.lastNotifiedAt?.getTime() ?? null,
  };
}

function toStateData(state: ThresholdMachineState) {
  return {
    state: state.state,
    streak: state.streak,
    stateChangedAt: state.stateChangedAtMs === null ? null : new Date(state.stateChangedAtMs),
    lastNotifiedAt: state.lastNotifiedAtMs === null ? null : new Date(state.lastNotifiedAtMs),
  };
}

function ruleFieldsOf(t: ThresholdRuleFields): ThresholdRuleFields {
  return {
    metric: t.metric,
    comparator: t.comparator,
    value: t.value,
    recoverValue: t.recoverValue,
    forSamples: t.forSamples,
    cooldownSeconds: t.cooldownSeconds,
  };
}

function toRowData(t: StoredThreshold) {
  return {
    name: t.name,
    ...ruleFieldsOf(t),
    topicArn: t.topicArn,
    enabled: t.enabled,
    ...toStateData(t),
  };
}
