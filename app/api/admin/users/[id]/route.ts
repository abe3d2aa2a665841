import { updateUserBody, userIdParam } from "@/server/admin/schemas/users";
import { withAdmin } from "@/server/api/with-admin";

// PATCH /api/admin/users/:id: change role, name or password; disable or enable.
export const PATCH = withAdmin(
  { role: "admin", params: userIdParam, body: updateUserBody },
  async ({ admin, actor, params, body }) => ({ user: await admin.updateUser(actor, params.id, body) }),
);
