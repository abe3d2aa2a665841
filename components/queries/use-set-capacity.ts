import type { RoomResponse } from "@/server/admin/admin-types";
import { roomPath, sendJson } from "./api";
import { adminKeys } from "./keys";
import { useAdminMutation } from "./use-admin-mutation";

// PUT /api/admin/rooms/:room/capacity
export function useSetCapacity(room: string) {
  return useAdminMutation({
    mutationFn: (input: { capacity: number; reason?: string }) =>
      sendJson<RoomResponse>("PUT", `${roomPath(room)}/capacity`, input),
    update: (queryClient, data) => queryClient.setQueryData(adminKeys.room(room), data),
    invalidates: [adminKeys.rooms(), adminKeys.tokens(room), adminKeys.audit()],
  });
}
