import "server-only";
import type { AlertComparator, AlertMetric, AlertState } from "@/server/admin/admin-types";
import type { RoomSample } from "@/server/metrics/sampler";

// The alert threshold state machine: pure, no I/O, so every rule of it is a table test.
//
// A sample *breaches* when `sample <comparator> value` (gt: >, gte: >=, lt: <, lte: <=).
// A sample *recovers* when it is on the good side of recoverValue (default: value), which is
// the breach test turned around at recoverValue:
//   gt: sample <= recoverValue    gte: sample < recoverValue
//   lt: sample >= recoverValue    lte: sample > recoverValue
// So with the default recoverValue every sample either breaches or recovers; a recoverValue
// further on the good side (below value for gt/gte, above for lt/lte) opens a band between the
// two where a sample does neither: it ends a run of breaches while OK and a run of recoveries
// while in ALARM. That band is the hysteresis: a figure hovering around `value` cannot flap
// the state.
//
// OK -> ALARM after forSamples consecutive breaching samples; ALARM -> OK after forSamples
// consecutive recovering samples. A sample without a value (null: e.g. no wait measured, or
// activePercent of a room with capacity 0) changes nothing, the streak included.
//
// Cooldown silences ALARM notifications only: an ALARM within cooldownSeconds of the rule's
// previous ALARM notification changes the state but is not sent. Its recovery is silenced too,
// so nobody ever receives a "recovered" for an alarm they were never told about.

export type ThresholdRule = {
  comparator: AlertComparator;
  value: number;
  /** null: `value` (no band). */
  recoverValue: number | null;
  forSamples: number;
  cooldownSeconds: number;
};

export type ThresholdMachineState = {
  state: AlertState;
  /** Consecutive samples counting toward the next change of state. */
  streak: number;
  /** When the state last changed; null: never (a new or reset rule). */
  stateChangedAtMs: number | null;
  /** When the last ALARM notification went out (recoveries do not count); null: never. */
  lastNotifiedAtMs: number | null;
};

export type ThresholdTransition = {
  from: AlertState;
  to: AlertState;
  value: number;
  notify: "send" | "suppressed_cooldown";
};

export type ThresholdStep = { next: ThresholdMachineState; transition: ThresholdTransition | null };

export const initialThresholdState: ThresholdMachineState = {
  state: "ok",
  streak: 0,
  stateChangedAtMs: null,
  lastNotifiedAtMs: null,
};

export function breaches(rule: Pick<ThresholdRule, "comparator" | "value">, sample: number): boolean {
  return compare(rule.comparator, sample, rule.value);
}

export function recovers(rule: Pick<ThresholdRule, "comparator" | "value" | "recoverValue">, sample: number): boolean {
  return !compare(rule.comparator, sample, rule.recoverValue ?? rule.value);
}

/** Where a recoverValue may lie: on the good side of value, or at it. */
export function recoverValueAllowed(rule: Pick<ThresholdRule, "comparator" | "value">, recoverValue: number): boolean {
  return rule.comparator === "gt" || rule.comparator === "gte"
    ? recoverValue <= rule.value
    : recoverValue >= rule.value;
}

/** The state after one sample taken at atMs, and the change of state it caused, if any. */
export function stepThreshold(
  rule: ThresholdRule,
  current: ThresholdMachineState,
  sample: number | null,
  atMs: number,
): ThresholdStep {
  if (sample === null || !Number.isFinite(sample)) return { next: current, transition: null };

  const counts = current.state === "ok" ? breaches(rule, sample) : recovers(rule, sample);
  const streak = counts ? current.streak + 1 : 0;
  // `>=`: a rule whose forSamples was lowered while a streak ran changes at its next sample.
  if (streak < rule.forSamples) {
    return streak === current.streak
      ? { next: current, transition: null }
      : { next: { ...current, streak }, transition: null };
  }

  if (current.state === "ok") {
    const sinceLastMs = current.lastNotifiedAtMs === null ? null : atMs - current.lastNotifiedAtMs;
    const suppressed = sinceLastMs !== null && sinceLastMs < rule.cooldownSeconds * 1000;
    return {
      next: {
        state: "alarm",
        streak: 0,
        stateChangedAtMs: atMs,
        lastNotifiedAtMs: suppressed ? current.lastNotifiedAtMs : atMs,
      },
      transition: { from: "ok", to: "alarm", value: sample, notify: suppressed ? "suppressed_cooldown" : "send" },
    };
  }

  // The alarm was announced if an ALARM notification went out when (or after) it began.
  const alarmWasSent =
    current.lastNotifiedAtMs !== null &&
    current.stateChangedAtMs !== null &&
    current.lastNotifiedAtMs >= current.stateChangedAtMs;
  return {
    next: { ...current, state: "ok", streak: 0, stateChangedAtMs: atMs },
    transition: { from: "alarm", to: "ok", value: sample, notify: alarmWasSent ? "send" : "suppressed_cooldown" },
  };
}

/** A sample's figure for one metric; null when it has none (activePercent of a room with capacity 0, a wait nobody has had). */
export function metricValue(sample: RoomSample, metric: AlertMetric): number | null {
  switch (metric) {
    case "waiting":
      return sample.waiting;
    case "activePercent":
      return sample.capacity > 0 ? (sample.active / sample.capacity) * 100 : null;
    case "arrivalsPerMinute":
      return sample.arrivalsPerMinute;
    case "medianWaitSeconds":
      return sample.medianWaitSeconds;
    case "expiredPerMinute":
      return sample.expiredPerMinute;
  }
}

function compare(comparator: AlertComparator, left: number, right: number): boolean {
  switch (comparator) {
    case "gt":
      return left > right;
    case "gte":
      return left >= right;
    case "lt":
      return left < right;
    case "lte":
      return left <= right;
  }
}
