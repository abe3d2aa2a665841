import { useQuery } from "@tanstack/react-query";
import type { ScaleEventListResponse } from "@/server/admin/admin-types";
import { getJson, roomPath } from "./api";
import { pollIntervalMs } from "./intervals";
import { adminKeys } from "./keys";

// GET /api/admin/rooms/:room/events: one room's past, running and upcoming scale events.
export function useRoomEvents(room: string) {
  return useQuery({
    queryKey: adminKeys.roomEvents(room),
    queryFn: ({ signal }) => getJson<ScaleEventListResponse>(`${roomPath(room)}/events`, signal),
    refetchInterval: pollIntervalMs.events,
  });
}
