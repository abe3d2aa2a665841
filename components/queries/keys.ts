// The one react-query key factory. Keys nest so that invalidating a prefix refreshes every
// query below it: `adminKeys.rooms()` covers the list, each room, and its series.
import type { SeriesRange } from "@/server/admin/admin-types";

export type TokenFilters = { state?: "waiting" | "admitted"; search?: string; page: number; pageSize: number };
export type AuditFilters = { room?: string; action?: string; page: number; pageSize: number };

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
};
