import { keepPreviousData, useQuery } from "@tanstack/react-query";
import type { TokenListResponse } from "@/server/admin/admin-types";
import { getJson, queryString, roomPath } from "./api";
import { pollIntervalMs } from "./intervals";
import { adminKeys, type TokenFilters } from "./keys";

// GET /api/admin/rooms/:room/tokens: one page of places in line and admissions.
export function useRoomTokens(room: string, filters: TokenFilters) {
  return useQuery({
    queryKey: adminKeys.tokenList(room, filters),
    queryFn: ({ signal }) =>
      getJson<TokenListResponse>(`${roomPath(room)}/tokens${queryString({ ...filters })}`, signal),
    refetchInterval: pollIntervalMs.tokens,
    placeholderData: keepPreviousData,
    enabled: room !== "",
  });
}
