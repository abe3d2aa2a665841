import { createUserBody } from "@/server/admin/schemas/users";
import { withAdmin } from "@/server/api/with-admin";

// GET /api/admin/users: everyone who may sign in (admins only).
export const GET = withAdmin({ role: "admin" }, async ({ admin }) => ({ users: await admin.listUsers() }));

// POST /api/admin/users: add a person with a role and a first password.
export const POST = withAdmin({ role: "admin", body: createUserBody, status: 201 }, async ({ admin, actor, body }) => ({
  user: await admin.createUser(actor, body),
}));
