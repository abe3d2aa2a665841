import { cancelEventQuery, eventParams, eventPatchBody } from "@/server/admin/schemas/schedule";
import { withAdmin } from "@/server/api/with-admin";

// GET /api/admin/rooms/:room/events/:event: one scale event.
export const GET = withAdmin({ role: "viewer", params: eventParams }, ({ schedule, params }) =>
  schedule.getEvent(params.room, params.event),
);

// PATCH /api/admin/rooms/:room/events/:event: edit (anything before its lead time; end and capacity after).
export const PATCH = withAdmin(
  { role: "operator", params: eventParams, body: eventPatchBody },
  ({ schedule, actor, params, body }) => schedule.updateEvent(actor, params.room, params.event, body),
);

// DELETE /api/admin/rooms/:room/events/:event?reason=: cancel (reverted at once when applied).
export const DELETE = withAdmin(
  { role: "operator", params: eventParams, query: cancelEventQuery },
  ({ schedule, actor, params, query }) => schedule.cancelEvent(actor, params.room, params.event, query.reason),
);
