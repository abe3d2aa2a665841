import { capacityBody, roomIdParam } from "@/server/admin/schemas/rooms";
import { withAdmin } from "@/server/api/with-admin";

// PUT /api/admin/rooms/:room/capacity: set capacity (with an optional reason); used by the next tick.
export const PUT = withAdmin(
  { role: "operator", params: roomIdParam, body: capacityBody },
  async ({ admin, actor, params, body }) => ({
    room: await admin.setCapacity(actor, params.room, body.capacity, body.reason),
  }),
);
