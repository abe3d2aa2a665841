import { useQuery } from "@tanstack/react-query";
import type { CapacityPlanResponse } from "@/server/admin/admin-types";
import { getJson, roomPath } from "./api";
import { pollIntervalMs } from "./intervals";
import { adminKeys } from "./keys";

// GET /api/admin/rooms/:room/capacity-plan: base and effective capacity, and what raises it.
export function useCapacityPlan(room: string, { enabled = true }: { enabled?: boolean } = {}) {
  return useQuery({
    queryKey: adminKeys.capacityPlan(room),
    queryFn: ({ signal }) => getJson<CapacityPlanResponse>(`${roomPath(room)}/capacity-plan`, signal),
    refetchInterval: pollIntervalMs.capacityPlan,
    enabled,
  });
}
