import { useMutation, useQueryClient } from "@tanstack/react-query";
import type { RoomResponse, RoomSettingsInput } from "@/server/admin/admin-types";
import { roomPath, sendJson } from "./api";
import { adminKeys } from "./keys";

// PATCH /api/admin/rooms/:room
export function useUpdateRoom(room: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: RoomSettingsInput & { reason?: string }) =>
      sendJson<RoomResponse>("PATCH", roomPath(room), input),
    onSuccess: (data) => {
      queryClient.setQueryData(adminKeys.room(room), data);
      return Promise.all([
        queryClient.invalidateQueries({ queryKey: adminKeys.rooms() }),
        queryClient.invalidateQueries({ queryKey: adminKeys.audit() }),
      ]);
    },
  });
}
