import { withApiKey } from "@/server/api/with-api-key";

// POST /api/triggers/surge (API key): raise a room for a surge, or extend the one running.
export const POST = withApiKey(({ schedule, presentedKey, body, idempotencyKey }) =>
  schedule.triggerSurge(presentedKey, body, idempotencyKey),
);
