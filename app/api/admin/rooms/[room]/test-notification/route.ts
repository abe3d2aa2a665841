import { roomIdParam } from "@/server/admin/schemas/rooms";
import { withAdmin } from "@/server/api/with-admin";

// POST /api/admin/rooms/:room/test-notification: queue a test message to the room's channel.
export const POST = withAdmin({ role: "operator", params: roomIdParam }, ({ notifications, actor, params }) =>
  notifications.sendTest(actor, params.room),
);
