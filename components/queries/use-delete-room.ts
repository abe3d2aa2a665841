import { useMutation, useQueryClient } from "@tanstack/react-query";
import type { RoomConfig } from "@/server/queue/types";
import { queryString, roomPath, sendJson } from "./api";
import { adminKeys } from "./keys";

// DELETE /api/admin/rooms/:room?force=: refused with 409 room_not_empty unless forced.
export function useDeleteRoom(room: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: { force: boolean }) =>
      sendJson<{ deleted: RoomConfig }>("DELETE", `${roomPath(room)}${queryString({ force: input.force })}`),
    onSuccess: () => {
      queryClient.removeQueries({ queryKey: adminKeys.room(room) });
      queryClient.removeQueries({ queryKey: adminKeys.tokens(room) });
      return Promise.all([
        queryClient.invalidateQueries({ queryKey: adminKeys.roomList() }),
        queryClient.invalidateQueries({ queryKey: adminKeys.audit() }),
      ]);
    },
  });
}
