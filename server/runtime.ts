import "server-only";
import type { AdminService } from "@/server/admin/admin-service";
import type { SessionUser } from "@/server/admin/admin-types";
import type { AlertService } from "@/server/alerts/alert-service";
import type { NotificationService } from "@/server/alerts/notification-service";
import type { SignInResult } from "@/server/auth/auth-service";
import type { Logger } from "@/server/log";
import type { QueueStatus, RoomConfig, RoomSummary } from "@/server/queue/types";
import type { ScheduleService } from "@/server/schedule/schedule-service";
import type { SessionTrigger } from "@/server/schedule/session-trigger";
import type { SystemStatus } from "@/server/store/system-status";

/**
 * What the Next.js side (proxy.ts, server pages, route handlers) may ask of the running
 * Floodgate process. server/main.ts builds the engine once and publishes this object on
 * globalThis, because Next's bundles hold their own copies of every module: a module-level
 * singleton would be a second, empty engine.
 */
export interface FloodgateRuntime {
  /** Public view of a room; null when no such room. */
  roomSummary(roomId: string): RoomSummary | null;
  /** Status of the visitor holding this queue token, without counting as a heartbeat. */
  visitorStatus(roomId: string, queueToken: string | undefined): Promise<QueueStatus | null>;
  /** The room whose protected paths cover this pathname, if any (longest prefix wins). */
  roomForPath(pathname: string): RoomConfig | null;
  /** True when the admission token is valid for this room (signature, expiry, room). Local, no store call. */
  verifyAdmission(roomId: string, admissionToken: string | undefined): Promise<boolean>;
  /** Everything the admin console may do (admin route handlers call exactly one method). */
  admin: AdminService;
  /** Scale events, surges and API keys (and the surge trigger's whole handling). */
  schedule: ScheduleService;
  /** Sessions the protected site ends (the end-session trigger's whole handling). */
  sessions: SessionTrigger;
  /** Alert thresholds and their history. */
  alerts: AlertService;
  /** Notification channels, the delivery log, test notifications. */
  notifications: NotificationService;
  auth: {
    /** Signs next-auth's session JWTs. */
    secret: string;
    /**
     * Hosts a request to /api/auth/* may name (Host, X-Forwarded-Host): next-auth builds its URLs
     * from them. null when FLOODGATE_PUBLIC_URL is set: next-auth then builds them from it alone.
     */
    trustedHosts: readonly string[] | null;
    sessionMaxAgeS: number;
    signIn(email: string, password: string, address: string): Promise<SignInResult>;
    /**
     * The person behind a session as they are now; null when gone, disabled, signed out by a new
     * password, or when this session (`sessionId`, the token's `sid`) was signed out.
     */
    sessionUser(userId: string, sessionEpoch: number, sessionId: string | null): Promise<SessionUser | null>;
    /** Signs one session out on the server, for every node (the person's other sessions go on). */
    endSession(sessionId: string, userId: string): Promise<void>;
    /** True once the session was signed out. */
    isSessionEnded(sessionId: string): Promise<boolean>;
  };
  /** This node's health: queue store breaker, cluster role, failure policy (console, /api/admin/system). */
  systemStatus(): SystemStatus;
  logger: Logger;
  /** Origin of FLOODGATE_PUBLIC_URL (behind a proxy that rewrites Host, what browsers send as Origin). */
  publicOrigin: string | null;
}

const runtimeKey = Symbol.for("floodgate.runtime");

export function publishRuntime(runtime: FloodgateRuntime): void {
  (globalThis as Record<symbol, unknown>)[runtimeKey] = runtime;
}

export function getRuntime(): FloodgateRuntime {
  const runtime = (globalThis as Record<symbol, unknown>)[runtimeKey] as FloodgateRuntime | undefined;
  if (!runtime) {
    throw new Error("Floodgate runtime is not started: run the app through server/main.ts (npm run dev / npm start)");
  }
  return runtime;
}
