import type { Role, UserResponse } from "@/server/admin/admin-types";
import { sendJson } from "./api";
import { adminKeys } from "./keys";
import { useAdminMutation } from "./use-admin-mutation";

export type UpdateUserInput = { id: string; role?: Role; disabled?: boolean; name?: string; password?: string };

// PATCH /api/admin/users/:id
export function useUpdateUser() {
  return useAdminMutation({
    mutationFn: ({ id, ...changes }: UpdateUserInput) =>
      sendJson<UserResponse>("PATCH", `/api/admin/users/${encodeURIComponent(id)}`, changes),
    invalidates: [adminKeys.users(), adminKeys.audit()],
  });
}
