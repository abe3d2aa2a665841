import type { RoomConfig } from "@/server/queue/types";
import { queryString, roomPath, sendJson } from "./api";
import { adminKeys } from "./keys";
import { useAdminMutation } from "./use-admin-mutation";

// DELETE /api/admin/rooms/:room?force=: refused with 409 room_not_empty unless forced.
export function useDeleteRoom(room: string) {
  return useAdminMutation({
    mutationFn: (input: { force: boolean }) =>
      sendJson<{ deleted: RoomConfig }>("DELETE", `${roomPath(room)}${queryString({ force: input.force })}`),
    // Gone, not stale: refetching the room or its tokens would only answer 404.
    update: (queryClient) => {
      queryClient.removeQueries({ queryKey: adminKeys.room(room) });
      queryClient.removeQueries({ queryKey: adminKeys.tokens(room) });
    },
    invalidates: [adminKeys.roomList(), adminKeys.audit()],
  });
}
