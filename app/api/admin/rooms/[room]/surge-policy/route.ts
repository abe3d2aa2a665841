import { roomIdParam } from "@/server/admin/schemas/rooms";
import { surgePolicyBody } from "@/server/admin/schemas/schedule";
import { withAdmin } from "@/server/api/with-admin";

// GET /api/admin/rooms/:room/surge-policy: what a surge trigger raises the room to, and for how long.
export const GET = withAdmin({ role: "viewer", params: roomIdParam }, ({ schedule, params }) =>
  schedule.surgePolicy(params.room),
);

// PUT /api/admin/rooms/:room/surge-policy: set it.
export const PUT = withAdmin(
  { role: "operator", params: roomIdParam, body: surgePolicyBody },
  ({ schedule, actor, params, body }) => schedule.setSurgePolicy(actor, params.room, body),
);
