import { roomPath, sendJson } from "./api";
import { adminKeys } from "./keys";
import { useAdminMutation } from "./use-admin-mutation";

// DELETE /api/admin/rooms/:room/thresholds/:threshold (its history stays).
export function useDeleteThreshold(room: string) {
  return useAdminMutation({
    mutationFn: ({ id }: { id: string }) =>
      sendJson<{ ok: true }>("DELETE", `${roomPath(room)}/thresholds/${encodeURIComponent(id)}`),
    invalidates: [adminKeys.thresholds(room), adminKeys.alarms(), adminKeys.audit()],
  });
}
