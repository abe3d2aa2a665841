import { randomUUID } from "node:crypto";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AppError } from "@/server/api/errors";
import { type EnterResult, QueueEngine } from "@/server/queue/engine";
import { DynamoQueueStore } from "@/server/store/dynamodb-store";
import { createDynamoClient, ensureTable } from "@/server/store/dynamodb-table";
import { GuardedQueueStore } from "@/server/store/guarded-store";
import type { DynaliteServer } from "@/server/testing/dynalite";
import { testRoom } from "@/server/testing/engine-fixture";
import { startRelay } from "@/server/testing/tcp-relay";
import { tempDatabaseUrl, testDataDir } from "@/server/testing/temp-db";
import { startTestDynamo } from "@/server/testing/test-dynamodb";
import { createAdmissionTokens } from "@/server/tokens/admission-token";
import { createQueueTokens } from "@/server/tokens/queue-token";
import { loadSecrets, placeReferencesFor } from "@/server/tokens/secrets";

// The real DynamoDB store (against dynalite) behind the breaker, with the network between
// them cut and restored: a TCP relay on a fixed port that stops accepting (connections
// refused, open ones reset) and listens again.

let dynalite: DynaliteServer;
let relay: Awaited<ReturnType<typeof startRelay>>;
const connection = () => ({
  endpoint: relay.endpoint,
  region: "us-east-1",
  credentials: { accessKeyId: "test", secretAccessKey: "test" },
});

beforeAll(async () => {
  dynalite = await startTestDynamo();
  relay = await startRelay(Number(new URL(dynalite.endpoint).port));
});

afterAll(async () => {
  await relay?.cut();
  await dynalite?.stop();
});

describe("GuardedQueueStore on DynamoDB (dynalite) when the network goes away", () => {
  it("opens the breaker, keeps serving from memory without a crash, and recovers", { timeout: 60_000 }, async () => {
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on("unhandledRejection", onUnhandled);

    const tableName = `floodgate-outage-${randomUUID()}`;
    const admin = createDynamoClient(connection());
    await ensureTable(admin, tableName);
    admin.destroy();
    const inner = DynamoQueueStore.open({ tableName, ...connection() });
    const lines: { level: number; msg: string }[] = [];
    const logger = pino({ level: "info" }, { write: (line: string) => lines.push(JSON.parse(line)) });
    const store = new GuardedQueueStore(inner, {
      kind: "dynamodb",
      timeoutMs: 5_000,
      failures: 2,
      cooldownMs: 500,
      failureMode: "closed",
      logger,
    });
    const secrets = await loadSecrets({
      dataDir: testDataDir(tempDatabaseUrl()),
    });
    const engine = new QueueEngine({
      store,
      queueTokens: createQueueTokens(secrets.queueSecret),
      placeReferences: placeReferencesFor(secrets),
      admissionTokens: await createAdmissionTokens(secrets),
      logger,
      initialRooms: [testRoom({ capacity: 1, heartbeatTimeoutMs: 60_000 })],
      leaveGraceMs: 0,
      etaWindowMs: 300_000,
    });
    try {
      await engine.start();
      const visitors: EnterResult[] = [];
      for (let i = 0; i < 3; i++) visitors.push(await engine.enter("test", undefined));
      const [inside, first, second] = visitors as [EnterResult, EnterResult, EnterResult];
      expect(visitors.map((v) => v.status.state)).toEqual(["admitted", "waiting", "waiting"]);

      await relay.cut();
      // Arrivals fail as "unavailable" until the breaker opens; then at once.
      for (let i = 0; i < 3; i++) {
        const refused = await engine.enter("test", undefined).catch((e: unknown) => e);
        expect(refused).toBeInstanceOf(AppError);
        expect((refused as AppError).code).toBe("unavailable");
      }
      expect(store.health()).toMatchObject({ state: "degraded", kind: "dynamodb" });
      expect(store.health().lastError).toBeTruthy();
      // The one inside leaves; ticks run on; nobody takes the slot while the store is away.
      await engine.leave("test", inside.token);
      for (let i = 0; i < 10; i++) {
        await engine.tick();
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      expect((await engine.heartbeat("test", first.token)).status).toMatchObject({ state: "waiting", position: 1 });
      expect(engine.roomStats("test").active).toBe(0);

      await relay.restore();
      const deadline = Date.now() + 30_000;
      while (Date.now() < deadline && engine.roomStats("test").active === 0) {
        await engine.tick();
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      expect(store.health()).toMatchObject({ state: "ok", breaker: "closed" });
      expect((await engine.heartbeat("test", first.token)).status.state).toBe("admitted");
      expect((await engine.heartbeat("test", second.token)).status).toMatchObject({ state: "waiting", position: 1 });
      const stored = await inner.loadRoomState("test");
      expect(stored.counters).toMatchObject({ active: 1, leftTotal: 1, admittedTotal: 2 });
      expect(lines.filter((l) => l.msg.startsWith("queue store unreachable"))).toHaveLength(1);
      expect(lines.some((l) => l.msg.startsWith("queue store reachable again"))).toBe(true);
      expect(unhandled).toEqual([]);
    } finally {
      process.off("unhandledRejection", onUnhandled);
      await engine.unload();
      await store.close();
    }
  });
});
