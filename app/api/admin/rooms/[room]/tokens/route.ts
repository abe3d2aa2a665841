import { roomIdParam } from "@/server/admin/schemas/rooms";
import { tokenListQuery } from "@/server/admin/schemas/tokens";
import { withAdmin } from "@/server/api/with-admin";

// GET /api/admin/rooms/:room/tokens?state=&search=&page=&pageSize=: places in line and admissions.
export const GET = withAdmin(
  { role: "viewer", params: roomIdParam, query: tokenListQuery },
  ({ admin, params, query }) => admin.listTokens(params.room, query),
);
