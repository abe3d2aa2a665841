import { admitBody, tokenParams } from "@/server/admin/schemas/tokens";
import { withAdmin } from "@/server/api/with-admin";

// POST /api/admin/rooms/:room/tokens/:id/admit: admit one visitor out of order (needs a free slot and a reason).
export const POST = withAdmin(
  { role: "operator", params: tokenParams, body: admitBody },
  async ({ admin, actor, params, body }) => ({
    token: await admin.admitNow(actor, params.room, params.id, body.reason),
  }),
);
