import { channelBody } from "@/server/admin/schemas/notifications";
import { roomIdParam } from "@/server/admin/schemas/rooms";
import { withAdmin } from "@/server/api/with-admin";

// GET /api/admin/rooms/:room/channel: the SNS topic the room's notifications go to.
export const GET = withAdmin({ role: "viewer", params: roomIdParam }, ({ notifications, params }) =>
  notifications.getChannel(params.room),
);

// PUT /api/admin/rooms/:room/channel: set the room's own topic ({ topicArn: null }: back to the default).
export const PUT = withAdmin(
  { role: "operator", params: roomIdParam, body: channelBody },
  ({ notifications, actor, params, body }) => notifications.setChannel(actor, params.room, body.topicArn),
);
