import { roomIdParam, seriesQuery } from "@/server/admin/schemas/rooms";
import { withAdmin } from "@/server/api/with-admin";

// GET /api/admin/rooms/:room/series?range=15m|1h|6h|24h: sampled stats for the charts.
export const GET = withAdmin({ role: "viewer", params: roomIdParam, query: seriesQuery }, ({ admin, params, query }) =>
  admin.series(params.room, query.range),
);
