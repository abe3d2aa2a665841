import { useQuery } from "@tanstack/react-query";
import type { SystemStatus } from "@/server/store/system-status";
import { getJson } from "./api";
import { pollIntervalMs } from "./intervals";
import { adminKeys } from "./keys";

// GET /api/admin/system: queue store breaker, cluster role, failure policy (banner and System card).
export function useSystemStatus() {
  return useQuery({
    queryKey: adminKeys.system(),
    queryFn: ({ signal }) => getJson<SystemStatus>("/api/admin/system", signal),
    refetchInterval: pollIntervalMs.system,
  });
}
