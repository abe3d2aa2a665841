import { apiKeyCreateBody } from "@/server/admin/schemas/schedule";
import { withAdmin } from "@/server/api/with-admin";

// GET /api/admin/api-keys: every key (never the secret).
export const GET = withAdmin({ role: "admin" }, ({ schedule }) => schedule.listApiKeys());

// POST /api/admin/api-keys: a new key for some rooms; the answer is the only time its secret is shown.
export const POST = withAdmin({ role: "admin", body: apiKeyCreateBody, status: 201 }, ({ schedule, actor, body }) =>
  schedule.createApiKey(actor, body),
);
