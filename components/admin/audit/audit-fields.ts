// Every field the server writes into an audit entry, with the label and the kind of value an
// operator reads ("Admission number: none", "Session length: 15 min 00 s", "Pre-queue: on").
// The map is typed against the server's records (a room's settings, a scale event, a surge
// policy, a threshold) so a new setting without a label does not compile, and
// audit-fields.test.ts checks the keys the server actually writes.
import type {
  AlertThresholdInput,
  Role,
  ScaleEventInput,
  ScaleEventStatus,
  SurgePolicyRecord,
} from "@/server/admin/admin-types";
import type { ChallengeMode, RoomConfig, RoomMode } from "@/server/queue/types";

export type FieldKind =
  /** Plain words or a name, as written. */
  | "text"
  /** An id or code: shown in a monospace font. */
  | "code"
  | "count"
  /** Durations, by their unit. */
  | "ms"
  | "seconds"
  | "minutes"
  | "perMinute"
  | "percent"
  | "onOff"
  | "list"
  /** An ISO instant: shown on the browser's clock, with the date when not today. */
  | "instant"
  /** A room's branding (names and messages per language, logo, accent): summarised. */
  | "branding"
  | "language"
  /** A word from a fixed set (a mode, a role, a status): shown through `words`. */
  | "word";

export type FieldSpec = {
  label: string;
  kind: FieldKind;
  /** What null means for this field ("no limit", "the room's own"); default "none". */
  none?: string;
  /** Words for the values of a "word" or "onOff" field. */
  words?: Readonly<Record<string, string>>;
};

/** Keys the server audits besides the records' own fields (tokens, users, keys, drains, ...). */
type OtherAuditedKey =
  | "active"
  | "waiting"
  | "evicted"
  | "reference"
  | "state"
  | "position"
  | "admissionNo"
  | "email"
  | "role"
  | "disabled"
  | "password"
  | "status"
  | "deliveryId"
  | "reason"
  | "prefix"
  | "rooms"
  | "revokedAt";

export type AuditedKey =
  | keyof RoomConfig
  | keyof ScaleEventInput
  | keyof SurgePolicyRecord
  | keyof AlertThresholdInput
  | OtherAuditedKey;

const onOff = { true: "on", false: "off" } as const;
const modeWords: Record<RoomMode, string> = {
  fifo: "first come, first served",
  random: "random",
  passthrough: "everyone straight in",
  closed: "closed",
};
const challengeWords: Record<ChallengeMode, string> = { off: "off", pow: "proof of work" };
const roleWords: Record<Role, string> = { viewer: "viewer", operator: "operator", admin: "admin" };
const eventStatusWords: Record<ScaleEventStatus | "open", string> = {
  scheduled: "upcoming",
  lead: "lead time",
  running: "running",
  ended: "ended",
  cancelled: "cancelled",
  open: "open",
};

