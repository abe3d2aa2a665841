// Browser client for the public queue API (served by the gate on the same origin).
// Every call resolves to a QueueReply instead of throwing, so callers handle network
// trouble, refusals and expiry as plain data.
import type { GoneReason, QueueStatus, VisitorState } from "@/server/queue/types";

/** `blocked`: the room does not take visitors from this network (it is shown as closed). */
export type RefusalCode = "room_full" | "room_closed" | "blocked";

export type QueueReply =
  | { kind: "status"; status: QueueStatus }
  /**
   * 401/404/410: the queue token is missing or unknown, the place is gone. `reason`: why, when
   * the server said (410's error.reason; session_ended alone means the time limit).
   */
  | { kind: "gone"; reason?: GoneReason }
  /** 503 with a known code: no place right now, try again after retryAfterMs. */
  | { kind: "refused"; code: RefusalCode; retryAfterMs: number | null }
  /**
   * 403 challenge_required / challenge_failed: a `pow` room wants its proof-of-work challenge
   * (ALTCHA) solved before it gives a place; `challenge` is the one to solve.
   */
  | { kind: "challenge"; challenge: unknown }
  /** Network error, 5xx, 429 or a body we do not understand: keep the last state, retry. */
  | { kind: "unavailable"; retryAfterMs: number | null };

export type QueueAction = "enter" | "heartbeat" | "leave" | "end-session";

const VISITOR_STATES: readonly VisitorState[] = ["waiting", "paused", "closed", "prequeue", "admitted", "expired"];
const GONE_STATUSES = new Set([401, 404, 410]);

export function queueApiPath(room: string, action: QueueAction): string {
  return `/api/queue/${encodeURIComponent(room)}/${action}`;
}

function isNumberOrNull(value: unknown): value is number | null {
  return value === null || (typeof value === "number" && Number.isFinite(value));
}

export function isQueueStatus(value: unknown): value is QueueStatus {
  if (typeof value !== "object" || value === null) return false;
  const v = value as Record<string, unknown>;
  return (
    typeof v.room === "string" &&
    VISITOR_STATES.includes(v.state as VisitorState) &&
    isNumberOrNull(v.position) &&
    isNumberOrNull(v.ahead) &&
    typeof v.waiting === "number" &&
    typeof v.progress === "number" &&
    isNumberOrNull(v.etaSeconds) &&
    typeof v.admissionsPerMinute === "number" &&
    typeof v.heartbeatIntervalMs === "number"
  );
}

/** Retry-After as delay-seconds or an HTTP date; null when absent or unreadable. */
export function parseRetryAfterMs(header: string | null, nowMs: number = Date.now()): number | null {
  if (!header) return null;
  const trimmed = header.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const dateMs = Date.parse(trimmed);
  return Number.isNaN(dateMs) ? null : Math.max(0, dateMs - nowMs);
}

function errorCodeOf(body: unknown): string | null {
  if (typeof body !== "object" || body === null) return null;
  const error = (body as { error?: unknown }).error;
  if (typeof error !== "object" || error === null) return null;
  const code = (error as { code?: unknown }).code;
  return typeof code === "string" ? code : null;
}

const GONE_REASONS: readonly string[] = [
  "evicted",
  "ended_by_site",
  "session_limit",
  "timed_out",
  "lost",
] satisfies GoneReason[];

/** A 410's error.reason when it is one we know; an unknown one reads as none (said generically). */
function goneReasonOf(body: unknown): GoneReason | null {
  const error = typeof body === "object" && body !== null ? (body as { error?: unknown }).error : null;
  const reason = typeof error === "object" && error !== null ? (error as { reason?: unknown }).reason : null;
  return typeof reason === "string" && GONE_REASONS.includes(reason) ? (reason as GoneReason) : null;
}

async function readJson(response: Response): Promise<unknown> {
  try {
    return await response.json();
  } catch {
    return null;
  }
}

