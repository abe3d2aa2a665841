// Who and what an audit entry records, in words: "System (scheduler)" for the scheduler
// rather than an operator called "scheduler", and "Capacity changed" beside room.capacity.
import type { AuditRecord } from "@/server/admin/admin-types";

/** "System (scheduler)", "System (API key “push server”)"; a person's email as it is. */
export function actorName(record: Pick<AuditRecord, "actorEmail" | "actorKind">): string {
  if (record.actorKind !== "system") return record.actorEmail;
  const key = /^api-key:(.*)$/.exec(record.actorEmail);
  return `System (${key ? `API key “${key[1]}”` : record.actorEmail})`;
}

/** What each action the server audits did, as a heading for its entry. */
export const actionLabels: Readonly<Record<string, string>> = {
  "room.create": "Room created",
  "room.update": "Room settings changed",
  "room.capacity": "Capacity changed",
  "room.delete": "Room deleted",
  "room.drain": "Line emptied",
  "room.channel": "Notification channel changed",
  "token.evict": "Visitor evicted",
  "token.admit": "Visitor let in out of turn",
  "session.end": "Session ended by the site",
  "user.create": "User added",
  "user.update": "User changed",
  "user.password": "Password changed",
  "event.create": "Scale event scheduled",
  "event.update": "Scale event changed",
  "event.cancel": "Scale event cancelled",
  "event.scale": "Capacity changed by an event edit",
  "event.lead": "Event lead time began",
  "event.start": "Event started",
  "event.end": "Event ended",
  "event.missed": "Event missed",
  "surge.policy": "Surge policy changed",
  "surge.start": "Surge started",
  "surge.extend": "Surge extended",
  "surge.end": "Surge ended",
  "apikey.create": "API key created",
  "apikey.revoke": "API key revoked",
  "threshold.create": "Alert threshold added",
  "threshold.update": "Alert threshold changed",
  "threshold.delete": "Alert threshold deleted",
  "notification.test": "Test notification sent",
};
