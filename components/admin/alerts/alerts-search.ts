// The alerts page's filters as URL search params: a room for both lists, a status for the
// delivery log, and a page for each.
import type { DeliveryStatus } from "@/server/admin/admin-types";
import { deliveryStatusOptions } from "../common/status-labels";

export type AlertsSearch = { room: string; status: DeliveryStatus | ""; historyPage: number; deliveryPage: number };

type RawParams = Record<string, string | string[] | undefined>;

function first(value: string | string[] | undefined): string {
  return (Array.isArray(value) ? value[0] : value) ?? "";
}

function pageOf(value: string | string[] | undefined): number {
  const page = Number.parseInt(first(value), 10);
  return Number.isInteger(page) && page > 0 ? page : 1;
}

export function parseAlertsSearch(params: RawParams): AlertsSearch {
  const status = first(params.status);
  return {
    room: first(params.room).slice(0, 40),
    status: deliveryStatusOptions.includes(status as DeliveryStatus) ? (status as DeliveryStatus) : "",
    historyPage: pageOf(params.history),
    deliveryPage: pageOf(params.page),
  };
}

export function alertsSearchString(search: AlertsSearch): string {
  const params = new URLSearchParams();
  if (search.room) params.set("room", search.room);
  if (search.status) params.set("status", search.status);
  if (search.historyPage > 1) params.set("history", String(search.historyPage));
  if (search.deliveryPage > 1) params.set("page", String(search.deliveryPage));
  const text = params.toString();
  return text ? `?${text}` : "";
}
