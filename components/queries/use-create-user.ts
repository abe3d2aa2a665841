import type { Role, UserResponse } from "@/server/admin/admin-types";
import { sendJson } from "./api";
import { adminKeys } from "./keys";
import { useAdminMutation } from "./use-admin-mutation";

export type CreateUserInput = { email: string; name: string; role: Role; password: string };

// POST /api/admin/users
export function useCreateUser() {
  return useAdminMutation({
    mutationFn: (input: CreateUserInput) => sendJson<UserResponse>("POST", "/api/admin/users", input),
    invalidates: [adminKeys.users(), adminKeys.audit()],
  });
}
