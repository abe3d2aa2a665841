import { deliveryListQuery } from "@/server/admin/schemas/notifications";
import { withAdmin } from "@/server/api/with-admin";

// GET /api/admin/deliveries?room=&status=&page=&pageSize=: the notification delivery log, newest first.
export const GET = withAdmin({ role: "viewer", query: deliveryListQuery }, ({ notifications, query }) =>
  notifications.listDeliveries({
    roomId: query.room,
    status: query.status,
    page: query.page,
    pageSize: query.pageSize,
  }),
);
