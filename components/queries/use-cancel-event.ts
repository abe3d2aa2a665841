import type { ScaleEventResponse } from "@/server/admin/admin-types";
import { queryString, roomPath, sendJson } from "./api";
import { adminKeys } from "./keys";
import { useAdminMutation } from "./use-admin-mutation";

// DELETE /api/admin/rooms/:room/events/:event?reason=: cancels; a lead or running event reverts at once.
export function useCancelEvent(room: string) {
  return useAdminMutation({
    mutationFn: ({ id, reason }: { id: string; reason?: string }) =>
      sendJson<ScaleEventResponse>(
        "DELETE",
        `${roomPath(room)}/events/${encodeURIComponent(id)}${queryString({ reason })}`,
      ),
    invalidates: [adminKeys.scaling(), adminKeys.rooms(), adminKeys.audit(), adminKeys.deliveries()],
  });
}
