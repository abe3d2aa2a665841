import { withAdmin } from "@/server/api/with-admin";

// GET /api/admin/stats: current counters of every room.
export const GET = withAdmin({ role: "viewer" }, ({ admin }) => ({ rooms: admin.roomStats() }));
