import { useQuery } from "@tanstack/react-query";
import type { ApiKeyListResponse } from "@/server/admin/admin-types";
import { getJson } from "./api";
import { pollIntervalMs } from "./intervals";
import { adminKeys } from "./keys";

// GET /api/admin/api-keys (admins only): every key, revoked ones included; never the secrets.
export function useApiKeys() {
  return useQuery({
    queryKey: adminKeys.apiKeys(),
    queryFn: ({ signal }) => getJson<ApiKeyListResponse>("/api/admin/api-keys", signal),
    refetchInterval: pollIntervalMs.apiKeys,
  });
}
