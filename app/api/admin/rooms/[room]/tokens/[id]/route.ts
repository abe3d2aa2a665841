import { tokenParams } from "@/server/admin/schemas/tokens";
import { withAdmin } from "@/server/api/with-admin";

// GET /api/admin/rooms/:room/tokens/:id: one place in line or admission.
export const GET = withAdmin({ role: "viewer", params: tokenParams }, ({ admin, params }) => ({
  token: admin.getToken(params.room, params.id),
}));
