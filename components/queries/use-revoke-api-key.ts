import type { ApiKeyRecord } from "@/server/admin/admin-types";
import { sendJson } from "./api";
import { adminKeys } from "./keys";
import { useAdminMutation } from "./use-admin-mutation";

// DELETE /api/admin/api-keys/:key: revoked at once; its next call is refused (401).
export function useRevokeApiKey() {
  return useAdminMutation({
    mutationFn: ({ id }: { id: string }) =>
      sendJson<{ key: ApiKeyRecord }>("DELETE", `/api/admin/api-keys/${encodeURIComponent(id)}`),
    invalidates: [adminKeys.apiKeys(), adminKeys.audit()],
  });
}
