import { useMutation, useQueryClient } from "@tanstack/react-query";
import type { TokenResponse } from "@/server/admin/admin-types";
import { roomPath, sendJson } from "./api";
import { adminKeys } from "./keys";

// POST /api/admin/rooms/:room/tokens/:id/admit: 409 no_free_slot when the room is at capacity.
export function useAdmitToken(room: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, reason }: { id: string; reason: string }) =>
      sendJson<TokenResponse>("POST", `${roomPath(room)}/tokens/${encodeURIComponent(id)}/admit`, { reason }),
    onSuccess: () =>
      Promise.all([
        queryClient.invalidateQueries({ queryKey: adminKeys.tokens(room) }),
        queryClient.invalidateQueries({ queryKey: adminKeys.rooms() }),
        queryClient.invalidateQueries({ queryKey: adminKeys.audit() }),
      ]),
  });
}
