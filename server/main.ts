import "./server-only-hook";
import http from "node:http";
import next from "next";
import { applyMigrations } from "@/server/db/migrate";
import { env } from "@/server/env";
import { createGate } from "@/server/gate/gate";
import { createLogger } from "@/server/log";
import { createMetricsRegistry } from "@/server/metrics/prometheus";
import { QueueEngine } from "@/server/queue/engine";
import { publishRuntime } from "@/server/runtime";
import { SqliteQueueStore } from "@/server/store/sqlite-store";
import { createAdmissionTokens } from "@/server/tokens/admission-token";
import { createQueueTokens } from "@/server/tokens/queue-token";
import { loadSecrets } from "@/server/tokens/secrets";

// Process entry: one HTTP server whose requests go to the gate (public queue API, the
// waiting page's preparation, JWKS) or else to Next.js, plus the engine's background loop.

async function main() {
  const config = env();
  const logger = createLogger(config.LOG_LEVEL);
  await applyMigrations(config.databaseUrl);
  const secrets = await loadSecrets({
    dataDir: config.dataDir,
    queueSecret: config.FLOODGATE_QUEUE_SECRET,
    admissionPrivateJwk: config.FLOODGATE_ADMISSION_PRIVATE_JWK,
  });
  const store = await SqliteQueueStore.open(config.databaseUrl);
  const admissionTokens = await createAdmissionTokens(secrets);
  const engine = new QueueEngine({
    store,
    queueTokens: createQueueTokens(secrets.queueSecret),
    admissionTokens,
    logger,
    leaveGraceMs: config.FLOODGATE_LEAVE_GRACE_MS,
    etaWindowMs: config.FLOODGATE_ETA_WINDOW_MS,
    initialRooms: [
      {
        id: "default",
        name: "Demo shop",
        capacity: config.FLOODGATE_DEFAULT_ROOM_CAPACITY,
        heartbeatIntervalMs: config.FLOODGATE_DEFAULT_ROOM_HEARTBEAT_INTERVAL_MS,
        heartbeatTimeoutMs: config.FLOODGATE_DEFAULT_ROOM_HEARTBEAT_TIMEOUT_MS,
        maxQueueLength: config.FLOODGATE_DEFAULT_ROOM_MAX_QUEUE_LENGTH,
        mode: "fifo",
        protectedPaths: config.FLOODGATE_DEFAULT_ROOM_PROTECTED_PATHS,
      },
    ],
  });
  await engine.start();

  publishRuntime({
    roomSummary: (roomId) => engine.roomSummary(roomId),
    visitorStatus: async (roomId, token) => (token ? engine.status(roomId, token) : null),
    roomForPath: (pathname) => engine.roomForPath(pathname),
    verifyAdmission: async (roomId, token) => (token ? admissionTokens.verify(token, roomId) : false),
  });

  const gate = createGate({
    engine,
    admissionTokens,
    logger,
    queueCookieMaxAgeS: config.FLOODGATE_QUEUE_COOKIE_MAX_AGE_S,
    publicUrlIsHttps: config.FLOODGATE_PUBLIC_URL?.startsWith("https:") ?? false,
    trustProxy: config.FLOODGATE_TRUST_PROXY,
    allowedOrigins: config.FLOODGATE_ALLOWED_ORIGINS,
    metrics: createMetricsRegistry(engine),
    metricsToken: config.FLOODGATE_METRICS_TOKEN,
    newPlacesPerMinutePerIp: config.FLOODGATE_NEW_PLACES_PER_MINUTE_PER_IP,
  });

  const nextApp = next({
    dev: config.NODE_ENV === "development",
    dir: process.cwd(),
    hostname: config.HOSTNAME,
    port: config.PORT,
  });
  const handleNext = nextApp.getRequestHandler();
  await nextApp.prepare();

  const server = http.createServer((req, res) => {
    const passToNext = () => {
      handleNext(req, res).catch((error: unknown) => {
        logger.error({ err: error, url: req.url }, "next handler failed");
        if (!res.headersSent) res.writeHead(500).end();
      });
    };
    if (!gate.handle(req, res, passToNext)) passToNext();
  });
  server.keepAliveTimeout = 65_000;

  // Background loop: expiry and admission, well under a second apart, never overlapping.
  let ticking = false;
  const loop = setInterval(() => {
    if (ticking) return;
    ticking = true;
    engine
      .tick()
      .catch((error: unknown) => logger.error({ err: error }, "engine tick failed"))
      .finally(() => {
        ticking = false;
      });
  }, config.FLOODGATE_TICK_MS);

  server.listen(config.PORT, config.HOSTNAME, () => {
    const address = server.address();
    const port = typeof address === "object" && address ? address.port : config.PORT;
    logger.info(
      { port, dataDir: config.dataDir, mode: config.NODE_ENV },
      `Floodgate listening on http://localhost:${port}`,
    );
  });

  const shutdown = (signal: string) => {
    logger.info({ signal }, "shutting down");
    clearInterval(loop);
    server.close();
    server.closeAllConnections();
    void store.close().finally(() => process.exit(0));
  };
  process.once("SIGTERM", () => shutdown("SIGTERM"));
  process.once("SIGINT", () => shutdown("SIGINT"));
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
