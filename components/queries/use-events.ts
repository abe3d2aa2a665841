import { keepPreviousData, useQuery } from "@tanstack/react-query";
import type { ScaleEventListResponse } from "@/server/admin/admin-types";
import { getJson, queryString } from "./api";
import { pollIntervalMs } from "./intervals";
import { adminKeys, type EventFilters } from "./keys";

// GET /api/admin/events?room=&from=&to=: every room's scale events in a window, newest first.
export function useEvents(filters: EventFilters) {
  return useQuery({
    queryKey: adminKeys.eventList(filters),
    queryFn: ({ signal }) => getJson<ScaleEventListResponse>(`/api/admin/events${queryString(filters)}`, signal),
    refetchInterval: pollIntervalMs.events,
    placeholderData: keepPreviousData,
  });
}
