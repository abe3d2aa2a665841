import { useMutation, useQueryClient } from "@tanstack/react-query";
import type { RoomResponse } from "@/server/admin/admin-types";
import { roomPath, sendJson } from "./api";
import { adminKeys } from "./keys";

// PUT /api/admin/rooms/:room/capacity
export function useSetCapacity(room: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: { capacity: number; reason?: string }) =>
      sendJson<RoomResponse>("PUT", `${roomPath(room)}/capacity`, input),
    onSuccess: (data) => {
      queryClient.setQueryData(adminKeys.room(room), data);
      return Promise.all([
        queryClient.invalidateQueries({ queryKey: adminKeys.rooms() }),
        queryClient.invalidateQueries({ queryKey: adminKeys.tokens(room) }),
        queryClient.invalidateQueries({ queryKey: adminKeys.audit() }),
      ]);
    },
  });
}
