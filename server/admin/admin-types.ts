// JSON shapes of the admin API (app/api/admin/**), shared by the route handlers and, as
// `import type`, by the console's react-query hooks. No runtime code here.
// Times: ISO 8601 strings in records (tokens, audit, users); epoch ms in chart series.

import type { Lang } from "@/components/waiting/negotiate-language";
import type { RoomBranding } from "@/server/queue/branding";
import type { RoomConfig, RoomMode, RoomStats } from "@/server/queue/types";

export type Role = "viewer" | "operator" | "admin";

/** What the signed-in person may do; the UI hides or disables the rest, the server refuses it. */
export type SessionUser = { id: string; email: string; name: string; role: Role };

export type AdminRoomStats = RoomStats & {
  expiredPerMinute: number;
  /** Median / 95th percentile wait of visitors admitted in the last 15 minutes; null when none. */
  medianWaitSeconds: number | null;
  p95WaitSeconds: number | null;
  /** ETA for someone who joins now; null when unknown. */
  etaSecondsForNewcomer: number | null;
};

export type AdminRoom = RoomConfig & { stats: AdminRoomStats };

/** GET /api/admin/rooms */
export type RoomListResponse = { rooms: AdminRoom[] };
/** GET/PATCH/POST one room */
export type RoomResponse = { room: AdminRoom };

/** POST /api/admin/rooms: a new room's settings; without branding it starts with none. */
export type CreateRoomInput = Omit<RoomConfig, "defaultLanguage" | "branding"> &
  Partial<Pick<RoomConfig, "defaultLanguage" | "branding">>;

export type RoomSettingsInput = {
  name?: string;
  capacity?: number;
  heartbeatIntervalMs?: number;
  heartbeatTimeoutMs?: number;
  maxQueueLength?: number;
  mode?: RoomMode;
  protectedPaths?: string[];
  newUsersPerMinute?: number | null;
  sessionDurationSeconds?: number | null;
  typicalVisitSeconds?: number | null;
  sessionRenewal?: boolean;
  bypassCidrs?: string[];
  bypassApiKeys?: boolean;
  bypassUncounted?: boolean;
  challenge?: "off" | "pow";
  challengeDifficulty?: number;
  blockedCidrs?: string[];
  infiniteLine?: boolean;
  defaultLanguage?: Lang | null;
  /** Replaces the whole branding (fields left out are empty). */
  branding?: RoomBranding;
};

export type AdminToken = {
  id: string;
  room: string;
  seq: number;
  /** The place's reference code, as the visitor sees it ("K7QF-2M"). */
  reference: string;
  /** Skipped the line (a bypass address range or API key). */
  bypassed: boolean;
  state: "waiting" | "admitting" | "admitted";
  position: number | null;
  enteredAt: string;
  admittedAt: string | null;
  admissionNo: number | null;
  expiresAt: string;
  leaving: boolean;
  /** Seconds waited so far (waiting) or before admission (admitted). */
  waitedSeconds: number;
};

export type Page<T> = { items: T[]; total: number; page: number; pageSize: number };

/** GET /api/admin/rooms/:room/tokens */
export type TokenListResponse = Page<AdminToken>;
export type TokenResponse = { token: AdminToken };

export const seriesRanges = ["15m", "1h", "6h", "24h"] as const;
export type SeriesRange = (typeof seriesRanges)[number];

export type SeriesPoint = {
  /** epoch ms: when a 10 s sample was taken; the start of the minute (or bucket) for rollups */
  t: number;
  active: number;
  waiting: number;
  capacity: number;
  arrivalsPerMinute: number;
  admissionsPerMinute: number;
  expiredPerMinute: number;
  medianWaitSeconds: number | null;
  p95WaitSeconds: number | null;
};

/** GET /api/admin/rooms/:room/series?range=15m */
export type SeriesResponse = { room: string; range: SeriesRange; resolutionSeconds: number; points: SeriesPoint[] };

