import { useMutation, useQueryClient } from "@tanstack/react-query";
import type { RoomResponse } from "@/server/admin/admin-types";
import type { RoomConfig } from "@/server/queue/types";
import { sendJson } from "./api";
import { adminKeys } from "./keys";

// POST /api/admin/rooms
export function useCreateRoom() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: RoomConfig) => sendJson<RoomResponse>("POST", "/api/admin/rooms", input),
    onSuccess: () =>
      Promise.all([
        queryClient.invalidateQueries({ queryKey: adminKeys.rooms() }),
        queryClient.invalidateQueries({ queryKey: adminKeys.audit() }),
      ]),
  });
}
