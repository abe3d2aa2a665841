import "server-only";
import os from "node:os";
import { AdminService } from "@/server/admin/admin-service";
import { AuditStore } from "@/server/admin/audit-store";
import { createAlertService } from "@/server/alerts/alert-service";
import { createNotificationService } from "@/server/alerts/notification-service";
import { AuthService } from "@/server/auth/auth-service";
import { LoginThrottle } from "@/server/auth/login-throttle";
import { SessionRevocationStore } from "@/server/auth/session-revocation-store";
import { trustedHosts } from "@/server/auth/trusted-hosts";
import { UserStore } from "@/server/auth/user-store";
import type { ClusterStatus } from "@/server/cluster/cluster-status";
import { openDatabase } from "@/server/db/database";
import type { Env } from "@/server/env";
import { FailurePolicy } from "@/server/gate/failure-policy";
import type { Logger } from "@/server/log";
import { MetricStore } from "@/server/metrics/metric-store";
import { MetricSampler } from "@/server/metrics/sampler";
import { createAdmissionCheck } from "@/server/queue/admission-check";
import { emptyBranding } from "@/server/queue/branding";
import { defaultChallengeDifficulty } from "@/server/queue/challenge-settings";
import { QueueEngine } from "@/server/queue/engine";
import type { FloodgateRuntime } from "@/server/runtime";
import { createScheduleService } from "@/server/schedule/schedule-service";
import { SessionTrigger } from "@/server/schedule/session-trigger";
import { GuardedQueueStore } from "@/server/store/guarded-store";
import type { QueueStore } from "@/server/store/queue-store";
import { SqliteQueueStore } from "@/server/store/sqlite-store";
import type { SystemStatus } from "@/server/store/system-status";
import { createAdmissionTokens } from "@/server/tokens/admission-token";
import { createQueueTokens } from "@/server/tokens/queue-token";
import { botDefenceFor, deriveAuthSecret, loadSecrets, placeReferencesFor } from "@/server/tokens/secrets";

// Builds Floodgate's parts from configuration: database, engine, sampler, people, admin
// service, and the runtime the Next side is given. server/main.ts adds HTTP and the loops;
// tests build exactly this, so the admin routes they call run on the real thing.

