import { roomIdParam } from "@/server/admin/schemas/rooms";
import { withAdmin } from "@/server/api/with-admin";

// GET /api/admin/rooms/:room/capacity-plan: the capacity now and every source raising it.
export const GET = withAdmin({ role: "viewer", params: roomIdParam }, ({ schedule, params }) =>
  schedule.capacityPlan(params.room),
);
