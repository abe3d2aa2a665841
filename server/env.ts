import "server-only";
import path from "node:path";
import { z } from "zod";
import { topicArn } from "@/server/admin/schemas/notifications";
import { protectedPath } from "@/server/admin/schemas/rooms";

// The one place that reads process.env. Defaults make the demo run with zero configuration;
// a bad value fails at start with a message naming the variable.

const bool = z
  .enum(["1", "0", "true", "false", "yes", "no", "on", "off"])
  .transform((v) => ["1", "true", "yes", "on"].includes(v));
const int = (min: number, max: number) => z.coerce.number().int().min(min).max(max);

const schema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  PORT: int(0, 65535).default(3000),
  HOSTNAME: z.string().min(1).default("0.0.0.0"),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  FLOODGATE_DATA_DIR: z.string().min(1).default("data"),
  /** file:path (SQLite, the default under FLOODGATE_DATA_DIR) or postgresql://user:pass@host:5432/db. */
  DATABASE_URL: z
    .string()
    .regex(
      /^(file:.+|postgres(ql)?:\/\/.+)$/,
      "must be a SQLite file: URL (file:data/floodgate.db) or a PostgreSQL URL (postgresql://user:password@host:5432/floodgate)",
    )
    .optional(),
  FLOODGATE_PUBLIC_URL: z.url().optional(),
  // Where queue state lives: the embedded SQLite file, or a DynamoDB table (one node for now:
  // several nodes need the lease of the scale-out work). Config (users, audit, metrics) stays SQL.
  FLOODGATE_STORE: z.enum(["sqlite", "dynamodb"]).default("sqlite"),
  /**
   * SQLite (WAL) commits: `full` syncs the log on every commit, so an acknowledged place
   * survives a power cut; `normal` syncs at checkpoints only (survives a process crash, not a
   * power cut). Arrivals are group-committed, so `full` costs one sync per batch, not per place.
   */
  FLOODGATE_SQLITE_SYNCHRONOUS: z.enum(["full", "normal"]).default("full"),
  FLOODGATE_DYNAMODB_TABLE: z
    .string()
    .regex(/^[A-Za-z0-9_.-]{3,255}$/, "3-255 letters, digits, _ . -")
    .default("floodgate-queue"),
  /** Else the SDK's own resolution (AWS_REGION, profile). */
  FLOODGATE_DYNAMODB_REGION: z.string().min(1).optional(),
  /** Another DynamoDB-API server (DynamoDB Local, dynalite); AWS_ENDPOINT_URL_DYNAMODB works too. */
  FLOODGATE_DYNAMODB_ENDPOINT: z.url().optional(),
  /** Create the table on start when missing (development; production uses npm run dynamodb:setup). */
  FLOODGATE_DYNAMODB_CREATE_TABLE: bool.default(false),
  // Several app nodes behind a load balancer (server/cluster/README.md): they share the DynamoDB
  // store and a PostgreSQL config database; the node holding the cluster lease runs the rooms.
  FLOODGATE_CLUSTER: bool.default(false),
  /** How the other nodes reach this one (http://10.0.0.5:3000): its address inside the cluster. */
  FLOODGATE_NODE_URL: z.url().optional(),
  /** Shared by every node: authenticates node-to-node calls. */
  FLOODGATE_CLUSTER_SECRET: z.string().min(32, "must be at least 32 characters").optional(),
  /** A dead leader's rooms move to another node within about 4/3 of this. */
  FLOODGATE_LEASE_TTL_MS: int(3_000, 120_000).default(9_000),
  // When the queue store is slow or unreachable (server/store/README.md, "Failure policy"):
  // `closed` keeps everyone waiting and admits nobody new; `open` lets arrivals through, counted.
  FLOODGATE_STORE_FAILURE_MODE: z.enum(["closed", "open"]).default("closed"),
  /** A store call slower than this counts as a failure for the circuit breaker. */
  FLOODGATE_STORE_TIMEOUT_MS: int(100, 60_000).default(2_000),
  /** Failures in a row that open the circuit breaker. */
  FLOODGATE_BREAKER_FAILURES: int(1, 1_000).default(5),
  /** How long an open breaker refuses calls before letting one probe through. */
  FLOODGATE_BREAKER_COOLDOWN_MS: int(500, 600_000).default(5_000),
  FLOODGATE_TRUST_PROXY: bool.default(false),
  // Connection limits (server/http/connection-guard.ts). The total is also kept below the
  // process's open-file limit, with headroom for the database and outgoing calls.
  FLOODGATE_MAX_CONNECTIONS: int(1, 1_000_000).default(10_000),
  /**
   * Per socket peer (0 = off). Default 256, or off behind a trusted proxy and on a cluster node:
   * there the proxy, the balancer and the other nodes are the peers, each carrying many visitors.
   */
  FLOODGATE_MAX_CONNECTIONS_PER_IP: int(0, 1_000_000).optional(),
  /** A socket must send a complete request head within this (slow or silent sockets are closed). */
  FLOODGATE_HEADERS_TIMEOUT_MS: int(1_000, 120_000).default(10_000),
  /** A whole request, body included, must arrive within this. */
  FLOODGATE_REQUEST_TIMEOUT_MS: int(1_000, 600_000).default(30_000),
  FLOODGATE_QUEUE_SECRET: z.string().min(32, "must be at least 32 characters").optional(),
  FLOODGATE_ADMISSION_PRIVATE_JWK: z.string().startsWith("{", "must be a JSON Web Key").optional(),
  FLOODGATE_METRICS_TOKEN: z.string().min(16, "must be at least 16 characters").optional(),
  FLOODGATE_NEW_PLACES_PER_MINUTE_PER_IP: int(0, 1_000_000).default(300),
  FLOODGATE_TICK_MS: int(20, 1000).default(100),
  /** How often the scheduler applies scale events and ends surges: on time within 1 s needs ≤ 500. */
  FLOODGATE_SCHEDULER_TICK_MS: int(100, 10_000).default(500),
  FLOODGATE_LEAVE_GRACE_MS: int(0, 60_000).optional(),
  /** How long places loaded at a restart or takeover wait for their first heartbeat; default per room (server/queue/engine.ts). */
  FLOODGATE_RESTORE_GRACE_MS: int(1_000, 3_600_000).optional(),
  FLOODGATE_ETA_WINDOW_MS: int(10_000, 3_600_000).default(300_000),
  /** Held heartbeats (long poll near the front of the line) per room at once; 0 turns holding off. */
  FLOODGATE_HELD_HEARTBEATS_PER_ROOM: int(0, 100_000).default(2_000),
  /** Held heartbeats in the whole process at once; beyond it heartbeats are answered at once. */
  FLOODGATE_HELD_HEARTBEATS_TOTAL: int(0, 1_000_000).default(10_000),
  FLOODGATE_QUEUE_COOKIE_MAX_AGE_S: int(60, 31_536_000).default(86_400),
  FLOODGATE_ALLOWED_ORIGINS: z
    .string()
    .default("")
    .transform((s) =>
      s
        .split(",")
        .map((o) => o.trim())
        .filter(Boolean),
    )
    .pipe(z.array(z.url())),
  // Hosts next-auth may build sign-in URLs from when FLOODGATE_PUBLIC_URL is unset (besides the
  // one the server listens as): host or host:port, comma-separated (server/auth/trusted-hosts.ts).
  FLOODGATE_ALLOWED_HOSTS: z
    .string()
    .default("")
    .transform((s) =>
      s
        .split(",")
        .map((h) => h.trim().toLowerCase())
        .filter(Boolean),
    )
    .pipe(
      z.array(
        z
          .string()
          .regex(
            /^(\[[0-9a-f:.]+\]|[a-z0-9](?:[a-z0-9.-]*[a-z0-9])?)(?::\d{1,5})?$/,
            "each entry must be a host or host:port, such as queue.example.com or 10.0.0.5:3000",
          ),
      ),
    ),
  // Admin console. The first admin is created from these on a start that finds no admin.
  FLOODGATE_ADMIN_EMAIL: z.email().optional(),
  FLOODGATE_ADMIN_PASSWORD: z.string().min(12, "must be at least 12 characters").optional(),
  /** Seed a demo admin (password generated into data/demo-admin.json) and print how to sign in. */
  FLOODGATE_DEMO: bool.default(false),
  FLOODGATE_AUTH_SECRET: z.string().min(32, "must be at least 32 characters").optional(),
  FLOODGATE_SESSION_MAX_AGE_S: int(60, 30 * 86_400).default(8 * 3600),
  /** Failed sign-ins allowed per account, and per address, in 15 minutes. */
  FLOODGATE_LOGIN_FAILURES_PER_ACCOUNT: int(1, 1000).default(5),
  FLOODGATE_LOGIN_FAILURES_PER_IP: int(1, 10_000).default(30),
  FLOODGATE_METRICS_SAMPLE_MS: int(1_000, 600_000).default(10_000),
  FLOODGATE_METRICS_RAW_RETENTION_H: int(1, 24 * 30).default(24),
  FLOODGATE_METRICS_ROLLUP_RETENTION_D: int(1, 3650).default(30),
  // Notifications (alerts, scale announcements) go to Amazon SNS; credentials come from the
  // SDK's default chain (env, profile, instance role). No topic anywhere: nothing is sent.
  /** Where a room without a channel of its own is notified. */
  FLOODGATE_SNS_TOPIC_ARN: topicArn.optional(),
  /** Else the topic's own region (from its ARN: SNS takes a Publish only in the topic's region). */
  FLOODGATE_SNS_REGION: z
    .string()
    .regex(/^[a-z0-9-]{1,32}$/, "a region name such as eu-west-1")
    .optional(),
  /** Another SNS-API server (LocalStack, tests); AWS_ENDPOINT_URL_SNS works too. */
  FLOODGATE_SNS_ENDPOINT: z.url().optional(),
  /** One Publish attempt may take this long before it is abandoned and retried. */
  FLOODGATE_SNS_TIMEOUT_MS: int(100, 60_000).default(3_000),
  /** A notification not sent within this is dropped: no backlog of stale alarms. */
  FLOODGATE_ALERT_TTL_S: int(10, 86_400).default(600),
  // Settings of the default room, used once: when it is created on first start.
  FLOODGATE_DEFAULT_ROOM_CAPACITY: int(0, 10_000_000).default(50),
  FLOODGATE_DEFAULT_ROOM_HEARTBEAT_INTERVAL_MS: int(500, 600_000).default(5_000),
  FLOODGATE_DEFAULT_ROOM_HEARTBEAT_TIMEOUT_MS: int(1_000, 3_600_000).default(20_000),
  FLOODGATE_DEFAULT_ROOM_MAX_QUEUE_LENGTH: int(1, 100_000_000).default(100_000),
  FLOODGATE_DEFAULT_ROOM_PROTECTED_PATHS: z
    .string()
    .default("/shop")
    .transform((s) =>
      s
        .split(",")
        .map((p) => p.trim())
        .filter(Boolean),
    )
    .pipe(z.array(protectedPath)),
});

