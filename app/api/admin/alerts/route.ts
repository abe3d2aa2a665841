import { alertEventListQuery } from "@/server/admin/schemas/alerts";
import { withAdmin } from "@/server/api/with-admin";

// GET /api/admin/alerts?room=&page=&pageSize=: the alert history (changes of state), newest first.
export const GET = withAdmin({ role: "viewer", query: alertEventListQuery }, ({ alerts, query }) =>
  alerts.listAlertEvents({ roomId: query.room, page: query.page, pageSize: query.pageSize }),
);
