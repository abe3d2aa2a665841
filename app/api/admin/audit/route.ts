import { auditQuery } from "@/server/admin/schemas/users";
import { withAdmin } from "@/server/api/with-admin";

// GET /api/admin/audit?page=&pageSize=&room=&action=: who did what, newest first.
export const GET = withAdmin({ role: "viewer", query: auditQuery }, ({ admin, query }) =>
  admin.listAudit({ roomId: query.room, action: query.action, page: query.page, pageSize: query.pageSize }),
);
