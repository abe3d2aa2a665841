import { roomIdParam } from "@/server/admin/schemas/rooms";
import { surgeEndBody } from "@/server/admin/schemas/schedule";
import { withAdmin } from "@/server/api/with-admin";

// POST /api/admin/rooms/:room/surge/end: end the room's surge now.
export const POST = withAdmin(
  { role: "operator", params: roomIdParam, body: surgeEndBody },
  ({ schedule, actor, params, body }) => schedule.endSurge(actor, params.room, body.reason),
);
