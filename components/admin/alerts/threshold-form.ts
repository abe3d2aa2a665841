// Alert thresholds in words ("Waiting > 100 for 3 samples; OK again at ≤ 80") and the editor's
// values, checks and input. The checks mirror the server's (server/alerts): the recover value
// lies on the good side of the alarm value, a topic is an SNS topic ARN.
import type {
  AlertComparator,
  AlertMetric,
  AlertThresholdInput,
  AlertThresholdRecord,
} from "@/server/admin/admin-types";
import { formatRate } from "../common/format";
import { parseDecimal, parseWhole } from "../common/number-input";

export const metricInfo: Record<AlertMetric, { label: string; short: string; unit: string }> = {
  waiting: { label: "Waiting (people in line)", short: "Waiting", unit: "" },
  activePercent: { label: "Active / capacity (%)", short: "Active", unit: "%" },
  arrivalsPerMinute: { label: "Arrivals per minute", short: "Arrivals/min", unit: "" },
  medianWaitSeconds: { label: "Median wait (seconds)", short: "Median wait", unit: " s" },
  expiredPerMinute: { label: "Expired per minute (expiry rate)", short: "Expired/min", unit: "" },
};

export const metricOptions = Object.keys(metricInfo) as AlertMetric[];

export const comparatorInfo: Record<AlertComparator, { symbol: string; words: string; recoverSymbol: string }> = {
  gt: { symbol: ">", words: "above", recoverSymbol: "≤" },
  gte: { symbol: "≥", words: "at or above", recoverSymbol: "<" },
  lt: { symbol: "<", words: "below", recoverSymbol: "≥" },
  lte: { symbol: "≤", words: "at or below", recoverSymbol: ">" },
};

export const comparatorOptions = Object.keys(comparatorInfo) as AlertComparator[];

const TOPIC_ARN = /^arn:aws[a-zA-Z-]*:sns:[a-z0-9-]+:\d{12}:[A-Za-z0-9_-]{1,256}(\.fifo)?$/;

/** Whether text is an SNS topic ARN, as the server checks it. */
export function isTopicArn(text: string): boolean {
  return TOPIC_ARN.test(text.trim());
}

export const topicArnHint = "e.g. arn:aws:sns:eu-west-1:123456789012:floodgate-alerts";

function samples(count: number): string {
  return count === 1 ? "1 sample" : `${count} samples`;
}

/** The rule in one line: "Waiting > 100 for 3 samples; OK again at ≤ 80". */
export function describeRule(
  rule: Pick<AlertThresholdInput, "metric" | "comparator" | "value" | "forSamples" | "recoverValue">,
): string {
  const { short, unit } = metricInfo[rule.metric];
  const { symbol, recoverSymbol } = comparatorInfo[rule.comparator];
  const alarm = `${short} ${symbol} ${formatRate(rule.value)}${unit} for ${samples(rule.forSamples ?? 1)}`;
  const recover = rule.recoverValue ?? rule.value;
  return `${alarm}; OK again at ${recoverSymbol} ${formatRate(recover)}${unit}`;
}

export type ThresholdFormValues = {
  name: string;
  metric: AlertMetric;
  comparator: AlertComparator;
  value: string;
  forSamples: string;
  /** Empty: the alarm value itself (no band). */
  recoverValue: string;
  cooldownSeconds: string;
  /** Empty: the room's channel. */
  topicArn: string;
  enabled: boolean;
};

export type ThresholdFormErrors = Partial<Record<keyof ThresholdFormValues, string>>;

export const emptyThresholdForm: ThresholdFormValues = {
  name: "",
  metric: "waiting",
  comparator: "gt",
  value: "",
  forSamples: "3",
  recoverValue: "",
  cooldownSeconds: "300",
  topicArn: "",
  enabled: true,
};

export function thresholdFormFrom(threshold: AlertThresholdRecord): ThresholdFormValues {
  return {
    name: threshold.name,
    metric: threshold.metric,
    comparator: threshold.comparator,
    value: String(threshold.value),
    forSamples: String(threshold.forSamples),
    recoverValue: threshold.recoverValue === null ? "" : String(threshold.recoverValue),
    cooldownSeconds: String(threshold.cooldownSeconds),
    topicArn: threshold.topicArn ?? "",
    enabled: threshold.enabled,
  };
}

export const MAX_FOR_SAMPLES = 60;
export const MAX_COOLDOWN_SECONDS = 24 * 3600;
export const MAX_NAME_LENGTH = 80;
/** Active can exceed capacity (capacity lowered under a full room), but not by tenfold. */
const MAX_ACTIVE_PERCENT = 1000;
const MAX_VALUE = 1_000_000_000;

/** Checks every field; the input to send when all are valid, else a message per bad field. */
export function validateThresholdForm(values: ThresholdFormValues): {
  errors: ThresholdFormErrors;
  input: AlertThresholdInput | null;
} {
  const errors: ThresholdFormErrors = {};
  const name = values.name.trim();
  if (name.length > MAX_NAME_LENGTH) errors.name = `At most ${MAX_NAME_LENGTH} characters.`;
  const maxValue = values.metric === "activePercent" ? MAX_ACTIVE_PERCENT : MAX_VALUE;
  const value = parseDecimal(values.value, 0, maxValue, "a value");
  if (typeof value === "string") errors.value = value;
  const forSamples = parseWhole(values.forSamples, 1, MAX_FOR_SAMPLES, "a number of samples");
  if (typeof forSamples === "string") errors.forSamples = forSamples;
  const cooldownSeconds = parseWhole(values.cooldownSeconds, 0, MAX_COOLDOWN_SECONDS, "a cooldown in seconds");
  if (typeof cooldownSeconds === "string") errors.cooldownSeconds = cooldownSeconds;

  let recoverValue: number | null = null;
  if (values.recoverValue.trim() !== "") {
    const parsed = parseDecimal(values.recoverValue, 0, maxValue, "a recover value");
    if (typeof parsed === "string") errors.recoverValue = parsed;
    else recoverValue = parsed;
  }
  if (recoverValue !== null && typeof value === "number") {
    const above = values.comparator === "gt" || values.comparator === "gte";
    if (above ? recoverValue > value : recoverValue < value)
      errors.recoverValue = above
        ? "For an alarm on high values, recovery must be at or below the alarm value."
        : "For an alarm on low values, recovery must be at or above the alarm value.";
  }

  const topicArn = values.topicArn.trim();
  if (topicArn !== "" && !isTopicArn(topicArn)) errors.topicArn = `Not an SNS topic ARN (${topicArnHint}).`;

  if (Object.keys(errors).length > 0) return { errors, input: null };
  return {
    errors,
    input: {
      name,
      metric: values.metric,
      comparator: values.comparator,
      value: value as number,
      forSamples: forSamples as number,
      recoverValue,
      cooldownSeconds: cooldownSeconds as number,
      topicArn: topicArn === "" ? null : topicArn,
      enabled: values.enabled,
    },
  };
}