export type AuditRecord = {
  id: number;
  at: string;
  actorEmail: string;
  actorRole: Role;
  /** "system": the scheduler or an API key acting by itself (actorEmail names which), not a person. */
  actorKind: "person" | "system";
  action: string;
  roomId: string | null;
  target: string | null;
  ip: string | null;
  before: unknown;
  after: unknown;
  reason: string | null;
};

/** GET /api/admin/audit?page=&room=&action= */
export type AuditListResponse = Page<AuditRecord>;

export type AdminUser = {
  id: string;
  email: string;
  name: string;
  role: Role;
  disabled: boolean;
  createdAt: string;
  lastSignInAt: string | null;
};

export type UserListResponse = { users: AdminUser[] };
export type UserResponse = { user: AdminUser };

/** GET /api/admin/me */
export type MeResponse = { user: SessionUser };

// ---- scale events, surges, API keys (server/schedule) ------------------------------------------

/** scheduled: not yet; lead: capacity raised (and pre-queue open) before start; running; ended; cancelled. */
export type ScaleEventStatus = "scheduled" | "lead" | "running" | "ended" | "cancelled";

export type ScaleEventRecord = {
  id: string;
  roomId: string;
  name: string;
  startsAt: string;
  endsAt: string;
  capacity: number;
  /** While active: the limit on admissions per minute (null: the room's own). */
  newUsersPerMinute: number | null;
  leadMinutes: number;
  preQueue: boolean;
  status: ScaleEventStatus;
  /** When the scheduler applied each phase; null until it has. */
  leadAt: string | null;
  startedAt: string | null;
  endedAt: string | null;
  cancelledAt: string | null;
  createdBy: string;
  createdAt: string;
};

/** POST /api/admin/rooms/:room/events (startsAt "now" allowed: starts at once). PATCH takes any subset. */
export type ScaleEventInput = {
  name: string;
  startsAt: string;
  endsAt: string;
  capacity: number;
  newUsersPerMinute?: number | null;
  leadMinutes?: number;
  preQueue?: boolean;
};

/** GET /api/admin/events?room=&from=&to= (every room's when room is absent) */
export type ScaleEventListResponse = { events: ScaleEventRecord[] };
export type ScaleEventResponse = { event: ScaleEventRecord };

export type SurgePolicyRecord = {
  roomId: string;
  capacity: number;
  holdMinutes: number;
  /** End the hold early once arrivals/min stay below this for endAfterLowMinutes; null: never. */
  endBelowArrivalsPerMin: number | null;
  endAfterLowMinutes: number;
  /** While a surge runs: the limit on admissions per minute (null: the room's own). */
  newUsersPerMinute: number | null;
};

export type SurgeRecord = {
  id: string;
  roomId: string;
  capacity: number;
  startedAt: string;
  holdUntil: string;
  extensions: number;
  startedBy: string;
  endedAt: string | null;
  endReason: "hold_expired" | "low_traffic" | "operator" | null;
};

/** Why the room has the capacity it has now: its base, or the highest of what is running. */
export type CapacitySource =
  | { kind: "base"; capacity: number }
  | { kind: "event"; capacity: number; eventId: string; name: string; until: string }
  | { kind: "surge"; capacity: number; surgeId: string; until: string };

/** GET /api/admin/rooms/:room/capacity-plan */
export type CapacityPlanResponse = {
  roomId: string;
  baseCapacity: number;
  effectiveCapacity: number;
  /** Everything raising capacity now, highest first; the first one (or base) is what applies. */
  sources: CapacitySource[];
  surge: SurgeRecord | null;
  policy: SurgePolicyRecord | null;
  /** The room's pre-queue, while one is open. */
  preQueue: { eventId: string; opensAt: string; startsAt: string; waiting: number } | null;
};

