import { useMutation, useQueryClient } from "@tanstack/react-query";
import type { Role, UserResponse } from "@/server/admin/admin-types";
import { sendJson } from "./api";
import { adminKeys } from "./keys";

export type CreateUserInput = { email: string; name: string; role: Role; password: string };

// POST /api/admin/users
export function useCreateUser() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: CreateUserInput) => sendJson<UserResponse>("POST", "/api/admin/users", input),
    onSuccess: () =>
      Promise.all([
        queryClient.invalidateQueries({ queryKey: adminKeys.users() }),
        queryClient.invalidateQueries({ queryKey: adminKeys.audit() }),
      ]),
  });
}
