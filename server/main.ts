import "./server-only-hook";
import "./v8-tuning";
import type http from "node:http";
import next from "next";
import { AppError } from "@/server/api/errors";
import { peerAddressHeader } from "@/server/api/peer-address";
import { createClusterRouter } from "@/server/cluster/cluster-router";
import { forwardedClientHeader } from "@/server/cluster/http-proxy";
import { applyMigrations } from "@/server/db/migrate";
import { env } from "@/server/env";
import { assembleFloodgate } from "@/server/floodgate";
import { createGate } from "@/server/gate/gate";
import { sendError } from "@/server/gate/http";
import { createThrottledWarn, isClientFault, quietClientFaultsInConsole } from "@/server/http/client-fault";
import { effectiveMaxConnections, readFileLimit } from "@/server/http/connection-guard";
import { createFrontServer } from "@/server/http/front-server";
import { createLogger } from "@/server/log";
import { createMetricsRegistry, registerConnectionMetrics, registerHeldHeartbeats } from "@/server/metrics/prometheus";
import { publishRuntime } from "@/server/runtime";

// Process entry: one HTTP server whose requests go to the gate (public queue API, the
// waiting page's preparation, JWKS) or else to Next.js, plus the engine's background loop.

async function main() {
  const config = env();
  const logger = createLogger(config.LOG_LEVEL);
  quietClientFaultsInConsole(logger);
  // The port is bound before anything else starts: a port in use stops the start at once with
  // one line (main's catch), and a cluster node that cannot listen never takes the lease.
  const fileLimit = readFileLimit();
  const limits = {
    maxConnections: effectiveMaxConnections(config.FLOODGATE_MAX_CONNECTIONS, fileLimit),
    maxPerAddress: config.FLOODGATE_MAX_CONNECTIONS_PER_IP,
    firstRequestTimeoutMs: config.FLOODGATE_HEADERS_TIMEOUT_MS,
  };
  if (limits.maxConnections < config.FLOODGATE_MAX_CONNECTIONS) {
    logger.warn(
      {
        configured: config.FLOODGATE_MAX_CONNECTIONS,
        effective: limits.maxConnections,
        openFileLimit: fileLimit?.soft,
      },
      "connection cap lowered to fit the open-file limit (raise it with ulimit -n / LimitNOFILE)",
    );
  }
  const front = createFrontServer({
    limits,
    headersTimeoutMs: config.FLOODGATE_HEADERS_TIMEOUT_MS,
    requestTimeoutMs: config.FLOODGATE_REQUEST_TIMEOUT_MS,
    logger,
  });
  const port = await front.listen(config.PORT, config.HOSTNAME);
  await applyMigrations(config.databaseUrl);
  const floodgate = await assembleFloodgate(config, logger, undefined, { startEngine: !config.FLOODGATE_CLUSTER });
  const { engine, admissionTokens, demoAdmin } = floodgate;
  // A cluster node runs the rooms and the background work only while it leads (joinCluster);
  // loaded on demand: it brings the AWS SDK, which the embedded default does without.
  const cluster = config.FLOODGATE_CLUSTER
    ? await (await import("@/server/cluster/join-cluster")).joinCluster(config, floodgate, logger)
    : null;
  if (!cluster) await floodgate.startBackground();
  const metrics = createMetricsRegistry(engine);
  registerConnectionMetrics(metrics, front.guard.counts);
  registerHeldHeartbeats(metrics, () => engine.heldHeartbeats());
  // next-auth v4 builds its URLs from NEXTAUTH_URL, else (with AUTH_TRUST_HOST) from the
  // request's Host: set for the library here, the one place that knows the public URL.
  if (config.FLOODGATE_PUBLIC_URL) process.env.NEXTAUTH_URL ??= config.FLOODGATE_PUBLIC_URL;
  else process.env.AUTH_TRUST_HOST ??= "true";
  publishRuntime(floodgate.runtime);

  const gateOptions = {
    engine,
    admissionTokens,
    logger,
    queueCookieMaxAgeS: config.FLOODGATE_QUEUE_COOKIE_MAX_AGE_S,
    publicUrlIsHttps: config.FLOODGATE_PUBLIC_URL?.startsWith("https:") ?? false,
    trustProxy: config.FLOODGATE_TRUST_PROXY,
    allowedOrigins: config.FLOODGATE_ALLOWED_ORIGINS,
    metrics,
    metricsToken: config.FLOODGATE_METRICS_TOKEN,
    newPlacesPerMinutePerIp: config.FLOODGATE_NEW_PLACES_PER_MINUTE_PER_IP,
    apiKeyFor: (key: string, roomId: string) => floodgate.schedule.keyAuth.holdsRoom(key, roomId),
    failurePolicy: floodgate.failurePolicy,
    systemStatus: floodgate.systemStatus,
  };
  const gate = createGate(gateOptions);
  const router =
    cluster && config.FLOODGATE_CLUSTER_SECRET
      ? createClusterRouter({
          node: cluster.node,
          followerGate: createGate({ ...gateOptions, engine: cluster.node.remote }),
          secret: config.FLOODGATE_CLUSTER_SECRET,
          logger,
        })
      : null;

  const nextApp = next({
    dev: config.NODE_ENV === "development",
    dir: process.cwd(),
    hostname: config.HOSTNAME,
    port: config.PORT,
  });
  const handleNext = nextApp.getRequestHandler();
  await nextApp.prepare();

  const warnClientFault = createThrottledWarn(logger);
  // Functions made once, not per request: a closure per request costs its allocation and, as
  // tsx compiles it, a defineProperty for its name (2-3% of a flash crowd's CPU).
  const passToNext = (req: http.IncomingMessage, res: http.ServerResponse) => {
    handleNext(req, res).catch((error: unknown) => {
      if (isClientFault(error)) {
        // The client's mistake: a 400 and one line, no stack (a stack per request floods the log).
        warnClientFault(
          {
            method: req.method?.slice(0, 16),
            url: req.url?.slice(0, 200),
            reason: String((error as Error).message).slice(0, 200),
          },
          "request refused: Next could not read it",
        );
        if (!res.headersSent) sendError(res, new AppError("bad_request", "The request could not be read."));
        else res.destroy();
        return;
      }
      logger.error({ err: error, url: req.url }, "next handler failed");
      if (!res.headersSent) res.writeHead(500).end();
    });
  };
  const serveLocally = (req: http.IncomingMessage, res: http.ServerResponse) => {
    if (!gate.handle(req, res, passToNext)) passToNext(req, res);
  };
  front.serve((req, res) => {
    // Another node passing a visitor's request on says who the visitor is; nobody else may.
    const fromNode = cluster?.node.isFromNode(req) ?? false;
    const forwarded = req.headers[forwardedClientHeader];
    if (!fromNode) delete req.headers[forwardedClientHeader];
    const clientAddress =
      fromNode && typeof forwarded === "string" && forwarded
        ? forwarded
        : peerAddress(req, config.FLOODGATE_TRUST_PROXY);
    // Whatever a client put in this header is replaced: code behind Next trusts it.
    req.headers[peerAddressHeader] = clientAddress;
    if (router) router.route(req, res, clientAddress, () => serveLocally(req, res));
    else serveLocally(req, res);
  });

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

  logger.info(
    { port, dataDir: config.dataDir, mode: config.NODE_ENV, connectionLimits: limits },
    `Floodgate listening on http://localhost:${port}`,
  );
  if (demoAdmin) {
    // The demo's own throwaway credentials, printed on purpose (they are in data/demo-admin.json).
    process.stdout.write(
      `\n  Admin console: http://localhost:${port}/admin\n  Sign in as ${demoAdmin.email} with password ${demoAdmin.password}\n\n`,
    );
  }

  const shutdown = (signal: string) => {
    logger.info({ signal }, "shutting down");
    clearInterval(loop);
    router?.close();
    front.guard.close();
    front.server.close();
    // Held heartbeats are answered now (their pages ask again at once, and find the server
    // gone or the next one); their answers are written within this turn, the sockets closed after.
    engine.releaseHeldHeartbeats();
    setImmediate(() => front.server.closeAllConnections());
    // A cluster node hands the lease over first, so another node takes the rooms at once.
    const leaving = cluster?.leave() ?? Promise.resolve();
    void leaving
      .catch((error: unknown) => logger.warn({ err: error }, "lease not handed over; it expires on its own"))
      .then(() => floodgate.close())
      .finally(() => process.exit(0));
  };
  process.once("SIGTERM", () => shutdown("SIGTERM"));
  process.once("SIGINT", () => shutdown("SIGINT"));
}

/** The client's address: the socket peer, or the last X-Forwarded-For hop behind a trusted proxy. */
function peerAddress(req: http.IncomingMessage, trustProxy: boolean): string {
  const forwarded = trustProxy ? req.headers["x-forwarded-for"] : undefined;
  const last = typeof forwarded === "string" ? forwarded.split(",").pop()?.trim() : undefined;
  return last || req.socket.remoteAddress || "unknown";
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
