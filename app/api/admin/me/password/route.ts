import { changePasswordBody } from "@/server/admin/schemas/users";
import { withAdmin } from "@/server/api/with-admin";

// PUT /api/admin/me/password: change one's own password (the current one is required).
export const PUT = withAdmin({ role: "viewer", body: changePasswordBody }, async ({ admin, actor, body }) => {
  await admin.changeOwnPassword(actor, body.currentPassword, body.newPassword);
  return { ok: true };
});
