import { deleteRoomQuery, roomIdParam, updateRoomBody } from "@/server/admin/schemas/rooms";
import { withAdmin } from "@/server/api/with-admin";

// GET /api/admin/rooms/:room: one room's settings and live counters.
export const GET = withAdmin({ role: "viewer", params: roomIdParam }, ({ admin, params }) => ({
  room: admin.getRoom(params.room),
}));

// PATCH /api/admin/rooms/:room: change settings (capacity, heartbeat, queue length, mode, paths).
export const PATCH = withAdmin(
  { role: "operator", params: roomIdParam, body: updateRoomBody },
  async ({ admin, actor, params, body: { reason, ...patch } }) => ({
    room: await admin.updateRoom(actor, params.room, patch, reason),
  }),
);

// DELETE /api/admin/rooms/:room?force=true: delete; refused while anyone is inside or waiting unless forced.
export const DELETE = withAdmin(
  { role: "operator", params: roomIdParam, query: deleteRoomQuery },
  async ({ admin, actor, params, query }) => ({
    deleted: await admin.deleteRoom(actor, params.room, query.force === "true"),
  }),
);
