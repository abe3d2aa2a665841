import type { SurgeRecord } from "@/server/admin/admin-types";
import { roomPath, sendJson } from "./api";
import { adminKeys } from "./keys";
import { useAdminMutation } from "./use-admin-mutation";

// POST /api/admin/rooms/:room/surge/end: capacity falls back to what events and the base call for.
export function useEndSurge(room: string) {
  return useAdminMutation({
    mutationFn: (input: { reason?: string }) =>
      sendJson<{ surge: SurgeRecord }>("POST", `${roomPath(room)}/surge/end`, input),
    invalidates: [adminKeys.scaling(), adminKeys.rooms(), adminKeys.audit(), adminKeys.deliveries()],
  });
}
