import pino from "pino";
import { afterEach } from "vitest";
import { AppError } from "@/server/api/errors";
import { type EngineOptions, QueueEngine } from "@/server/queue/engine";
import type { RoomConfig } from "@/server/queue/types";
import type { QueueStore } from "@/server/store/queue-store";
import { SqliteQueueStore } from "@/server/store/sqlite-store";
import { ManualClock, testRoom } from "@/server/testing/room-fixture";
import { tempDatabaseUrl, testDataDir } from "@/server/testing/temp-db";
import { createAdmissionTokens } from "@/server/tokens/admission-token";
import { createQueueTokens } from "@/server/tokens/queue-token";
import { botDefenceFor, loadSecrets, placeReferencesFor } from "@/server/tokens/secrets";

// The database-free parts live in room-fixture.ts (tests that import only them, such as the
// DynamoDB store's, are not run a second time on PostgreSQL: vitest.config.mts).
export { ManualClock, seededRandom, testRoom } from "@/server/testing/room-fixture";

export type EngineFixture = {
  engine: QueueEngine;
  store: QueueStore;
  clock: ManualClock;
  databaseUrl: string;
  /** A second engine on the same database and secrets: what a restarted process sees. */
  restart(): Promise<EngineFixture>;
};

export async function createEngineFixture(
  rooms: RoomConfig[] = [testRoom()],
  databaseUrl = tempDatabaseUrl(),
  clock = new ManualClock(),
  secretsDir?: string,
  engineOptions: Pick<EngineOptions, "random" | "restoreGraceMs" | "heldHeartbeats"> = {},
): Promise<EngineFixture> {
  const dataDir = secretsDir ?? testDataDir(databaseUrl);
  const secrets = await loadSecrets({ dataDir });
  const store = await SqliteQueueStore.open(databaseUrl);
  const engine = new QueueEngine({
    store,
    queueTokens: createQueueTokens(secrets.queueSecret),
    placeReferences: placeReferencesFor(secrets),
    botDefence: botDefenceFor(secrets),
    admissionTokens: await createAdmissionTokens(secrets),
    logger: pino({ level: "silent" }),
    initialRooms: rooms,
    leaveGraceMs: 2_000,
    etaWindowMs: 300_000,
    clock: clock.now,
    ...engineOptions,
  });
  await engine.start();
  return {
    engine,
    store,
    clock,
    databaseUrl,
    async restart() {
      await store.close();
      return createEngineFixture(rooms, databaseUrl, clock, dataDir, engineOptions);
    },
  };
}

/**
 * Fixtures a test file opens, closed after each test: call once at the top of the file.
 * `restart` tracks the restarted fixture too.
 */
export function trackEngineFixtures() {
  const open: EngineFixture[] = [];
  afterEach(async () => {
    for (const f of open.splice(0)) await f.store.close().catch(() => {});
  });
  return {
    async fixture(...args: Parameters<typeof createEngineFixture>) {
      const f = await createEngineFixture(...args);
      open.push(f);
      return f;
    },
    async restart(f: EngineFixture) {
      const restarted = await f.restart();
      open.push(restarted);
      return restarted;
    },
  };
}

/** The visitor id (jti) inside a queue token. */
export function idOf(token: string): string {
  return JSON.parse(Buffer.from(token.split(".")[1] as string, "base64url").toString()).jti;
}

/** n new visitors in line, one after another: their queue tokens and ids. */
export async function enterMany(engine: QueueEngine, n: number, room = "test") {
  const visitors: { token: string; id: string }[] = [];
  for (let i = 0; i < n; i++) {
    const { token } = await engine.enter(room, undefined);
    visitors.push({ token, id: idOf(token) });
  }
  return visitors;
}

/** The AppError code a promise rejects with, or "ok" when it resolves. */
export async function errorCodeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
    return "ok";
  } catch (error) {
    if (error instanceof AppError) return error.code;
    throw error;
  }
}
