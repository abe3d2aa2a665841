import type { ApiKeyCreatedResponse } from "@/server/admin/admin-types";
import { sendJson } from "./api";
import { adminKeys } from "./keys";
import { useAdminMutation } from "./use-admin-mutation";

export type CreateApiKeyInput = { name: string; rooms: string[] };

// POST /api/admin/api-keys: the answer holds the secret, the only time it is ever shown.
export function useCreateApiKey() {
  return useAdminMutation({
    mutationFn: (input: CreateApiKeyInput) => sendJson<ApiKeyCreatedResponse>("POST", "/api/admin/api-keys", input),
    invalidates: [adminKeys.apiKeys(), adminKeys.audit()],
  });
}
