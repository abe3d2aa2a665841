import { useQuery } from "@tanstack/react-query";
import type { RoomResponse } from "@/server/admin/admin-types";
import { getJson, roomPath } from "./api";
import { pollIntervalMs } from "./intervals";
import { adminKeys } from "./keys";

// GET /api/admin/rooms/:room: one room's settings and live stats.
export function useRoom(room: string) {
  return useQuery({
    queryKey: adminKeys.room(room),
    queryFn: ({ signal }) => getJson<RoomResponse>(roomPath(room), signal),
    refetchInterval: pollIntervalMs.liveStats,
  });
}