export type ApiKeyRecord = {
  id: string;
  name: string;
  /** First characters of the key, to tell keys apart. */
  prefix: string;
  rooms: string[];
  createdBy: string;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
};

/** GET /api/admin/api-keys */
export type ApiKeyListResponse = { keys: ApiKeyRecord[] };
/** POST /api/admin/api-keys: the only time the key itself is shown. */
export type ApiKeyCreatedResponse = { key: ApiKeyRecord; secret: string };

/** POST /api/triggers/surge (API key): what the trigger did. */
export type SurgeTriggerResponse = { surge: SurgeRecord; action: "started" | "extended"; effectiveCapacity: number };

// ---- alerts and notifications (server/alerts) ---------------------------------------------------

export const alertMetrics = [
  "waiting",
  "activePercent",
  "arrivalsPerMinute",
  "medianWaitSeconds",
  "expiredPerMinute",
] as const;
export type AlertMetric = (typeof alertMetrics)[number];
export const alertComparators = ["gt", "gte", "lt", "lte"] as const;
export type AlertComparator = (typeof alertComparators)[number];
export type AlertState = "ok" | "alarm";

export type AlertThresholdRecord = {
  id: string;
  roomId: string;
  name: string;
  metric: AlertMetric;
  comparator: AlertComparator;
  value: number;
  forSamples: number;
  recoverValue: number | null;
  cooldownSeconds: number;
  topicArn: string | null;
  enabled: boolean;
  state: AlertState;
  stateChangedAt: string | null;
  lastNotifiedAt: string | null;
};

export type AlertThresholdInput = {
  name?: string;
  metric: AlertMetric;
  comparator: AlertComparator;
  value: number;
  forSamples?: number;
  recoverValue?: number | null;
  cooldownSeconds?: number;
  topicArn?: string | null;
  enabled?: boolean;
};

/** GET /api/admin/rooms/:room/thresholds */
export type AlertThresholdListResponse = { thresholds: AlertThresholdRecord[] };
export type AlertThresholdResponse = { threshold: AlertThresholdRecord };

/** An enabled threshold in ALARM right now: what the console's badges count. */
export type ActiveAlarm = {
  thresholdId: string;
  roomId: string;
  /** The operator's name for the rule, or "" (the console then names the metric). */
  name: string;
  metric: AlertMetric;
  /** ISO instant the ALARM began. */
  since: string | null;
};

/** GET /api/admin/alarms: every threshold in ALARM, oldest first. */
export type ActiveAlarmListResponse = { alarms: ActiveAlarm[] };

export type AlertEventRecord = {
  id: number;
  thresholdId: string;
  roomId: string;
  at: string;
  fromState: AlertState;
  toState: AlertState;
  value: number | null;
  message: string;
  notification: "sent" | "suppressed_cooldown" | "no_channel";
};

/** GET /api/admin/alerts?room=&page= */
export type AlertEventListResponse = Page<AlertEventRecord>;

export type DeliveryStatus = "pending" | "retrying" | "sent" | "failed" | "dropped";
export type DeliveryKind = "alarm" | "recovery" | "scale" | "test";

export type DeliveryRecord = {
  id: string;
  roomId: string | null;
  kind: DeliveryKind;
  topicArn: string;
  subject: string;
  message: string;
  status: DeliveryStatus;
  attempts: number;
  lastError: string | null;
  createdAt: string;
  expiresAt: string;
  sentAt: string | null;
  messageId: string | null;
};

/** GET /api/admin/deliveries?room=&status=&page= */
export type DeliveryListResponse = Page<DeliveryRecord>;

/** GET/PUT /api/admin/rooms/:room/channel */
export type NotificationChannelResponse = {
  roomId: string;
  /** The room's own topic; null: the default from FLOODGATE_SNS_TOPIC_ARN (if any). */
  topicArn: string | null;
  defaultTopicArn: string | null;
  /** False when no SNS topic applies: notifications are recorded but not sent. */
  deliverable: boolean;
};
