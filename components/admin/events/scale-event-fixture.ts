// A scale event as the API returns it, for the console's unit tests: a scheduled event in room
// "shop" at capacity 500, with whatever a test changes on top.
import type { ScaleEventRecord } from "@/server/admin/admin-types";

export function scaleEvent(overrides: Partial<ScaleEventRecord> & Pick<ScaleEventRecord, "id">): ScaleEventRecord {
  return {
    roomId: "shop",
    name: overrides.id,
    startsAt: "2025-03-13T01:00:00.000Z",
    endsAt: "2025-03-13T03:00:00.000Z",
    capacity: 500,
    newUsersPerMinute: null,
    leadMinutes: 10,
    preQueue: false,
    status: "scheduled",
    leadAt: null,
    startedAt: null,
    endedAt: null,
    cancelledAt: null,
    createdBy: "ops@example.com",
    createdAt: "2025-03-01T00:00:00.000Z",
    ...overrides,
  };
}
