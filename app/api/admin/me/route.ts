import { withAdmin } from "@/server/api/with-admin";

// GET /api/admin/me: the signed-in person and their role.
export const GET = withAdmin({ role: "viewer" }, ({ user }) => ({ user }));
