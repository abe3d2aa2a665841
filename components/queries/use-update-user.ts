import { useMutation, useQueryClient } from "@tanstack/react-query";
import type { Role, UserResponse } from "@/server/admin/admin-types";
import { sendJson } from "./api";
import { adminKeys } from "./keys";

export type UpdateUserInput = { id: string; role?: Role; disabled?: boolean; name?: string; password?: string };

// PATCH /api/admin/users/:id
export function useUpdateUser() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, ...changes }: UpdateUserInput) =>
      sendJson<UserResponse>("PATCH", `/api/admin/users/${encodeURIComponent(id)}`, changes),
    onSuccess: () =>
      Promise.all([
        queryClient.invalidateQueries({ queryKey: adminKeys.users() }),
        queryClient.invalidateQueries({ queryKey: adminKeys.audit() }),
      ]),
  });
}