export async function toQueueReply(response: Response, action: "enter" | "heartbeat"): Promise<QueueReply> {
  const retryAfterMs = parseRetryAfterMs(response.headers.get("retry-after"));
  if (GONE_STATUSES.has(response.status)) {
    if (response.status !== 410) return { kind: "gone" };
    const body = await readJson(response);
    const reason = goneReasonOf(body) ?? (errorCodeOf(body) === "session_ended" ? "session_limit" : undefined);
    return reason ? { kind: "gone", reason } : { kind: "gone" };
  }
  const body = await readJson(response);
  if (response.ok) {
    // enter answers { token, status }; heartbeat answers the status itself.
    const status = action === "enter" ? (body as { status?: unknown } | null)?.status : body;
    return isQueueStatus(status) ? { kind: "status", status } : { kind: "unavailable", retryAfterMs };
  }
  const code = errorCodeOf(body);
  if (response.status === 403 && (code === "challenge_required" || code === "challenge_failed")) {
    const challenge = (body as { error: { challenge?: unknown } }).error.challenge;
    if (typeof challenge === "object" && challenge !== null) return { kind: "challenge", challenge };
  }
  if (response.status === 403 && code === "blocked") return { kind: "refused", code, retryAfterMs };
  if (response.status === 503 && (code === "room_full" || code === "room_closed")) {
    return { kind: "refused", code, retryAfterMs };
  }
  return { kind: "unavailable", retryAfterMs };
}

export async function postQueue(
  room: string,
  action: "enter" | "heartbeat",
  options: {
    signal?: AbortSignal;
    fetchImpl?: typeof fetch;
    pageId?: string;
    holdMs?: number;
    /** A solved challenge (ALTCHA payload) for an enter in a `pow` room. */
    pow?: string;
  } = {},
): Promise<QueueReply> {
  const fetchImpl = options.fetchImpl ?? fetch;
  const params = new URLSearchParams();
  if (options.pageId) params.set("page", options.pageId);
  // A held heartbeat: answered when this visitor is admitted, or after holdMs at the latest.
  if (options.holdMs !== undefined && action === "heartbeat") params.set("hold", String(Math.round(options.holdMs)));
  const search = params.toString();
  const query = search ? `?${search}` : "";
  try {
    // No body: the server answers a bodyless heartbeat on its fastest path.
    const withPow = options.pow !== undefined && action === "enter";
    const response = await fetchImpl(`${queueApiPath(room, action)}${query}`, {
      method: "POST",
      credentials: "same-origin",
      cache: "no-store",
      signal: options.signal,
      ...(withPow && { headers: { "content-type": "application/json" }, body: JSON.stringify({ pow: options.pow }) }),
    });
    return await toQueueReply(response, action);
  } catch (error) {
    if (options.signal?.aborted) throw error;
    return { kind: "unavailable", retryAfterMs: null };
  }
}

/**
 * The visitor is done: their slot goes to the next in line now. True once the server confirmed
 * (also when the place was already gone); false when it could not be reached.
 */
export async function endSession(room: string, fetchImpl: typeof fetch = fetch): Promise<boolean> {
  try {
    const response = await fetchImpl(queueApiPath(room, "end-session"), {
      method: "POST",
      credentials: "same-origin",
      cache: "no-store",
    });
    return response.ok || GONE_STATUSES.has(response.status);
  } catch {
    return false;
  }
}

/** Dispatched on window once the visitor's session was ended on purpose (no redirect follows). */
export const sessionEndedEvent = "floodgate:ended";

/**
 * Tells the server the page is going away; it keeps the place for a short grace (reloads).
 * The page id lets the server ignore this page's own heartbeat if one is still on its way.
 */
export function sendLeaveBeacon(room: string, pageId?: string): void {
  if (typeof navigator === "undefined" || typeof navigator.sendBeacon !== "function") return;
  navigator.sendBeacon(queueApiPath(room, "leave"), pageId ? JSON.stringify({ page: pageId }) : undefined);
}

/** A random id for one page load (correlation, not a secret). */
export function newPageId(): string {
  return `p${Math.random().toString(36).slice(2, 12)}${Date.now().toString(36)}`;
}
