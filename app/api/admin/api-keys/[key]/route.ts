import { apiKeyParams } from "@/server/admin/schemas/schedule";
import { withAdmin } from "@/server/api/with-admin";

// DELETE /api/admin/api-keys/:key: revoke a key; its next call is refused.
export const DELETE = withAdmin({ role: "admin", params: apiKeyParams }, ({ schedule, actor, params }) =>
  schedule.revokeApiKey(actor, params.key),
);
