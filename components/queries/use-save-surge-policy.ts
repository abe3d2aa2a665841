import type { SurgePolicyRecord } from "@/server/admin/admin-types";
import { roomPath, sendJson } from "./api";
import { adminKeys } from "./keys";
import { useAdminMutation } from "./use-admin-mutation";
import type { SurgePolicyResponse } from "./use-surge-policy";

// PUT /api/admin/rooms/:room/surge-policy
export function useSaveSurgePolicy(room: string) {
  return useAdminMutation({
    mutationFn: (input: Omit<SurgePolicyRecord, "roomId">) =>
      sendJson<SurgePolicyResponse>("PUT", `${roomPath(room)}/surge-policy`, input),
    update: (queryClient, data) => queryClient.setQueryData(adminKeys.surgePolicy(room), data),
    invalidates: [adminKeys.capacityPlan(room), adminKeys.audit()],
  });
}
