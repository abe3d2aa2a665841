import { eventsQuery } from "@/server/admin/schemas/schedule";
import { withAdmin } from "@/server/api/with-admin";

// GET /api/admin/events?room=&from=&to=: scale events of every room (or one), newest start first.
export const GET = withAdmin({ role: "viewer", query: eventsQuery }, ({ schedule, query }) =>
  schedule.listEvents(query),
);
