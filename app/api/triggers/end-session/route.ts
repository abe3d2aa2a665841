import { withApiKey } from "@/server/api/with-api-key";

// POST /api/triggers/end-session (API key): the site is done with a visitor; their slot goes to the next in line now.
export const POST = withApiKey(
  async ({ sessions, presentedKey, body }) => {
    await sessions.endSession(presentedKey, body);
    return { status: 204, body: null };
  },
  { callsPerMinute: 6_000 },
);