export type Env = Omit<z.infer<typeof schema>, "FLOODGATE_MAX_CONNECTIONS_PER_IP"> & {
  FLOODGATE_MAX_CONNECTIONS_PER_IP: number;
  dataDir: string;
  databaseUrl: string;
};

/** Sockets one peer may hold when not configured: a visitor's browser needs a handful. */
const defaultConnectionsPerPeer = 256;

/** Parses an environment (process.env by default); throws naming every bad variable. */
export function parseEnv(source: Record<string, string | undefined> = process.env): Env {
  const result = schema.safeParse(source);
  if (!result.success) {
    const problems = result.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ");
    throw new Error(`Invalid configuration: ${problems}`);
  }
  if (result.data.FLOODGATE_HEADERS_TIMEOUT_MS > result.data.FLOODGATE_REQUEST_TIMEOUT_MS) {
    throw new Error(
      "Invalid configuration: FLOODGATE_HEADERS_TIMEOUT_MS: must not exceed FLOODGATE_REQUEST_TIMEOUT_MS (the head is part of the request)",
    );
  }
  const dataDir = path.resolve(result.data.FLOODGATE_DATA_DIR);
  const databaseUrl = result.data.DATABASE_URL ?? `file:${path.join(dataDir, "floodgate.db")}`;
  const clusterProblems = result.data.FLOODGATE_CLUSTER ? clusterConfigProblems(result.data, databaseUrl) : [];
  if (clusterProblems.length) throw new Error(`Invalid configuration: ${clusterProblems.join("; ")}`);
  const proxied = result.data.FLOODGATE_TRUST_PROXY || result.data.FLOODGATE_CLUSTER;
  const perPeer = result.data.FLOODGATE_MAX_CONNECTIONS_PER_IP ?? (proxied ? 0 : defaultConnectionsPerPeer);
  return { ...result.data, FLOODGATE_MAX_CONNECTIONS_PER_IP: perPeer, dataDir, databaseUrl };
}

