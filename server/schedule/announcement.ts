import "server-only";
import type { AuditActor, AuditStore } from "@/server/admin/audit-store";
import type { Notifier } from "@/server/alerts/notice";

// Scale actions told to the room's channel the way a person would post them to chat, and
// written to the audit log: "Room shop: capacity 100 → 500 — scheduled event “Spring sale”
// lead time began (starts 18:00 UTC)". Times are UTC: readers are in many time zones.

export type ScaleAction = {
  roomId: string;
  actor: AuditActor;
  /** Audit action, e.g. "event.start", "surge.extend". */
  action: string;
  /** The event or surge id. */
  target: string;
  /** What happened, after the capacity: "scheduled event “Spring sale” started (until 20:00 UTC)". */
  what: string;
  beforeCapacity: number;
  afterCapacity: number;
  /** A note for the audit log (late, missed, an operator's reason). */
  reason?: string | null;
};

export async function announceScaleAction(
  deps: { notifier: Notifier; audit: AuditStore },
  action: ScaleAction,
): Promise<void> {
  const subject = capacitySubject(action.roomId, action.beforeCapacity, action.afterCapacity);
  await deps.notifier.notify({ roomId: action.roomId, kind: "scale", subject, message: `${subject} — ${action.what}` });
  await deps.audit.recordBy(action.actor, {
    action: action.action,
    roomId: action.roomId,
    target: action.target,
    before: { capacity: action.beforeCapacity },
    after: { capacity: action.afterCapacity },
    reason: action.reason ?? null,
  });
}

/** "Room shop: capacity 100 → 500" (or "capacity stays 500"): how every scale announcement begins. */
export function capacitySubject(roomId: string, beforeCapacity: number, afterCapacity: number): string {
  const capacity =
    beforeCapacity === afterCapacity
      ? `capacity stays ${afterCapacity}`
      : `capacity ${beforeCapacity} → ${afterCapacity}`;
  return `Room ${roomId}: ${capacity}`;
}

/** "18:00 UTC" on the day of `nowMs` (UTC), else "2026-05-01 18:00 UTC". */
export function formatUtc(ms: number, nowMs: number): string {
  const text = new Date(ms).toISOString();
  const sameDay = text.slice(0, 10) === new Date(nowMs).toISOString().slice(0, 10);
  return `${sameDay ? "" : `${text.slice(0, 10)} `}${text.slice(11, 16)} UTC`;
}

/** "37 s", "12 min", "3 h 5 min": how late a phase was applied. */
export function formatDelay(ms: number): string {
  const seconds = Math.round(ms / 1000);
  if (seconds < 120) return `${seconds} s`;
  const minutes = Math.round(seconds / 60);
  if (minutes < 120) return `${minutes} min`;
  return `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}

/** “Spring sale”, as the announcements quote names. */
export function quoted(name: string): string {
  return `“${name}”`;
}
