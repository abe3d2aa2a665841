// The one react-query key factory. Keys nest so that invalidating a prefix refreshes every
// query below it: `adminKeys.rooms()` covers the list, each room, and its series.
import type { DeliveryStatus, SeriesRange } from "@/server/admin/admin-types";

export type TokenFilters = { state?: "waiting" | "admitted"; search?: string; page: number; pageSize: number };
export type AuditFilters = { room?: string; action?: string; page: number; pageSize: number };
/** ISO instants; the server's default window when absent. */
export type EventFilters = { room?: string; from?: string; to?: string };
export type AlertFilters = { room?: string; page: number; pageSize: number };
export type DeliveryFilters = { room?: string; status?: DeliveryStatus; page: number; pageSize: number };

export const adminKeys = {
  all: ["admin"] as const,
  rooms: () => [...adminKeys.all, "rooms"] as const,
  roomList: () => [...adminKeys.rooms(), "list"] as const,
  room: (room: string) => [...adminKeys.rooms(), "detail", room] as const,
  series: (room: string, range: SeriesRange) => [...adminKeys.rooms(), "series", room, range] as const,
  tokens: (room: string) => [...adminKeys.all, "tokens", room] as const,
  tokenList: (room: string, filters: TokenFilters) => [...adminKeys.tokens(room), "list", filters] as const,
  audit: () => [...adminKeys.all, "audit"] as const,
  auditList: (filters: AuditFilters) => [...adminKeys.audit(), filters] as const,
  users: () => [...adminKeys.all, "users"] as const,
  // Scale events, capacity plans and surges: what raises a room's capacity. One prefix, since an
  // event or a surge changing moves all of them (and the rooms' effective capacity).
  scaling: () => [...adminKeys.all, "scaling"] as const,
  events: () => [...adminKeys.scaling(), "events"] as const,
  eventList: (filters: EventFilters) => [...adminKeys.events(), "list", filters] as const,
  roomEvents: (room: string) => [...adminKeys.events(), "room", room] as const,
  capacityPlan: (room: string) => [...adminKeys.scaling(), "plan", room] as const,
  surgePolicy: (room: string) => [...adminKeys.scaling(), "policy", room] as const,
  surges: (room: string) => [...adminKeys.scaling(), "surges", room] as const,
  apiKeys: () => [...adminKeys.all, "api-keys"] as const,
  // Alerts: thresholds (with their live state), their history, where notifications go and
  // what became of each.
  thresholds: (room: string) => [...adminKeys.all, "thresholds", room] as const,
  /** Thresholds in ALARM now, across rooms (the nav and room card badges). */
  alarms: () => [...adminKeys.all, "alarms"] as const,
  alerts: () => [...adminKeys.all, "alerts"] as const,
  alertList: (filters: AlertFilters) => [...adminKeys.alerts(), filters] as const,
  deliveries: () => [...adminKeys.all, "deliveries"] as const,
  deliveryList: (filters: DeliveryFilters) => [...adminKeys.deliveries(), filters] as const,
  channel: (room: string) => [...adminKeys.all, "channel", room] as const,
  /** This node's health: queue store breaker, cluster role, failure policy. */
  system: () => [...adminKeys.all, "system"] as const,
};
