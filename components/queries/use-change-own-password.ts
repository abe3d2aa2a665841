import { sendJson } from "./api";
import { adminKeys } from "./keys";
import { useAdminMutation } from "./use-admin-mutation";

export type ChangeOwnPasswordInput = { currentPassword: string; newPassword: string };

// PUT /api/admin/me/password: any signed-in role; refused (422) when the current password is wrong.
export function useChangeOwnPassword() {
  return useAdminMutation({
    mutationFn: (input: ChangeOwnPasswordInput) => sendJson<{ ok: true }>("PUT", "/api/admin/me/password", input),
    // The change is recorded in the audit log; nothing else the console shows depends on it.
    invalidates: [adminKeys.audit()],
  });
}
