import type { RoomResponse, RoomSettingsInput } from "@/server/admin/admin-types";
import { roomPath, sendJson } from "./api";
import { adminKeys } from "./keys";
import { useAdminMutation } from "./use-admin-mutation";

// PATCH /api/admin/rooms/:room
export function useUpdateRoom(room: string) {
  return useAdminMutation({
    mutationFn: (input: RoomSettingsInput & { reason?: string }) =>
      sendJson<RoomResponse>("PATCH", roomPath(room), input),
    update: (queryClient, data) => queryClient.setQueryData(adminKeys.room(room), data),
    invalidates: [adminKeys.rooms(), adminKeys.audit()],
  });
}