export async function assembleFloodgate(
  config: Env,
  logger: Logger,
  clock?: () => number,
  { startEngine = true }: { startEngine?: boolean } = {},
) {
  const secrets = await loadSecrets({
    dataDir: config.dataDir,
    queueSecret: config.FLOODGATE_QUEUE_SECRET,
    admissionPrivateJwk: config.FLOODGATE_ADMISSION_PRIVATE_JWK,
  });
  // One database client for the process: SQLite has one writer, and the driver adapter
  // serializes this client's queries; a second client could wait on the first's open
  // transaction with the event loop blocked.
  const db = await openDatabase(config.databaseUrl, { sqliteSynchronous: config.FLOODGATE_SQLITE_SYNCHRONOUS });
  const innerStore: QueueStore =
    config.FLOODGATE_STORE === "dynamodb"
      ? await openDynamoStore(config, logger)
      : new SqliteQueueStore(db, { logger });
  // The failure policy (server/store/README.md): a circuit breaker between the engine and the store.
  const failureMode = config.FLOODGATE_STORE_FAILURE_MODE;
  const store = new GuardedQueueStore(innerStore, {
    kind: config.FLOODGATE_STORE,
    timeoutMs: config.FLOODGATE_STORE_TIMEOUT_MS,
    failures: config.FLOODGATE_BREAKER_FAILURES,
    cooldownMs: config.FLOODGATE_BREAKER_COOLDOWN_MS,
    failureMode,
    logger,
    clock,
  });
  const admissionTokens = await createAdmissionTokens(secrets);
  const queueTokens = createQueueTokens(secrets.queueSecret);
  const failurePolicy = new FailurePolicy({
    mode: failureMode,
    admissionTokens,
    queueTokens,
    logger,
    storeDegraded: () => store.degraded,
    clock,
  });
  const startedAtMs = (clock ?? Date.now)();
  // A cluster node replaces this once it has joined (reportClusterStatus).
  let clusterStatus = (): ClusterStatus => ({
    role: "single",
    nodeId: null,
    leaderUrl: null,
    fencingToken: null,
    sinceMs: startedAtMs,
  });
  const systemStatus = (): SystemStatus => {
    const health = store.health();
    const cluster = clusterStatus();
    // No node leads: nobody is admitted anywhere until one does.
    const leaderless = cluster.role === "electing";
    return {
      status: leaderless ? "degraded" : health.state,
      store: health,
      cluster,
      failureMode,
      failOpenAdmissions: failurePolicy.failOpenAdmissions(),
    };
  };
  const engine = new QueueEngine({
    store,
    queueTokens,
    placeReferences: placeReferencesFor(secrets),
    botDefence: botDefenceFor(secrets),
    admissionTokens,
    logger,
    clock,
    leaveGraceMs: config.FLOODGATE_LEAVE_GRACE_MS,
    restoreGraceMs: config.FLOODGATE_RESTORE_GRACE_MS,
    etaWindowMs: config.FLOODGATE_ETA_WINDOW_MS,
    heldHeartbeats: {
      maxPerRoom: config.FLOODGATE_HELD_HEARTBEATS_PER_ROOM,
      maxTotal: config.FLOODGATE_HELD_HEARTBEATS_TOTAL,
    },
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
        newUsersPerMinute: null,
        sessionDurationSeconds: null,
        sessionRenewal: false,
        typicalVisitSeconds: null,
        bypassCidrs: [],
        bypassApiKeys: false,
        bypassUncounted: false,
        challenge: "off",
        challengeDifficulty: defaultChallengeDifficulty,
        blockedCidrs: [],
        infiniteLine: false,
        defaultLanguage: null,
        branding: emptyBranding,
      },
    ],
  });
  // A cluster node loads the rooms only while it leads (server/cluster/join-cluster.ts).
  if (startEngine) await engine.start();

  const audit = new AuditStore(db, logger);
  // Notifications first: the scheduler, the alerts and the admin service announce through it.
  const roomExists = (roomId: string) => engine.roomIds().includes(roomId);
  const notifications = createNotificationService({ db, config, logger, audit, clock, roomExists });
  const alerts = createAlertService({ db, logger, audit, notifier: notifications, clock, roomExists });
  const schedule = createScheduleService({ db, config, engine, logger, audit, notifier: notifications, clock });
  const sessions = new SessionTrigger({ keyAuth: schedule.keyAuth, engine, admissionTokens, audit });

  const sampler = new MetricSampler({
    source: engine,
    store: new MetricStore(db),
    logger,
    sampleIntervalMs: config.FLOODGATE_METRICS_SAMPLE_MS,
    rawRetentionMs: config.FLOODGATE_METRICS_RAW_RETENTION_H * 3_600_000,
    rollupRetentionMs: config.FLOODGATE_METRICS_ROLLUP_RETENTION_D * 86_400_000,
    onSample: (samples) => alerts.evaluate(samples),
  });

  const users = new UserStore(db);
  const auth = new AuthService({
    users,
    throttle: new LoginThrottle({
      failuresPerAccount: config.FLOODGATE_LOGIN_FAILURES_PER_ACCOUNT,
      failuresPerAddress: config.FLOODGATE_LOGIN_FAILURES_PER_IP,
    }),
    sessions: new SessionRevocationStore(db),
    logger,
    sessionMaxAgeS: config.FLOODGATE_SESSION_MAX_AGE_S,
    clock,
  });
  if (config.FLOODGATE_ADMIN_EMAIL && config.FLOODGATE_ADMIN_PASSWORD) {
    await auth.ensureConfiguredAdmin(config.FLOODGATE_ADMIN_EMAIL, config.FLOODGATE_ADMIN_PASSWORD);
  }
  const demoAdmin = config.FLOODGATE_DEMO ? await auth.ensureDemoAdmin(config.dataDir) : null;
  const admin = new AdminService(engine, sampler, audit, users, notifications, async (roomId) => {
    // Each part on its own: one failing must not keep the others' rows around.
    for (const part of [alerts, notifications, schedule]) {
      await part.forgetRoom(roomId).catch((error: unknown) => {
        logger.error({ err: error, room: roomId }, "a deleted room's settings were not all removed");
      });
    }
  });

  const runtime: FloodgateRuntime = {
    roomSummary: (roomId) => engine.roomSummary(roomId),
    visitorStatus: async (roomId, token) => (token ? engine.status(roomId, token) : null),
    roomForPath: (pathname) => engine.roomForPath(pathname),
    // A well-signed token of a visitor who left, expired or was evicted is refused at once.
    verifyAdmission: createAdmissionCheck({
      admissionTokens,
      holdsSlot: (roomId, visitorId) => engine.holdsSlot(roomId, visitorId),
      failingOpen: () => failurePolicy.failingOpen(),
    }),
    admin,
    schedule,
    sessions,
    alerts,
    notifications,
    auth: {
      secret: config.FLOODGATE_AUTH_SECRET ?? deriveAuthSecret(secrets),
      trustedHosts: config.FLOODGATE_PUBLIC_URL
        ? null
        : trustedHosts({
            port: config.PORT,
            hostname: config.HOSTNAME,
            machineName: os.hostname(),
            allowedHosts: config.FLOODGATE_ALLOWED_HOSTS,
          }),
      sessionMaxAgeS: config.FLOODGATE_SESSION_MAX_AGE_S,
      signIn: (email, password, address) => auth.signIn(email, password, address),
      sessionUser: (userId, sessionEpoch, sessionId) => auth.sessionUser(userId, sessionEpoch, sessionId),
      endSession: (sessionId, userId) => auth.endSession(sessionId, userId),
      isSessionEnded: (sessionId) => auth.isSessionEnded(sessionId),
    },
    systemStatus,
    logger,
    publicOrigin: config.FLOODGATE_PUBLIC_URL ? new URL(config.FLOODGATE_PUBLIC_URL).origin : null,
  };

  return {
    db,
    /** The store itself (a DynamoDB write fence is set on it); the engine goes through `storeGuard`. */
    store: innerStore,
    /** The circuit breaker the engine's store calls pass through. */
    storeGuard: store,
    engine,
    sampler,
    admissionTokens,
    auth,
    admin,
    schedule,
    alerts,
    notifications,
    demoAdmin,
    runtime,
    /** For the gate: fail-open lets visitors through while the store is unreachable. */
    failurePolicy,
    systemStatus,
    /** Where the cluster part of systemStatus comes from, once this process is a cluster node. */
    reportClusterStatus(source: () => ClusterStatus) {
      clusterStatus = source;
    },
    /**
     * Starts the background work besides the engine's tick: the scheduler (after catching up on
     * what it missed while down), notification delivery and metric sampling.
     */
    async startBackground() {
      notifications.start();
      await schedule.start();
      sampler.start();
    },
    /** Stops the background work and closes the queue store and the config database. */
    async close() {
      await schedule.stop();
      await sampler.stop();
      await notifications.stop();
      await store.close();
      await db.$disconnect();
    },
  };
}

/** Loaded only when chosen: the AWS SDK costs the embedded default ~20 MB for nothing. */
async function openDynamoStore(config: Env, logger: Logger): Promise<QueueStore> {
  const { DynamoQueueStore } = await import("@/server/store/dynamodb-store");
  const { createDynamoClient, ensureTable } = await import("@/server/store/dynamodb-table");
  const connection = { region: config.FLOODGATE_DYNAMODB_REGION, endpoint: config.FLOODGATE_DYNAMODB_ENDPOINT };
  if (config.FLOODGATE_DYNAMODB_CREATE_TABLE) {
    const client = createDynamoClient(connection);
    await ensureTable(client, config.FLOODGATE_DYNAMODB_TABLE);
    client.destroy();
  }
  return DynamoQueueStore.open({ ...connection, tableName: config.FLOODGATE_DYNAMODB_TABLE, logger });
}
