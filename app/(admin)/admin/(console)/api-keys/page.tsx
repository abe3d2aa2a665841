import type { Metadata } from "next";
import { AdminsOnly } from "@/components/admin/common/admins-only";
import { can } from "@/components/admin/common/roles";
import { ApiKeysClient } from "@/components/admin/people/api-keys-client";
import { requireSessionUser } from "@/server/auth/session";

export const metadata: Metadata = { title: "API keys" };

// GET /admin/api-keys: admins only, like the API behind it; others get a plain refusal.
export default async function ApiKeysPage() {
  const user = await requireSessionUser();
  if (!can(user.role, "admin")) return <AdminsOnly task="Managing API keys" />;
  return <ApiKeysClient />;
}
