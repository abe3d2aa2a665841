import { useMutation, useQueryClient } from "@tanstack/react-query";
import type { TokenResponse } from "@/server/admin/admin-types";
import { roomPath, sendJson } from "./api";
import { adminKeys } from "./keys";

// POST /api/admin/rooms/:room/tokens/:id/evict
export function useEvictToken(room: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, reason }: { id: string; reason?: string }) =>
      sendJson<TokenResponse>("POST", `${roomPath(room)}/tokens/${encodeURIComponent(id)}/evict`, { reason }),
    onSuccess: () =>
      Promise.all([
        queryClient.invalidateQueries({ queryKey: adminKeys.tokens(room) }),
        queryClient.invalidateQueries({ queryKey: adminKeys.rooms() }),
        queryClient.invalidateQueries({ queryKey: adminKeys.audit() }),
      ]),
  });
}
