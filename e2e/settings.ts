// What the end-to-end server is started with (playwright.config.ts) and what the specs
// count on. One place, so a spec's time budget follows the room's settings.

export const roomId = "default";

/** First-start settings of the default room: one slot, fast heartbeats, quick expiry. */
export const roomSettings = {
  capacity: 1,
  heartbeatIntervalMs: 1_000,
  heartbeatTimeoutMs: 6_000,
  leaveGraceMs: 1_000,
} as const;

/** /metrics is token-protected in the e2e server, so the token path is exercised too. */
export const metricsToken = "e2e-metrics-token-not-a-secret";

export const queueCookie = `fgq_${roomId}`;
export const admissionCookie = `fga_${roomId}`;
export const languageCookie = "fg_lang";

/** Where an unadmitted visitor to /shop is sent. */
export const waitingPageUrl = /\/wait\/default\?next=%2Fshop$/;
export const shopUrl = /\/shop$/;

/** The first admin, created by the e2e server from FLOODGATE_ADMIN_EMAIL / _PASSWORD. */
export const adminAccount = { email: "admin@e2e.test", password: "e2e admin password, not a secret" } as const;

/** The console samples room stats this often in the e2e server, so charts fill within a test. */
export const metricsSampleMs = 2_000;

/** The topic scale announcements and alerts are sent to in the e2e run (the fake SNS knows it). */
export const snsTopicArn = "arn:aws:sns:us-east-1:123456789012:floodgate-e2e";

/** Where the fake SNS listens (playwright.config.ts picks the port; workers inherit it). */
export const snsUrl = () => `http://127.0.0.1:${process.env.E2E_SNS_PORT}`;
