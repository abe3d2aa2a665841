import { randomUUID } from "node:crypto";
import type { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { afterAll, beforeAll, type TestContext } from "vitest";
import { DynamoQueueStore, type DynamoQueueStoreOptions } from "@/server/store/dynamodb-store";
import { createDynamoClient, ensureTable } from "@/server/store/dynamodb-table";
import { type DynaliteServer, startDynalite } from "@/server/testing/dynalite";
import { parseFaultSpec } from "@/server/testing/dynalite-faults";

// The DynamoDB endpoint the DynamoDB test suites run against. By default dynalite behind our
// front (server/testing/dynalite.ts), started per test file. With
// FLOODGATE_TEST_DYNAMODB_ENDPOINT set, any other DynamoDB-API endpoint instead (moto in server
// mode, DynamoDB Local, a real account): the transaction semantics then come from an emulator
// that is not ours. Each test makes its own uniquely named tables, so files can share it.
//
// A foreign endpoint has no front: nothing counts transactions or billing units there, so the
// tests that read those counters skip (skipWithoutFront) and the rest run unchanged.

/**
 * Faults the front injects in every DynamoDB suite (FLOODGATE_TEST_DYNAMODB_FAULTS, a spec as in
 * server/testing/dynalite-faults.ts, e.g. "throttle=0.05,conflict=0.05,unprocessed=0.2"): the
 * suites then run through the store's and the SDK's retry paths. None by default.
 */
export const suiteDynamoFaults = process.env.FLOODGATE_TEST_DYNAMODB_FAULTS ?? "";

/** The foreign endpoint, when one is given; undefined runs the tests on dynalite and our front. */
export const foreignDynamoEndpoint: string | undefined = process.env.FLOODGATE_TEST_DYNAMODB_ENDPOINT || undefined;

const noFront = `no counters: FLOODGATE_TEST_DYNAMODB_ENDPOINT=${foreignDynamoEndpoint} is not the dynalite front`;

/** dynalite behind our front, or the endpoint FLOODGATE_TEST_DYNAMODB_ENDPOINT names. */
export async function startTestDynamo(): Promise<DynaliteServer> {
  if (!foreignDynamoEndpoint) return startDynalite({ faults: parseFaultSpec(suiteDynamoFaults) });
  const missing = (): never => {
    throw new Error(`${noFront} (skip this test with skipWithoutFront)`);
  };
  return {
    endpoint: foreignDynamoEndpoint,
    transactions: missing,
    counters: missing,
    // Harmless where tests zero counters before they start; reading them is what must not happen.
    resetCounters: () => {},
    setFaults: missing,
    stop: async () => {},
  };
}

/** Skips the running test, saying why, when it needs the front's counters and has none. */
export function skipWithoutFront(context: TestContext): void {
  if (foreignDynamoEndpoint) context.skip(`${noFront}; this test reads the front's counters`);
}

/**
 * A test file's DynamoDB: started before its tests, with an admin client for tables and raw
 * reads; the stores it opened, the client and the endpoint are closed after them.
 */
export function dynamoTestbed() {
  let server: DynaliteServer | undefined;
  let admin: DynamoDBClient | undefined;
  const stores: DynamoQueueStore[] = [];
  const connection = () => ({
    endpoint: bed.server.endpoint,
    region: "us-east-1",
    credentials: { accessKeyId: "test", secretAccessKey: "test" },
  });
  const bed = {
    get server(): DynaliteServer {
      if (!server) throw new Error("the DynamoDB testbed starts in beforeAll");
      return server;
    },
    get admin(): DynamoDBClient {
      if (!admin) throw new Error("the DynamoDB testbed starts in beforeAll");
      return admin;
    },
    connection,
    /** A fresh, uniquely named table: every test starts from nothing. */
    async freshTable(prefix = "floodgate-test"): Promise<string> {
      const tableName = `${prefix}-${randomUUID()}`;
      await ensureTable(bed.admin, tableName);
      return tableName;
    },
    /** One app node: its own store and client on the shared table, closed after the file. */
    openStore(tableName: string, options: Partial<DynamoQueueStoreOptions> = {}): DynamoQueueStore {
      const store = DynamoQueueStore.open({ tableName, ...connection(), ...options });
      stores.push(store);
      return store;
    },
  };
  beforeAll(async () => {
    server = await startTestDynamo();
    admin = createDynamoClient(connection());
  });
  afterAll(async () => {
    for (const store of stores) await store.close();
    admin?.destroy();
    await server?.stop();
  });
  return bed;
}
