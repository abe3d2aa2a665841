import type { ScaleEventInput, ScaleEventResponse } from "@/server/admin/admin-types";
import { roomPath, sendJson } from "./api";
import { adminKeys } from "./keys";
import { useAdminMutation } from "./use-admin-mutation";

export type UpdateEventInput = { id: string; reason?: string } & Partial<ScaleEventInput>;

// PATCH /api/admin/rooms/:room/events/:event: anything while scheduled; end and capacity once begun.
export function useUpdateEvent(room: string) {
  return useAdminMutation({
    mutationFn: ({ id, ...changes }: UpdateEventInput) =>
      sendJson<ScaleEventResponse>("PATCH", `${roomPath(room)}/events/${encodeURIComponent(id)}`, changes),
    invalidates: [adminKeys.scaling(), adminKeys.rooms(), adminKeys.audit(), adminKeys.deliveries()],
  });
}
