import type { NotificationChannelResponse } from "@/server/admin/admin-types";
import { roomPath, sendJson } from "./api";
import { adminKeys } from "./keys";
import { useAdminMutation } from "./use-admin-mutation";

// PUT /api/admin/rooms/:room/channel { topicArn }: null goes back to the default topic.
export function useSaveChannel(room: string) {
  return useAdminMutation({
    mutationFn: (input: { topicArn: string | null }) =>
      sendJson<NotificationChannelResponse>("PUT", `${roomPath(room)}/channel`, input),
    update: (queryClient, data) => queryClient.setQueryData(adminKeys.channel(room), data),
    invalidates: [adminKeys.audit()],
  });
}
