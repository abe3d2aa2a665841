import { describe, expect, it } from "vitest";
import {
  describeRule,
  emptyThresholdForm,
  isTopicArn,
  type ThresholdFormValues,
  thresholdFormFrom,
  validateThresholdForm,
} from "./threshold-form";

const valid: ThresholdFormValues = { ...emptyThresholdForm, name: "Long line", value: "100", recoverValue: "80" };

describe("validateThresholdForm", () => {
  it("turns valid values into the input to send", () => {
    const { errors, input } = validateThresholdForm(valid);
    expect(errors).toEqual({});
    expect(input).toEqual({
      name: "Long line",
      metric: "waiting",
      comparator: "gt",
      value: 100,
      forSamples: 3,
      recoverValue: 80,
      cooldownSeconds: 300,
      topicArn: null,
      enabled: true,
    });
  });

  it("sends no recover value (the alarm value) when the field is empty, and a topic when given", () => {
    const topic = "arn:aws:sns:eu-west-1:123456789012:floodgate-alerts";
    const { input } = validateThresholdForm({ ...valid, recoverValue: " ", topicArn: ` ${topic} ` });
    expect(input).toMatchObject({ recoverValue: null, topicArn: topic });
  });

  it("accepts a recovery above the value for an alarm on low values", () => {
    const { errors } = validateThresholdForm({ ...valid, comparator: "lt", value: "5", recoverValue: "10" });
    expect(errors).toEqual({});
  });

  it.each([
    [{ value: "" }, "value"],
    [{ value: "-1" }, "value"],
    [{ value: "lots" }, "value"],
    [{ forSamples: "0" }, "forSamples"],
    [{ forSamples: "1.5" }, "forSamples"],
    [{ cooldownSeconds: "-5" }, "cooldownSeconds"],
    [{ recoverValue: "120" }, "recoverValue"],
    [{ comparator: "lte", value: "5", recoverValue: "4" }, "recoverValue"],
    [{ topicArn: "arn:aws:sns:eu-west-1:123:x" }, "topicArn"],
    [{ name: "n".repeat(81) }, "name"],
    [{ forSamples: "61" }, "forSamples"],
    [{ cooldownSeconds: "86401" }, "cooldownSeconds"],
    [{ metric: "activePercent", value: "1001", recoverValue: "" }, "value"],
  ] as const)("%j is refused on %s", (change, field) => {
    const { errors, input } = validateThresholdForm({ ...valid, ...change });
    expect(input).toBeNull();
    expect(Object.keys(errors)).toEqual([field]);
  });
});

describe("describeRule", () => {
  it.each([
    [
      { metric: "waiting", comparator: "gt", value: 100, forSamples: 3, recoverValue: 80 },
      "Waiting > 100 for 3 samples; OK again at ≤ 80",
    ],
    [
      { metric: "activePercent", comparator: "gte", value: 95, forSamples: 1, recoverValue: null },
      "Active ≥ 95% for 1 sample; OK again at < 95%",
    ],
    [
      { metric: "arrivalsPerMinute", comparator: "lt", value: 2.5, forSamples: 6, recoverValue: 5 },
      "Arrivals/min < 2.5 for 6 samples; OK again at ≥ 5",
    ],
    [
      { metric: "medianWaitSeconds", comparator: "lte", value: 0, forSamples: 2, recoverValue: null },
      "Median wait ≤ 0 s for 2 samples; OK again at > 0 s",
    ],
  ] as const)("%j reads %s", (rule, text) => {
    expect(describeRule(rule)).toBe(text);
  });
});

describe("isTopicArn", () => {
  it.each([
    ["arn:aws:sns:us-east-1:123456789012:alerts", true],
    ["arn:aws-cn:sns:cn-north-1:123456789012:alerts.fifo", true],
    ["arn:aws:sqs:us-east-1:123456789012:alerts", false],
    ["alerts", false],
  ])("%s: %s", (text, expected) => {
    expect(isTopicArn(text)).toBe(expected);
  });
});

describe("thresholdFormFrom", () => {
  it("round-trips through validation", () => {
    const { input } = validateThresholdForm(valid);
    if (!input) throw new Error("the valid values were refused");
    const record = {
      ...input,
      id: "t1",
      roomId: "shop",
      name: input.name ?? "",
      forSamples: input.forSamples ?? 1,
      recoverValue: input.recoverValue ?? null,
      cooldownSeconds: input.cooldownSeconds ?? 0,
      topicArn: input.topicArn ?? null,
      enabled: input.enabled ?? true,
      state: "ok" as const,
      stateChangedAt: null,
      lastNotifiedAt: null,
    };
    expect(thresholdFormFrom(record)).toEqual(valid);
  });
});
