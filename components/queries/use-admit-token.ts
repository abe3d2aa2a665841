import type { TokenResponse } from "@/server/admin/admin-types";
import { roomPath, sendJson } from "./api";
import { adminKeys } from "./keys";
import { useAdminMutation } from "./use-admin-mutation";

// POST /api/admin/rooms/:room/tokens/:id/admit: admitted now when a slot is free, else moved to the front of the line.
export function useAdmitToken(room: string) {
  return useAdminMutation({
    mutationFn: ({ id, reason }: { id: string; reason: string }) =>
      sendJson<TokenResponse>("POST", `${roomPath(room)}/tokens/${encodeURIComponent(id)}/admit`, { reason }),
    invalidates: [adminKeys.tokens(room), adminKeys.rooms(), adminKeys.audit()],
  });
}