export const auditFields: Record<AuditedKey, FieldSpec> = {
  // A room's settings (room.create, room.update, room.capacity, room.delete).
  id: { label: "Room id", kind: "code" },
  name: { label: "Name", kind: "text" },
  capacity: { label: "Capacity", kind: "count" },
  heartbeatIntervalMs: { label: "Heartbeat interval", kind: "ms" },
  heartbeatTimeoutMs: { label: "Heartbeat timeout", kind: "ms" },
  maxQueueLength: { label: "Longest line", kind: "count" },
  mode: { label: "Admission", kind: "word", words: modeWords },
  protectedPaths: { label: "Protected paths", kind: "list" },
  newUsersPerMinute: { label: "New visitors per minute", kind: "perMinute", none: "no limit of its own" },
  sessionDurationSeconds: { label: "Session length", kind: "seconds", none: "no limit" },
  sessionRenewal: { label: "Session renewal", kind: "onOff" },
  typicalVisitSeconds: { label: "Typical visit", kind: "seconds", none: "measured only" },
  bypassCidrs: { label: "Bypass addresses", kind: "list" },
  bypassApiKeys: { label: "Bypass with an API key", kind: "onOff" },
  bypassUncounted: { label: "Bypass beyond capacity", kind: "onOff" },
  challenge: { label: "Bot check", kind: "word", words: challengeWords },
  challengeDifficulty: { label: "Bot check difficulty", kind: "count" },
  blockedCidrs: { label: "Blocked addresses", kind: "list" },
  infiniteLine: { label: "Infinite line", kind: "onOff" },
  defaultLanguage: { label: "Default language", kind: "language", none: "English (Floodgate's default)" },
  branding: { label: "Branding", kind: "branding" },
  // A room's figures when it was deleted or drained.
  active: { label: "Visitors inside", kind: "count" },
  waiting: { label: "Waiting", kind: "count" },
  evicted: { label: "Evicted", kind: "count" },
  // A visitor's place (token.evict, token.admit, session.end).
  reference: { label: "Reference", kind: "code" },
  state: { label: "State", kind: "word", words: { ok: "OK", alarm: "ALARM" } },
  position: { label: "Position", kind: "count", none: "not in line" },
  admissionNo: { label: "Admission number", kind: "count" },
  // People (user.*).
  email: { label: "Email", kind: "text" },
  role: { label: "Role", kind: "word", words: roleWords },
  disabled: { label: "Account", kind: "onOff", words: { true: "disabled", false: "active" } },
  password: { label: "Password", kind: "word", words: { "(old)": "previous", "(changed)": "changed" } },
  // Scale events (event.create, event.update, event.cancel).
  startsAt: { label: "Starts", kind: "instant" },
  endsAt: { label: "Ends", kind: "instant" },
  leadMinutes: { label: "Lead time", kind: "minutes" },
  preQueue: { label: "Pre-queue", kind: "onOff" },
  status: { label: "Status", kind: "word", words: { ...eventStatusWords, queued: "queued", no_channel: "no channel" } },
  // The surge policy (surge.policy).
  roomId: { label: "Room", kind: "code" },
  holdMinutes: { label: "Hold", kind: "minutes" },
  endBelowArrivalsPerMin: { label: "End early below arrivals per minute", kind: "perMinute", none: "never" },
  endAfterLowMinutes: { label: "End after low for", kind: "minutes" },
  // Alert thresholds (threshold.*) and the notification channel.
  metric: {
    label: "Metric",
    kind: "word",
    words: {
      waiting: "waiting",
      activePercent: "active / capacity",
      arrivalsPerMinute: "arrivals per minute",
      medianWaitSeconds: "median wait",
      expiredPerMinute: "expired per minute",
    },
  },
  comparator: {
    label: "Alarm when",
    kind: "word",
    words: { gt: "above", gte: "at or above", lt: "below", lte: "at or below" },
  },
  value: { label: "Alarm value", kind: "count" },
  recoverValue: { label: "OK again at", kind: "count", none: "the alarm value" },
  forSamples: { label: "Samples in a row", kind: "count" },
  cooldownSeconds: { label: "Cooldown", kind: "seconds" },
  topicArn: { label: "SNS topic", kind: "code", none: "the default topic" },
  enabled: { label: "Enabled", kind: "onOff", words: onOff },
  deliveryId: { label: "Delivery", kind: "code" },
  reason: { label: "Why", kind: "text" },
  // API keys (apikey.*).
  prefix: { label: "Key prefix", kind: "code" },
  rooms: { label: "Rooms", kind: "list", none: "every room" },
  revokedAt: { label: "Revoked", kind: "instant", none: "no" },
};

/** The spec of a key, or a readable one made from the key itself ("someSetting" → "Some setting"). */
export function fieldSpec(key: string): FieldSpec {
  if (Object.hasOwn(auditFields, key)) return auditFields[key as AuditedKey];
  const words = key
    .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
    .replace(/[_-]+/g, " ")
    .toLowerCase();
  return { label: `${words.charAt(0).toUpperCase()}${words.slice(1)}`, kind: "text" };
}
