import { createThresholdBody } from "@/server/admin/schemas/alerts";
import { roomIdParam } from "@/server/admin/schemas/rooms";
import { withAdmin } from "@/server/api/with-admin";

// GET /api/admin/rooms/:room/thresholds: the room's alert thresholds with their state.
export const GET = withAdmin({ role: "viewer", params: roomIdParam }, ({ alerts, params }) =>
  alerts.listThresholds(params.room),
);

// POST /api/admin/rooms/:room/thresholds: add a threshold (at most 20 a room).
export const POST = withAdmin(
  { role: "operator", params: roomIdParam, body: createThresholdBody, status: 201 },
  ({ alerts, actor, params, body }) => alerts.createThreshold(actor, params.room, body),
);
