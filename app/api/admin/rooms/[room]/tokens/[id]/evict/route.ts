import { evictBody, tokenParams } from "@/server/admin/schemas/tokens";
import { withAdmin } from "@/server/api/with-admin";

// POST /api/admin/rooms/:room/tokens/:id/evict: remove a visitor now (their admission stops working at once).
export const POST = withAdmin(
  { role: "operator", params: tokenParams, body: evictBody },
  async ({ admin, actor, params, body }) => ({
    token: await admin.evict(actor, params.room, params.id, body.reason),
  }),
);
