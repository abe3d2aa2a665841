import { describe, expect, it } from "vitest";
import type { AlertMetric } from "@/server/admin/admin-types";
import {
  initialThresholdState,
  metricValue,
  stepThreshold,
  type ThresholdMachineState,
  type ThresholdRule,
  type ThresholdTransition,
} from "@/server/alerts/threshold-machine";
import type { RoomSample } from "@/server/metrics/sampler";

const sampleEveryMs = 10_000;
const startMs = 1_800_000_000_000;

const rule = (overrides: Partial<ThresholdRule> = {}): ThresholdRule => ({
  comparator: "gt",
  value: 10,
  recoverValue: null,
  forSamples: 1,
  cooldownSeconds: 0,
  ...overrides,
});

/**
 * Feeds samples 10 s apart; returns the state after each one as a string ("o" OK, "A" ALARM)
 * and every change of state.
 */
function run(r: ThresholdRule, samples: (number | null)[], from: ThresholdMachineState = initialThresholdState) {
  let current = from;
  let states = "";
  const transitions: (ThresholdTransition & { atMs: number })[] = [];
  samples.forEach((sample, i) => {
    const atMs = startMs + i * sampleEveryMs;
    const { next, transition } = stepThreshold(r, current, sample, atMs);
    current = next;
    states += next.state === "ok" ? "o" : "A";
    if (transition) transitions.push({ ...transition, atMs });
  });
  return { states, transitions, final: current };
}

type Case = { name: string; rule: Partial<ThresholdRule>; samples: (number | null)[]; states: string };

describe("stepThreshold: when the state changes", () => {
  const cases: Case[] = [
    // forSamples
    { name: "one breach alarms at forSamples 1", rule: {}, samples: [5, 11, 11], states: "oAA" },
    {
      name: "three breaches in a row alarm at forSamples 3",
      rule: { forSamples: 3 },
      samples: [11, 11, 11],
      states: "ooA",
    },
    {
      name: "a good sample restarts the count",
      rule: { forSamples: 3 },
      samples: [11, 11, 5, 11, 11, 11],
      states: "oooooA",
    },
    {
      name: "recovery also takes forSamples in a row",
      rule: { forSamples: 2 },
      samples: [11, 11, 5, 11, 5, 5],
      states: "oAAAAo",
    },
    // hysteresis
    {
      name: "without a band a figure around the value flaps the state",
      rule: {},
      samples: [11, 9, 11, 9, 11],
      states: "AoAoA",
    },
    {
      name: "with a band the same figures keep the ALARM",
      rule: { recoverValue: 8 },
      samples: [11, 9, 11, 9, 11],
      states: "AAAAA",
    },
    {
      name: "with a band it recovers only at or below recoverValue (gt)",
      rule: { recoverValue: 8 },
      samples: [11, 9, 8.5, 8, 9, 10],
      states: "AAAooo",
    },
    {
      name: "a sample in the band breaks a run of recoveries",
      rule: { recoverValue: 8, forSamples: 2 },
      samples: [11, 11, 7, 9, 7, 7],
      states: "oAAAAo",
    },
    {
      name: "a sample in the band breaks a run of breaches too",
      rule: { recoverValue: 8, forSamples: 2 },
      samples: [11, 9, 11, 9, 11, 11],
      states: "oooooA",
    },
    // nulls
    {
      name: "a null sample keeps the breach streak",
      rule: { forSamples: 3 },
      samples: [11, null, 11, null, 11],
      states: "ooooA",
    },
    { name: "a null sample does not recover", rule: {}, samples: [11, null, null, 5], states: "AAAo" },
    { name: "NaN counts as no value", rule: { forSamples: 2 }, samples: [11, Number.NaN, 11], states: "ooA" },
    // comparators at the edges: value 10, recoverValue as given
    { name: "gt: the value itself does not breach", rule: { comparator: "gt" }, samples: [10, 10.01], states: "oA" },
    { name: "gte: the value itself breaches", rule: { comparator: "gte" }, samples: [9.99, 10], states: "oA" },
    { name: "lt: the value itself does not breach", rule: { comparator: "lt" }, samples: [10, 9.99], states: "oA" },
    { name: "lte: the value itself breaches", rule: { comparator: "lte" }, samples: [10.01, 10], states: "oA" },
    {
      name: "gt recovers at recoverValue",
      rule: { comparator: "gt", recoverValue: 8 },
      samples: [11, 8.01, 8],
      states: "AAo",
    },
    {
      name: "gte recovers strictly below recoverValue",
      rule: { comparator: "gte", recoverValue: 8 },
      samples: [10, 8, 7.99],
      states: "AAo",
    },
    {
      name: "lt recovers at recoverValue",
      rule: { comparator: "lt", recoverValue: 12 },
      samples: [9, 11.99, 12],
      states: "AAo",
    },
    {
      name: "lte recovers strictly above recoverValue",
      rule: { comparator: "lte", recoverValue: 12 },
      samples: [10, 12, 12.01],
      states: "AAo",
    },
    {
      name: "gte without a band: below the value recovers",
      rule: { comparator: "gte" },
      samples: [10, 10, 9.99],
      states: "AAo",
    },
    {
      name: "lte without a band: above the value recovers",
      rule: { comparator: "lte" },
      samples: [10, 10, 10.01],
      states: "AAo",
    },
  ];

  for (const c of cases) {
    it(c.name, () => {
      expect(run(rule(c.rule), c.samples).states).toBe(c.states);
    });
  }

  it("records when, from what to what and at which value it changed", () => {
    const { transitions, final } = run(rule({ forSamples: 2 }), [11, 12, 3, 4]);
    expect(transitions).toEqual([
      { from: "ok", to: "alarm", value: 12, notify: "send", atMs: startMs + sampleEveryMs },
      { from: "alarm", to: "ok", value: 4, notify: "send", atMs: startMs + 3 * sampleEveryMs },
    ]);
    expect(final).toEqual({
      state: "ok",
      streak: 0,
      stateChangedAtMs: startMs + 3 * sampleEveryMs,
      lastNotifiedAtMs: startMs + sampleEveryMs,
    });
  });

  it("returns the same state object when nothing changes (callers skip the write)", () => {
    const current = { ...initialThresholdState };
    expect(stepThreshold(rule(), current, 3, startMs).next).toBe(current);
    expect(stepThreshold(rule(), current, null, startMs).next).toBe(current);
  });

  it("a rule whose forSamples was lowered during a streak changes at its next breach", () => {
    const during = { ...initialThresholdState, streak: 4 };
    expect(stepThreshold(rule({ forSamples: 2 }), during, 11, startMs).next.state).toBe("alarm");
  });
});

