import type { RoomResponse } from "@/server/admin/admin-types";
import type { RoomConfig } from "@/server/queue/types";
import { sendJson } from "./api";
import { adminKeys } from "./keys";
import { useAdminMutation } from "./use-admin-mutation";

// POST /api/admin/rooms
export function useCreateRoom() {
  return useAdminMutation({
    mutationFn: (input: RoomConfig) => sendJson<RoomResponse>("POST", "/api/admin/rooms", input),
    invalidates: [adminKeys.rooms(), adminKeys.audit()],
  });
}
