import { useQuery } from "@tanstack/react-query";
import type { ActiveAlarmListResponse } from "@/server/admin/admin-types";
import { getJson } from "./api";
import { pollIntervalMs } from "./intervals";
import { adminKeys } from "./keys";

// GET /api/admin/alarms: every threshold in ALARM now (the nav's and the room cards' badges).
export function useActiveAlarms() {
  return useQuery({
    queryKey: adminKeys.alarms(),
    queryFn: ({ signal }) => getJson<ActiveAlarmListResponse>("/api/admin/alarms", signal),
    refetchInterval: pollIntervalMs.alarms,
  });
}
