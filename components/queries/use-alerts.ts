import { keepPreviousData, useQuery } from "@tanstack/react-query";
import type { AlertEventListResponse } from "@/server/admin/admin-types";
import { getJson, queryString } from "./api";
import { pollIntervalMs } from "./intervals";
import { type AlertFilters, adminKeys } from "./keys";

// GET /api/admin/alerts?room=&page=&pageSize=: thresholds' changes of state, newest first.
export function useAlerts(filters: AlertFilters) {
  return useQuery({
    queryKey: adminKeys.alertList(filters),
    queryFn: ({ signal }) => getJson<AlertEventListResponse>(`/api/admin/alerts${queryString(filters)}`, signal),
    refetchInterval: pollIntervalMs.alerts,
    placeholderData: keepPreviousData,
  });
}
