import pino from "pino";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { parseEnv } from "@/server/env";
import { assembleFloodgate } from "@/server/floodgate";
import { emptyBranding } from "@/server/queue/branding";
import { DynamoQueueStore } from "@/server/store/dynamodb-store";
import { SqliteQueueStore } from "@/server/store/sqlite-store";
import type { DynaliteServer } from "@/server/testing/dynalite";
import { tempDatabaseUrl, testDataDir } from "@/server/testing/temp-db";
import { startTestDynamo } from "@/server/testing/test-dynamodb";

// The process as configured: FLOODGATE_STORE picks where queue state lives.

let dynalite: DynaliteServer;
beforeAll(async () => {
  dynalite = await startTestDynamo();
  // The SDK's default credential chain reads these; dynalite accepts any.
  vi.stubEnv("AWS_ACCESS_KEY_ID", "test");
  vi.stubEnv("AWS_SECRET_ACCESS_KEY", "test");
});
afterAll(async () => {
  vi.unstubAllEnvs();
  await dynalite.stop();
});

function configFor(env: Record<string, string>) {
  const databaseUrl = tempDatabaseUrl();
  return parseEnv({
    FLOODGATE_DATA_DIR: testDataDir(databaseUrl),
    DATABASE_URL: databaseUrl,
    FLOODGATE_DEFAULT_ROOM_CAPACITY: "1",
    ...env,
  });
}

describe("assembleFloodgate", () => {
  it("keeps queue state in SQLite by default", async () => {
    const floodgate = await assembleFloodgate(configFor({}), pino({ level: "silent" }));
    expect(floodgate.store).toBeInstanceOf(SqliteQueueStore);
    await floodgate.close();
  });

  it("keeps queue state in DynamoDB when asked, creating the table, and a restart finds it there", async () => {
    const env = {
      FLOODGATE_STORE: "dynamodb",
      FLOODGATE_DYNAMODB_TABLE: `floodgate-test-${Date.now()}`,
      FLOODGATE_DYNAMODB_ENDPOINT: dynalite.endpoint,
      FLOODGATE_DYNAMODB_REGION: "us-east-1",
      FLOODGATE_DYNAMODB_CREATE_TABLE: "true",
    };
    const config = configFor(env);
    const first = await assembleFloodgate(config, pino({ level: "silent" }));
    expect(first.store).toBeInstanceOf(DynamoQueueStore);
    const inside = await first.engine.enter("default", undefined);
    const waiting = await first.engine.enter("default", undefined);
    expect(inside.status.state).toBe("admitted");
    expect(waiting.status.position).toBe(1);
    await first.close();

    const second = await assembleFloodgate(config, pino({ level: "silent" }));
    expect(second.engine.roomStats("default")).toMatchObject({ active: 1, waiting: 1, arrivedTotal: 2 });
    expect((await second.engine.status("default", waiting.token))?.position).toBe(1);
    await second.close();
  });

  it("refuses an unknown store at start, naming the variable", () => {
    expect(() => configFor({ FLOODGATE_STORE: "redis" })).toThrow(/FLOODGATE_STORE/);
  });
});

describe("deleting a room", () => {
  it("takes its thresholds, channel, surge policy and open events with it: a new room of that id starts clean", async () => {
    const floodgate = await assembleFloodgate(configFor({}), pino({ level: "silent" }));
    const actor = { user: { id: "u1", email: "ops@example.com", name: "Ops", role: "admin" as const }, ip: null };
    const room = {
      id: "drop",
      name: "Drop",
      capacity: 5,
      heartbeatIntervalMs: 5_000,
      heartbeatTimeoutMs: 20_000,
      maxQueueLength: 100,
      mode: "fifo" as const,
      protectedPaths: ["/drop"],
      newUsersPerMinute: null,
      sessionDurationSeconds: null,
      sessionRenewal: false,
      typicalVisitSeconds: null,
      bypassCidrs: [],
      bypassApiKeys: false,
      bypassUncounted: false,
      challenge: "off" as const,
      challengeDifficulty: 50_000,
      blockedCidrs: [],
      infiniteLine: false,
      defaultLanguage: null,
      branding: emptyBranding,
    };
    try {
      await floodgate.admin.createRoom(actor, room);
      await floodgate.alerts.createThreshold(actor, "drop", { metric: "waiting", comparator: "gt", value: 3 });
      await floodgate.notifications.setChannel(actor, "drop", "arn:aws:sns:us-east-1:123456789012:drop");
      await floodgate.schedule.setSurgePolicy(actor, "drop", {
        capacity: 50,
        holdMinutes: 30,
        endBelowArrivalsPerMin: null,
        endAfterLowMinutes: 5,
      });
      const { event } = await floodgate.schedule.createEvent(actor, "drop", {
        name: "Later",
        startsAt: Date.now() + 3_600_000,
        endsAt: Date.now() + 7_200_000,
        capacity: 50,
        leadMinutes: 10,
        preQueue: false,
      });

      await floodgate.admin.deleteRoom(actor, "drop", false);
      await floodgate.admin.createRoom(actor, room);

      expect((await floodgate.alerts.listThresholds("drop")).thresholds).toEqual([]);
      expect((await floodgate.notifications.getChannel("drop")).topicArn).toBeNull();
      expect((await floodgate.schedule.surgePolicy("drop")).policy).toBeNull();
      expect((await floodgate.schedule.getEvent("drop", event.id)).event.status).toBe("cancelled");
    } finally {
      await floodgate.close();
    }
  });
});
