import type { Metadata } from "next";
import { AdminsOnly } from "@/components/admin/common/admins-only";
import { can } from "@/components/admin/common/roles";
import { UsersClient } from "@/components/admin/people/users-client";
import { requireSessionUser } from "@/server/auth/session";

export const metadata: Metadata = { title: "Users" };

// GET /admin/users: admins only. Others get a plain refusal inside the console (the API
// refuses them too); no user data is ever sent to their browser.
export default async function UsersPage() {
  const user = await requireSessionUser();
  if (!can(user.role, "admin")) return <AdminsOnly />;
  return <UsersClient />;
}
