import type { NotifyOutcome } from "@/server/alerts/notice";
import { roomPath, sendJson } from "./api";
import { adminKeys } from "./keys";
import { useAdminMutation } from "./use-admin-mutation";

// POST /api/admin/rooms/:room/test-notification: recorded as a delivery (kind "test") and sent in the background.
export function useSendTestNotification(room: string) {
  return useAdminMutation({
    mutationFn: () => sendJson<{ outcome: NotifyOutcome }>("POST", `${roomPath(room)}/test-notification`, {}),
    invalidates: [adminKeys.deliveries(), adminKeys.audit()],
  });
}
