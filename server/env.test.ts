import { describe, expect, it } from "vitest";
import { parseEnv } from "@/server/env";

describe("parseEnv", () => {
  it("runs the demo with no configuration at all", () => {
    const env = parseEnv({});
    expect(env.FLOODGATE_STORE).toBe("sqlite");
    expect(env.FLOODGATE_DEFAULT_ROOM_PROTECTED_PATHS).toEqual(["/shop"]);
  });

  it.each([
    ["/", /whole site/],
    ["/shop,/admin", /own paths/],
    ["/api/admin", /own paths/],
    ["shop", /starts with \//],
  ])("refuses %s as the default room's protected paths, naming the variable", (paths, reason) => {
    expect(() => parseEnv({ FLOODGATE_DEFAULT_ROOM_PROTECTED_PATHS: paths })).toThrow(
      new RegExp(`FLOODGATE_DEFAULT_ROOM_PROTECTED_PATHS.*${reason.source}`),
    );
  });

  it("reads FLOODGATE_ALLOWED_HOSTS as a list of host[:port], and names it when an entry is not one", () => {
    expect(parseEnv({}).FLOODGATE_ALLOWED_HOSTS).toEqual([]);
    expect(
      parseEnv({ FLOODGATE_ALLOWED_HOSTS: " Queue.Example.com, 10.0.0.5:3000,[::1]:8080 ," }).FLOODGATE_ALLOWED_HOSTS,
    ).toEqual(["queue.example.com", "10.0.0.5:3000", "[::1]:8080"]);
    for (const bad of ["https://queue.example.com", "queue.example.com/", "a b", "host:port", "*.example.com"]) {
      expect(() => parseEnv({ FLOODGATE_ALLOWED_HOSTS: bad }), bad).toThrow(
        /FLOODGATE_ALLOWED_HOSTS.*host or host:port/,
      );
    }
  });

  it("sends no notifications by default, and refuses a topic that is not an SNS ARN", () => {
    const env = parseEnv({});
    expect(env.FLOODGATE_SNS_TOPIC_ARN).toBeUndefined();
    expect(env.FLOODGATE_SNS_TIMEOUT_MS).toBe(3_000);
    expect(env.FLOODGATE_ALERT_TTL_S).toBe(600);
    expect(() => parseEnv({ FLOODGATE_SNS_TOPIC_ARN: "arn:aws:sqs:eu-west-1:123456789012:q" })).toThrow(
      /FLOODGATE_SNS_TOPIC_ARN.*SNS topic ARN/,
    );
    expect(() => parseEnv({ FLOODGATE_SNS_TIMEOUT_MS: "50" })).toThrow(/FLOODGATE_SNS_TIMEOUT_MS/);
  });

  it("leaves the restore grace to each room unless set, and refuses one shorter than a second", () => {
    expect(parseEnv({}).FLOODGATE_RESTORE_GRACE_MS).toBeUndefined();
    expect(parseEnv({ FLOODGATE_RESTORE_GRACE_MS: "90000" }).FLOODGATE_RESTORE_GRACE_MS).toBe(90_000);
    expect(() => parseEnv({ FLOODGATE_RESTORE_GRACE_MS: "10" })).toThrow(/FLOODGATE_RESTORE_GRACE_MS/);
  });

  it("takes a SQLite file or a PostgreSQL URL as the config database, nothing else", () => {
    expect(parseEnv({ DATABASE_URL: "postgresql://fg:pw@db:5432/floodgate" }).databaseUrl).toMatch(/^postgresql:/);
    expect(parseEnv({ DATABASE_URL: "postgres://db/floodgate" }).databaseUrl).toMatch(/^postgres:/);
    expect(parseEnv({ DATABASE_URL: "file:/tmp/x.db" }).databaseUrl).toBe("file:/tmp/x.db");
    expect(() => parseEnv({ DATABASE_URL: "mysql://db/floodgate" })).toThrow(/DATABASE_URL/);
  });

  it("syncs every SQLite commit to disk by default, and takes normal or full only", () => {
    expect(parseEnv({}).FLOODGATE_SQLITE_SYNCHRONOUS).toBe("full");
    expect(parseEnv({ FLOODGATE_SQLITE_SYNCHRONOUS: "normal" }).FLOODGATE_SQLITE_SYNCHRONOUS).toBe("normal");
    expect(() => parseEnv({ FLOODGATE_SQLITE_SYNCHRONOUS: "off" })).toThrow(/FLOODGATE_SQLITE_SYNCHRONOUS/);
  });

  it("fails closed by default and refuses an unknown failure mode", () => {
    expect(parseEnv({}).FLOODGATE_STORE_FAILURE_MODE).toBe("closed");
    expect(parseEnv({ FLOODGATE_STORE_FAILURE_MODE: "open" }).FLOODGATE_STORE_FAILURE_MODE).toBe("open");
    expect(() => parseEnv({ FLOODGATE_STORE_FAILURE_MODE: "ajar" })).toThrow(/FLOODGATE_STORE_FAILURE_MODE/);
    expect(() => parseEnv({ FLOODGATE_LEASE_TTL_MS: "500" })).toThrow(/FLOODGATE_LEASE_TTL_MS/);
  });

  const cluster = {
    FLOODGATE_CLUSTER: "1",
    FLOODGATE_STORE: "dynamodb",
    DATABASE_URL: "postgresql://fg:pw@db:5432/floodgate",
    FLOODGATE_NODE_URL: "http://10.0.1.12:3000",
    FLOODGATE_PUBLIC_URL: "https://queue.example.com",
    FLOODGATE_CLUSTER_SECRET: "c".repeat(32),
    FLOODGATE_QUEUE_SECRET: "q".repeat(32),
    FLOODGATE_ADMISSION_PRIVATE_JWK: '{"kty":"EC"}',
  };

  it("starts a cluster node with shared store, database, secrets and its own address", () => {
    const env = parseEnv(cluster);
    expect(env.FLOODGATE_CLUSTER).toBe(true);
    expect(env.FLOODGATE_LEASE_TTL_MS).toBe(9_000);
    // The balancer and the other nodes are its peers, each carrying many visitors.
    expect(env.FLOODGATE_MAX_CONNECTIONS_PER_IP).toBe(0);
  });

  it.each([
    ["FLOODGATE_STORE", { FLOODGATE_STORE: "sqlite" }],
    ["DATABASE_URL", { DATABASE_URL: "file:/tmp/x.db" }],
    ["FLOODGATE_NODE_URL", { FLOODGATE_NODE_URL: undefined }],
    ["FLOODGATE_PUBLIC_URL", { FLOODGATE_PUBLIC_URL: undefined }],
    ["FLOODGATE_CLUSTER_SECRET", { FLOODGATE_CLUSTER_SECRET: undefined }],
    ["FLOODGATE_QUEUE_SECRET", { FLOODGATE_QUEUE_SECRET: undefined }],
    ["FLOODGATE_ADMISSION_PRIVATE_JWK", { FLOODGATE_ADMISSION_PRIVATE_JWK: undefined }],
  ])("refuses a cluster node without %s, naming it", (name, change) => {
    expect(() => parseEnv({ ...cluster, ...change })).toThrow(new RegExp(`${name}: required with FLOODGATE_CLUSTER`));
  });

  it("names every missing cluster setting at once", () => {
    expect(() => parseEnv({ FLOODGATE_CLUSTER: "1" })).toThrow(
      /FLOODGATE_STORE.*DATABASE_URL.*FLOODGATE_NODE_URL.*FLOODGATE_CLUSTER_SECRET/,
    );
  });

  it("bounds connections by default and refuses a head timeout longer than the request's", () => {
    expect(parseEnv({})).toMatchObject({
      FLOODGATE_MAX_CONNECTIONS: 10_000,
      FLOODGATE_MAX_CONNECTIONS_PER_IP: 256,
      FLOODGATE_HEADERS_TIMEOUT_MS: 10_000,
      FLOODGATE_REQUEST_TIMEOUT_MS: 30_000,
    });
    expect(parseEnv({ FLOODGATE_MAX_CONNECTIONS_PER_IP: "0" }).FLOODGATE_MAX_CONNECTIONS_PER_IP).toBe(0);
    // Behind a trusted proxy the proxy is the one peer: no per-peer cap unless asked for.
    expect(parseEnv({ FLOODGATE_TRUST_PROXY: "1" }).FLOODGATE_MAX_CONNECTIONS_PER_IP).toBe(0);
    expect(
      parseEnv({ FLOODGATE_TRUST_PROXY: "1", FLOODGATE_MAX_CONNECTIONS_PER_IP: "900" })
        .FLOODGATE_MAX_CONNECTIONS_PER_IP,
    ).toBe(900);
    expect(() => parseEnv({ FLOODGATE_MAX_CONNECTIONS: "0" })).toThrow(/FLOODGATE_MAX_CONNECTIONS/);
    expect(() => parseEnv({ FLOODGATE_HEADERS_TIMEOUT_MS: "20000", FLOODGATE_REQUEST_TIMEOUT_MS: "10000" })).toThrow(
      /FLOODGATE_HEADERS_TIMEOUT_MS/,
    );
  });

  it("names every bad variable at once", () => {
    expect(() => parseEnv({ PORT: "http", FLOODGATE_ADMIN_PASSWORD: "short" })).toThrow(
      /PORT.*FLOODGATE_ADMIN_PASSWORD|FLOODGATE_ADMIN_PASSWORD.*PORT/,
    );
  });
});
