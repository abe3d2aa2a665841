import { keepPreviousData, useQuery } from "@tanstack/react-query";
import type { SeriesRange, SeriesResponse } from "@/server/admin/admin-types";
import { getJson, queryString, roomPath } from "./api";
import { pollIntervalMs } from "./intervals";
import { adminKeys } from "./keys";

// GET /api/admin/rooms/:room/series?range=: history for the charts. The previous range stays
// on screen while a new one loads, so switching ranges never blanks the charts.
export function useRoomSeries(room: string, range: SeriesRange) {
  return useQuery({
    queryKey: adminKeys.series(room, range),
    queryFn: ({ signal }) => getJson<SeriesResponse>(`${roomPath(room)}/series${queryString({ range })}`, signal),
    refetchInterval: pollIntervalMs.series,
    placeholderData: keepPreviousData,
    enabled: room !== "",
  });
}
