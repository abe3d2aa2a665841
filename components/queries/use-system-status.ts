import { useQuery } from "@tanstack/react-query";
import type { SystemStatus } from "@/server/store/system-status";
import { getJson } from "./api";
import { pollIntervalMs } from "./intervals";
import { adminKeys } from "./keys";

// GET /api/admin/system: queue store breaker, cluster role, failure policy (banner and System card).
// Also the console's probe: mounted on every page (the banner), and the one query that keeps
// asking while the server is unreachable ("always": the others are paused as offline, see
// reachability.ts), on a growing back-off; its first answer wakes the rest.
export function useSystemStatus() {
  return useQuery({
    queryKey: adminKeys.system(),
    queryFn: ({ signal }) => getJson<SystemStatus>("/api/admin/system", signal),
    refetchInterval: pollIntervalMs.system,
    networkMode: "always",
  });
}
