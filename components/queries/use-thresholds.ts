import { useQuery } from "@tanstack/react-query";
import type { AlertThresholdListResponse } from "@/server/admin/admin-types";
import { getJson, roomPath } from "./api";
import { pollIntervalMs } from "./intervals";
import { adminKeys } from "./keys";

// GET /api/admin/rooms/:room/thresholds: the room's alert rules with their live state.
export function useThresholds(room: string) {
  return useQuery({
    queryKey: adminKeys.thresholds(room),
    queryFn: ({ signal }) => getJson<AlertThresholdListResponse>(`${roomPath(room)}/thresholds`, signal),
    refetchInterval: pollIntervalMs.thresholds,
  });
}
