import { thresholdParams, updateThresholdBody } from "@/server/admin/schemas/alerts";
import { withAdmin } from "@/server/api/with-admin";

// PATCH /api/admin/rooms/:room/thresholds/:threshold: change a threshold (a new metric,
// comparator or value starts it over at OK).
export const PATCH = withAdmin(
  { role: "operator", params: thresholdParams, body: updateThresholdBody },
  ({ alerts, actor, params, body }) => alerts.updateThreshold(actor, params.room, params.threshold, body),
);

// DELETE /api/admin/rooms/:room/thresholds/:threshold: remove a threshold (its history stays).
export const DELETE = withAdmin({ role: "operator", params: thresholdParams }, ({ alerts, actor, params }) =>
  alerts.deleteThreshold(actor, params.room, params.threshold),
);
