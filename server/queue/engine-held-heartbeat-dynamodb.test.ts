import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pino from "pino";
import { describe, expect, it } from "vitest";
import { type HeartbeatResult, QueueEngine } from "@/server/queue/engine";
import { ManualClock, testRoom } from "@/server/testing/room-fixture";
import { dynamoTestbed } from "@/server/testing/test-dynamodb";
import { createAdmissionTokens } from "@/server/tokens/admission-token";
import { createQueueTokens } from "@/server/tokens/queue-token";
import { loadSecrets, placeReferencesFor } from "@/server/tokens/secrets";

// Held heartbeats do not depend on the store: on DynamoDB too, a held heartbeat is answered
// when the admission's transaction committed, with the admission token.

const bed = dynamoTestbed();

async function dynamoEngine() {
  const secrets = await loadSecrets({ dataDir: fs.mkdtempSync(path.join(os.tmpdir(), "floodgate-held-")) });
  const store = bed.openStore(await bed.freshTable());
  const engine = new QueueEngine({
    store,
    queueTokens: createQueueTokens(secrets.queueSecret),
    placeReferences: placeReferencesFor(secrets),
    admissionTokens: await createAdmissionTokens(secrets),
    logger: pino({ level: "silent" }),
    initialRooms: [testRoom({ capacity: 1 })],
    etaWindowMs: 300_000,
    clock: new ManualClock().now,
  });
  await engine.start();
  return engine;
}

describe("held heartbeats on DynamoDB", () => {
  it("answers a held heartbeat once the admission is committed, with the admission token", async () => {
    const engine = await dynamoEngine();
    const inside = await engine.enter("test", undefined);
    const next = await engine.enter("test", undefined);
    expect(inside.status.state).toBe("admitted");
    expect(next.status).toMatchObject({ state: "waiting", position: 1, hold: true });
    let answer: HeartbeatResult | null = null;
    const held = engine.heartbeat("test", next.token, undefined, { ms: 10_000 }).then((r) => {
      answer = r;
    });
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(answer).toBeNull();
    expect(engine.heldHeartbeats().get("test")).toBe(1);
    const insideId = engine.listTokens("test", { state: "admitted", offset: 0, limit: 10 }).items[0]?.id;
    await engine.evict("test", insideId as string);
    const startedAt = performance.now();
    await engine.tick();
    await held;
    expect(performance.now() - startedAt).toBeLessThan(5_000);
    expect(answer).toMatchObject({ status: { state: "admitted", hold: false } });
    expect((answer as HeartbeatResult | null)?.admissionToken).toMatch(/^ey/);
    expect(engine.heldHeartbeats().size).toBe(0);
  });
});
