import { useQuery } from "@tanstack/react-query";
import type { UserListResponse } from "@/server/admin/admin-types";
import { getJson } from "./api";
import { pollIntervalMs } from "./intervals";
import { adminKeys } from "./keys";

// GET /api/admin/users (admins only).
export function useUsers() {
  return useQuery({
    queryKey: adminKeys.users(),
    queryFn: ({ signal }) => getJson<UserListResponse>("/api/admin/users", signal),
    refetchInterval: pollIntervalMs.users,
  });
}
