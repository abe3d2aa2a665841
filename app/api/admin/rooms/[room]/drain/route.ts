import { drainBody, roomIdParam } from "@/server/admin/schemas/rooms";
import { AppError } from "@/server/api/errors";
import { withAdmin } from "@/server/api/with-admin";

// POST /api/admin/rooms/:room/drain: evict everyone waiting; the body must repeat the room id.
export const POST = withAdmin(
  { role: "operator", params: roomIdParam, body: drainBody },
  async ({ admin, actor, params, body }) => {
    if (body.confirm !== params.room) {
      throw new AppError("validation_failed", `To drain, send confirm: "${params.room}" (the room's id).`);
    }
    return admin.drain(actor, params.room, body.reason);
  },
);
