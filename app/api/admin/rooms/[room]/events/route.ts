import { roomIdParam } from "@/server/admin/schemas/rooms";
import { eventInputBody, roomEventsQuery } from "@/server/admin/schemas/schedule";
import { withAdmin } from "@/server/api/with-admin";

// GET /api/admin/rooms/:room/events?from=&to=: the room's scale events, newest start first.
export const GET = withAdmin(
  { role: "viewer", params: roomIdParam, query: roomEventsQuery },
  ({ schedule, params, query }) => schedule.listRoomEvents(params.room, query),
);

// POST /api/admin/rooms/:room/events: schedule a scale event (startsAt "now" starts it at once).
export const POST = withAdmin(
  { role: "operator", params: roomIdParam, body: eventInputBody, status: 201 },
  ({ schedule, actor, params, body }) => schedule.createEvent(actor, params.room, body),
);
