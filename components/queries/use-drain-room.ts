import { useMutation, useQueryClient } from "@tanstack/react-query";
import { roomPath, sendJson } from "./api";
import { adminKeys } from "./keys";

// POST /api/admin/rooms/:room/drain: the body repeats the room id as a deliberate confirmation.
export function useDrainRoom(room: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: { reason?: string }) =>
      sendJson<{ evicted: number }>("POST", `${roomPath(room)}/drain`, { confirm: room, ...input }),
    onSuccess: () =>
      Promise.all([
        queryClient.invalidateQueries({ queryKey: adminKeys.rooms() }),
        queryClient.invalidateQueries({ queryKey: adminKeys.tokens(room) }),
        queryClient.invalidateQueries({ queryKey: adminKeys.audit() }),
      ]),
  });
}
