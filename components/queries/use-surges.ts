import { useQuery } from "@tanstack/react-query";
import type { SurgeRecord } from "@/server/admin/admin-types";
import { getJson, roomPath } from "./api";
import { pollIntervalMs } from "./intervals";
import { adminKeys } from "./keys";

// GET /api/admin/rooms/:room/surges: the room's 50 most recent surges.
export function useSurges(room: string) {
  return useQuery({
    queryKey: adminKeys.surges(room),
    queryFn: ({ signal }) => getJson<{ surges: SurgeRecord[] }>(`${roomPath(room)}/surges`, signal),
    refetchInterval: pollIntervalMs.events,
  });
}
