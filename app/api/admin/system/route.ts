import { withAdmin } from "@/server/api/with-admin";
import { getRuntime } from "@/server/runtime";

// GET /api/admin/system: this node's health (queue store breaker, cluster role, failure policy).
export const GET = withAdmin({ role: "viewer" }, () => getRuntime().systemStatus());
