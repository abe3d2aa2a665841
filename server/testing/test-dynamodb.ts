import type { TestContext } from "vitest";
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
