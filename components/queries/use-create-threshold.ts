import type { AlertThresholdInput, AlertThresholdResponse } from "@/server/admin/admin-types";
import { roomPath, sendJson } from "./api";
import { adminKeys } from "./keys";
import { useAdminMutation } from "./use-admin-mutation";

// POST /api/admin/rooms/:room/thresholds
export function useCreateThreshold(room: string) {
  return useAdminMutation({
    mutationFn: (input: AlertThresholdInput) =>
      sendJson<AlertThresholdResponse>("POST", `${roomPath(room)}/thresholds`, input),
    invalidates: [adminKeys.thresholds(room), adminKeys.alarms(), adminKeys.audit()],
  });
}
