import { useQuery } from "@tanstack/react-query";
import type { NotificationChannelResponse } from "@/server/admin/admin-types";
import { getJson, roomPath } from "./api";
import { pollIntervalMs } from "./intervals";
import { adminKeys } from "./keys";

// GET /api/admin/rooms/:room/channel: the room's SNS topic, the default, and whether any applies.
export function useChannel(room: string) {
  return useQuery({
    queryKey: adminKeys.channel(room),
    queryFn: ({ signal }) => getJson<NotificationChannelResponse>(`${roomPath(room)}/channel`, signal),
    refetchInterval: pollIntervalMs.settings,
  });
}
