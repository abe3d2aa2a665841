import { roomIdParam } from "@/server/admin/schemas/rooms";
import { withAdmin } from "@/server/api/with-admin";

// GET /api/admin/rooms/:room/surges: the room's 50 most recent surges.
export const GET = withAdmin({ role: "viewer", params: roomIdParam }, ({ schedule, params }) =>
  schedule.listSurges(params.room),
);
