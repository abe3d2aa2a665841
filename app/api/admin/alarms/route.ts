import { z } from "zod";
import { withAdmin } from "@/server/api/with-admin";

/** No parameters: a query string is refused rather than silently ignored. */
const noQuery = z.object({}).strict();

// GET /api/admin/alarms: every enabled threshold in ALARM now (the console's nav and room cards).
export const GET = withAdmin({ role: "viewer", query: noQuery }, ({ alerts }) => alerts.listActiveAlarms());
