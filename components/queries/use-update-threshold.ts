import type { AlertThresholdInput, AlertThresholdResponse } from "@/server/admin/admin-types";
import { roomPath, sendJson } from "./api";
import { adminKeys } from "./keys";
import { useAdminMutation } from "./use-admin-mutation";

export type UpdateThresholdInput = { id: string } & Partial<AlertThresholdInput>;

// PATCH /api/admin/rooms/:room/thresholds/:threshold
export function useUpdateThreshold(room: string) {
  return useAdminMutation({
    mutationFn: ({ id, ...changes }: UpdateThresholdInput) =>
      sendJson<AlertThresholdResponse>("PATCH", `${roomPath(room)}/thresholds/${encodeURIComponent(id)}`, changes),
    invalidates: [adminKeys.thresholds(room), adminKeys.alarms(), adminKeys.audit()],
  });
}
