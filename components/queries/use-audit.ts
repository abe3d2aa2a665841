import { keepPreviousData, useQuery } from "@tanstack/react-query";
import type { AuditListResponse } from "@/server/admin/admin-types";
import { getJson, queryString } from "./api";
import { pollIntervalMs } from "./intervals";
import { type AuditFilters, adminKeys } from "./keys";

// GET /api/admin/audit: who changed what, newest first.
export function useAudit(filters: AuditFilters) {
  return useQuery({
    queryKey: adminKeys.auditList(filters),
    queryFn: ({ signal }) => getJson<AuditListResponse>(`/api/admin/audit${queryString({ ...filters })}`, signal),
    refetchInterval: pollIntervalMs.audit,
    placeholderData: keepPreviousData,
  });
}
