import { useQuery } from "@tanstack/react-query";
import type { SurgePolicyRecord } from "@/server/admin/admin-types";
import { getJson, roomPath } from "./api";
import { pollIntervalMs } from "./intervals";
import { adminKeys } from "./keys";

export type SurgePolicyResponse = { policy: SurgePolicyRecord | null };

// GET /api/admin/rooms/:room/surge-policy: what a surge trigger does to this room; null: no policy.
export function useSurgePolicy(room: string) {
  return useQuery({
    queryKey: adminKeys.surgePolicy(room),
    queryFn: ({ signal }) => getJson<SurgePolicyResponse>(`${roomPath(room)}/surge-policy`, signal),
    refetchInterval: pollIntervalMs.settings,
  });
}
