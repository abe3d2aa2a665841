// An audit record's before/after values as readable lines: "Capacity: 0 → 1", only what
// changed, each field under its label and each value formatted by its kind (durations,
// booleans as on/off, lists, times on the browser's clock, branding summarised). Records hold
// arbitrary JSON (a room, a user, a number), so an unknown field still reads sensibly.
import { LANG_NAMES } from "@/components/waiting/negotiate-language";
import { formatDuration, formatMinutes, formatWhen } from "../common/format";
import { type FieldKind, type FieldSpec, fieldSpec } from "./audit-fields";

export type ChangeLine = {
  /** The field's key (null for a plain value); for React keys and tests. */
  key: string | null;
  /** What a person calls it: "Admission number". */
  label: string | null;
  before: string | null;
  after: string | null;
};

/** An instant on the reader's clock: "14:03" today, "Thu, Mar 13, 14:03" another day. */
export type FormatTime = (epochMs: number) => string;

const defaultTime: FormatTime = (epochMs) => formatWhen(epochMs);

/** An ISO 8601 instant, which must never reach the page as it is. */
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

const numberText = (value: number) => value.toLocaleString();

function languageName(code: string): string {
  return Object.hasOwn(LANG_NAMES, code) ? LANG_NAMES[code as keyof typeof LANG_NAMES] : code;
}

/** "name in English, 한국어 · message in English · logo · accent #0055ff", or "none". */
export function summariseBranding(value: unknown): string {
  if (!isRecord(value)) return plainText(value);
  const languages = (texts: unknown) => (isRecord(texts) ? Object.keys(texts).map(languageName) : []);
  const names = languages(value.displayName);
  const messages = languages(value.message);
  const parts = [
    names.length ? `name in ${names.join(", ")}` : null,
    messages.length ? `message in ${messages.join(", ")}` : null,
    typeof value.logoUrl === "string" ? "logo" : null,
    typeof value.accentColor === "string" ? `accent ${value.accentColor}` : null,
  ].filter((part): part is string => part !== null);
  return parts.length ? parts.join(" · ") : "none (Floodgate's own look)";
}

/** Any JSON value without a known kind: words, never raw JSON or an ISO string. */
function plainText(value: unknown, formatTime: FormatTime = defaultTime): string {
  if (value === null || value === undefined) return "none";
  if (typeof value === "string") {
    if (value === "") return "(empty)";
    return ISO_INSTANT.test(value) ? formatTime(Date.parse(value)) : value;
  }
  if (typeof value === "number") return numberText(value);
  if (typeof value === "boolean") return value ? "on" : "off";
  if (Array.isArray(value))
    return value.length === 0 ? "none" : value.map((item) => plainText(item, formatTime)).join(", ");
  if (isRecord(value)) {
    return Object.entries(value)
      .map(([key, item]) => `${fieldSpec(key).label}: ${formatAuditValue(key, item, {}, formatTime)}`)
      .join("; ");
  }
  return String(value);
}

/** The kind a threshold's value takes from its metric: a percentage, seconds, a rate. */
function kindInContext(key: string, spec: FieldSpec, context: Record<string, unknown>): FieldKind {
  if (key !== "value" && key !== "recoverValue") return spec.kind;
  if (context.metric === "activePercent") return "percent";
  if (context.metric === "medianWaitSeconds") return "seconds";
  if (context.metric === "arrivalsPerMinute" || context.metric === "expiredPerMinute") return "perMinute";
  return spec.kind;
}

/** One field's value as a person reads it; `context` is the rest of the record (a threshold's metric). */
export function formatAuditValue(
  key: string,
  value: unknown,
  context: Record<string, unknown> = {},
  formatTime: FormatTime = defaultTime,
): string {
  const spec = fieldSpec(key);
  if (value === null || value === undefined) return spec.none ?? "none";
  const kind = kindInContext(key, spec, context);
  const word = spec.words?.[String(value)];
  if (word !== undefined) return word;
  if (typeof value === "number") {
    if (kind === "ms") return formatDuration(value / 1000);
    if (kind === "seconds") return formatDuration(value);
    if (kind === "minutes") return formatMinutes(value);
    if (kind === "perMinute") return `${numberText(value)} per minute`;
    if (kind === "percent") return `${numberText(value)}%`;
  }
  if (kind === "onOff" && typeof value === "boolean") return value ? "on" : "off";
  if (kind === "instant" && typeof value === "string" && !Number.isNaN(Date.parse(value))) {
    return formatTime(Date.parse(value));
  }
  if (kind === "language" && typeof value === "string") return languageName(value);
  if (kind === "branding") return summariseBranding(value);
  if (kind === "list" && Array.isArray(value) && value.length === 0) return spec.none ?? "none";
  return plainText(value, formatTime);
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

export function describeChange(before: unknown, after: unknown, formatTime: FormatTime = defaultTime): ChangeLine[] {
  const hasBefore = before !== null && before !== undefined;
  const hasAfter = after !== null && after !== undefined;
  if (!hasBefore && !hasAfter) return [];
  if ((isRecord(before) || !hasBefore) && (isRecord(after) || !hasAfter)) {
    const b = isRecord(before) ? before : {};
    const a = isRecord(after) ? after : {};
    const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])];
    return keys
      .filter((key) => !same(b[key], a[key]))
      .map((key) => ({
        key,
        label: fieldSpec(key).label,
        before: hasBefore && key in b ? formatAuditValue(key, b[key], b, formatTime) : null,
        after: hasAfter && key in a ? formatAuditValue(key, a[key], a, formatTime) : null,
      }));
  }
  return [
    {
      key: null,
      label: null,
      before: hasBefore ? plainText(before, formatTime) : null,
      after: hasAfter ? plainText(after, formatTime) : null,
    },
  ];
}
