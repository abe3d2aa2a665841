import { createRoomBody } from "@/server/admin/schemas/rooms";
import { withAdmin } from "@/server/api/with-admin";

// GET /api/admin/rooms: every room with its live counters.
export const GET = withAdmin({ role: "viewer" }, ({ admin }) => ({ rooms: admin.listRooms() }));

// POST /api/admin/rooms: create a room.
export const POST = withAdmin(
  { role: "operator", body: createRoomBody, status: 201 },
  async ({ admin, actor, body }) => ({
    room: await admin.createRoom(actor, body),
  }),
);
