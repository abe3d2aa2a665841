import type { CreateRoomInput, RoomResponse } from "@/server/admin/admin-types";
import { sendJson } from "./api";
import { adminKeys } from "./keys";
import { useAdminMutation } from "./use-admin-mutation";

// POST /api/admin/rooms
export function useCreateRoom() {
  return useAdminMutation({
    mutationFn: (input: CreateRoomInput) => sendJson<RoomResponse>("POST", "/api/admin/rooms", input),
    invalidates: [adminKeys.rooms(), adminKeys.audit()],
  });
}