describe("stepThreshold: cooldown", () => {
  // 60 s cooldown, a sample every 10 s: alarm, recover, alarm, recover, ...
  const flapping = [11, 5, 11, 5, 11, 5, 11, 5, 11, 5];

  it("suppresses an ALARM within cooldownSeconds of the last ALARM sent, and its recovery", () => {
    const { states, transitions } = run(rule({ cooldownSeconds: 60 }), flapping);
    expect(states).toBe("AoAoAoAoAo");
    expect(transitions.map((t) => `${t.to}@${(t.atMs - startMs) / 1000}s:${t.notify}`)).toEqual([
      "alarm@0s:send",
      "ok@10s:send",
      "alarm@20s:suppressed_cooldown",
      "ok@30s:suppressed_cooldown",
      "alarm@40s:suppressed_cooldown",
      "ok@50s:suppressed_cooldown",
      // 60 s after the last ALARM sent: not within the cooldown any more.
      "alarm@60s:send",
      "ok@70s:send",
      "alarm@80s:suppressed_cooldown",
      "ok@90s:suppressed_cooldown",
    ]);
  });

  it("a suppressed ALARM does not restart the cooldown", () => {
    const { final } = run(rule({ cooldownSeconds: 60 }), flapping.slice(0, 6));
    expect(final.lastNotifiedAtMs).toBe(startMs);
  });

  it("cooldown 0 sends every ALARM", () => {
    const { transitions } = run(rule({ cooldownSeconds: 0 }), flapping);
    expect(transitions.every((t) => t.notify === "send")).toBe(true);
  });

  it("counts from a notification made before the rule's state was loaded", () => {
    const notifiedMs = startMs - 30_000;
    const from = { ...initialThresholdState, lastNotifiedAtMs: notifiedMs };
    expect(run(rule({ cooldownSeconds: 60 }), [11], from).transitions[0]?.notify).toBe("suppressed_cooldown");
    expect(run(rule({ cooldownSeconds: 30 }), [11], from).transitions[0]?.notify).toBe("send");
  });

  it("recovery of an ALARM entered before any notification (state loaded as alarm) is not sent", () => {
    const from: ThresholdMachineState = {
      state: "alarm",
      streak: 0,
      stateChangedAtMs: startMs,
      lastNotifiedAtMs: null,
    };
    expect(run(rule(), [5], from).transitions[0]?.notify).toBe("suppressed_cooldown");
  });
});

describe("metricValue", () => {
  const sample: RoomSample = {
    roomId: "shop",
    atMs: startMs,
    active: 30,
    waiting: 7,
    capacity: 40,
    arrivalsPerMinute: 12,
    admissionsPerMinute: 9,
    expiredPerMinute: 2,
    medianWaitSeconds: 95,
  };
  const cases: [AlertMetric, Partial<RoomSample>, number | null][] = [
    ["waiting", {}, 7],
    ["activePercent", {}, 75],
    ["activePercent", { capacity: 0, active: 0 }, null],
    ["arrivalsPerMinute", {}, 12],
    ["medianWaitSeconds", {}, 95],
    ["medianWaitSeconds", { medianWaitSeconds: null }, null],
    ["expiredPerMinute", {}, 2],
  ];
  for (const [metric, overrides, expected] of cases) {
    it(`${metric} of ${JSON.stringify(overrides)} is ${expected}`, () => {
      expect(metricValue({ ...sample, ...overrides }, metric)).toBe(expected);
    });
  }
});
