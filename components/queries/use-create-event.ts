import type { ScaleEventInput, ScaleEventResponse } from "@/server/admin/admin-types";
import { roomPath, sendJson } from "./api";
import { adminKeys } from "./keys";
import { useAdminMutation } from "./use-admin-mutation";

// POST /api/admin/rooms/:room/events: startsAt "now" starts it at once (capacity goes up now).
export function useCreateEvent(room: string) {
  return useAdminMutation({
    mutationFn: (input: ScaleEventInput & { reason?: string }) =>
      sendJson<ScaleEventResponse>("POST", `${roomPath(room)}/events`, input),
    invalidates: [adminKeys.scaling(), adminKeys.rooms(), adminKeys.audit(), adminKeys.deliveries()],
  });
}