/**
 * Every node of a cluster must share state and secrets: the queue store, the config database,
 * and the keys tokens are signed with (a visitor's next request may reach any node).
 */
function clusterConfigProblems(config: z.infer<typeof schema>, databaseUrl: string): string[] {
  const problems: string[] = [];
  const need = (name: string, present: boolean, why: string) => {
    if (!present) problems.push(`${name}: required with FLOODGATE_CLUSTER (${why})`);
  };
  need("FLOODGATE_STORE", config.FLOODGATE_STORE === "dynamodb", "set it to dynamodb: the nodes share queue state");
  need("DATABASE_URL", /^postgres(ql)?:/.test(databaseUrl), "a PostgreSQL URL: the nodes share configuration");
  need("FLOODGATE_NODE_URL", config.FLOODGATE_NODE_URL !== undefined, "how the other nodes reach this one");
  need(
    "FLOODGATE_PUBLIC_URL",
    config.FLOODGATE_PUBLIC_URL !== undefined,
    "the balancer's address: sign-in URLs are built from it, never from a request's Host",
  );
  need("FLOODGATE_CLUSTER_SECRET", config.FLOODGATE_CLUSTER_SECRET !== undefined, "authenticates node-to-node calls");
  need("FLOODGATE_QUEUE_SECRET", config.FLOODGATE_QUEUE_SECRET !== undefined, "every node checks every queue token");
  need(
    "FLOODGATE_ADMISSION_PRIVATE_JWK",
    config.FLOODGATE_ADMISSION_PRIVATE_JWK !== undefined,
    "every node signs admissions with the same key",
  );
  return problems;
}

let cached: Env | undefined;

export function env(): Env {
  cached ??= parseEnv();
  return cached;
}
