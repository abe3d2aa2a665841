// JSON shapes of the admin API (app/api/admin/**), shared by the route handlers and, as
// `import type`, by the console's react-query hooks. No runtime code here.
// Times: ISO 8601 strings in records (tokens, audit, users); epoch ms in chart series.

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

export type RoomSettingsInput = {
  name?: string;
  capacity?: number;
  heartbeatIntervalMs?: number;
  heartbeatTimeoutMs?: number;
  maxQueueLength?: number;
  mode?: RoomMode;
  protectedPaths?: string[];
};

export type AdminToken = {
  id: string;
  room: string;
  seq: number;
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
