import { roomPath, sendJson } from "./api";
import { adminKeys } from "./keys";
import { useAdminMutation } from "./use-admin-mutation";

// POST /api/admin/rooms/:room/drain: the body repeats the room id as a deliberate confirmation.
export function useDrainRoom(room: string) {
  return useAdminMutation({
    mutationFn: (input: { reason?: string }) =>
      sendJson<{ evicted: number }>("POST", `${roomPath(room)}/drain`, { confirm: room, ...input }),
    invalidates: [adminKeys.rooms(), adminKeys.tokens(room), adminKeys.audit()],
  });
}
