import { keepPreviousData, useQuery } from "@tanstack/react-query";
import type { RoomListResponse } from "@/server/admin/admin-types";
import { getJson } from "./api";
import { pollIntervalMs } from "./intervals";
import { adminKeys } from "./keys";

// GET /api/admin/rooms: every room with live stats (the dashboard cards).
export function useRooms() {
  return useQuery({
    queryKey: adminKeys.roomList(),
    queryFn: ({ signal }) => getJson<RoomListResponse>("/api/admin/rooms", signal),
    refetchInterval: pollIntervalMs.liveStats,
    placeholderData: keepPreviousData,
  });
}
