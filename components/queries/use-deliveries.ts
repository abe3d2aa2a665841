import { keepPreviousData, useQuery } from "@tanstack/react-query";
import type { DeliveryListResponse } from "@/server/admin/admin-types";
import { getJson, queryString } from "./api";
import { pollIntervalMs } from "./intervals";
import { adminKeys, type DeliveryFilters } from "./keys";

// GET /api/admin/deliveries?room=&status=&page=&pageSize=: notifications and what became of them.
export function useDeliveries(filters: DeliveryFilters) {
  return useQuery({
    queryKey: adminKeys.deliveryList(filters),
    queryFn: ({ signal }) => getJson<DeliveryListResponse>(`/api/admin/deliveries${queryString(filters)}`, signal),
    refetchInterval: pollIntervalMs.alerts,
    placeholderData: keepPreviousData,
  });
}
