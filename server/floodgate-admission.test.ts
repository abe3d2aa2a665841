import pino from "pino";
import { afterEach, describe, expect, it } from "vitest";
import { AppError } from "@/server/api/errors";
import { parseEnv } from "@/server/env";
import { assembleFloodgate } from "@/server/floodgate";
import { ManualClock } from "@/server/testing/engine-fixture";
import { tempDatabaseUrl, testDataDir } from "@/server/testing/temp-db";
import { allRespellings } from "@/server/testing/token-spellings";

// The admission check proxy.ts runs (runtime.verifyAdmission): a signed, unexpired token opens
// the protected path only while its visitor holds a slot, so the admissions it accepts are at
// most capacity at every moment; a fail-open pass only while the gate is failing open.

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
});

async function start(env: Record<string, string> = {}) {
  const databaseUrl = tempDatabaseUrl();
  const config = parseEnv({
    FLOODGATE_DATA_DIR: testDataDir(databaseUrl),
    DATABASE_URL: databaseUrl,
    FLOODGATE_DEFAULT_ROOM_CAPACITY: "1",
    FLOODGATE_DEFAULT_ROOM_HEARTBEAT_TIMEOUT_MS: "20000",
    FLOODGATE_LEAVE_GRACE_MS: "2000",
    ...env,
  });
  const clock = new ManualClock();
  const floodgate = await assembleFloodgate(config, pino({ level: "silent" }), clock.now);
  closers.push(() => floodgate.close());
  return { floodgate, clock, verify: floodgate.runtime.verifyAdmission };
}

describe("the protected path's admission check", () => {
  it("refuses the admission of a visitor who left, at once, and lets the next one in alone", async () => {
    const { floodgate, clock, verify } = await start();
    const { engine } = floodgate;
    const first = await engine.enter("default", undefined);
    const second = await engine.enter("default", undefined);
    const firstAdmission = first.admissionToken ?? "";
    expect(await verify("default", firstAdmission)).toBe(true);
    expect(await verify("other", firstAdmission)).toBe(false);
    expect(await verify("default", undefined)).toBe(false);
    for (const spelling of allRespellings(firstAdmission)) expect(await verify("default", spelling)).toBe(false);

    await engine.leave("default", first.token);
    // The grace: a reload keeps the slot, and the admission with it.
    expect(await verify("default", firstAdmission)).toBe(true);
    clock.advance(2_001);
    await engine.tick();
    // Its token is well signed and unexpired (it lives 20 s), but the slot is the next visitor's.
    expect(await verify("default", firstAdmission)).toBe(false);
    const { admissionToken } = await engine.heartbeat("default", second.token);
    expect(await verify("default", admissionToken ?? "")).toBe(true);
  });

  it("refuses an expired visitor's admission, and an evicted one's after its revocation is forgotten", async () => {
    const { floodgate, clock, verify } = await start();
    const { engine } = floodgate;
    const first = await engine.enter("default", undefined);
    const second = await engine.enter("default", undefined);
    clock.advance(20_100);
    await engine.heartbeat("default", second.token);
    await engine.tick();
    expect(await verify("default", first.admissionToken ?? "")).toBe(false);
    const { admissionToken } = await engine.heartbeat("default", second.token);
    expect(await verify("default", admissionToken ?? "")).toBe(true);

    await engine.evict("default", engine.listTokens("default", { offset: 0, limit: 1 }).items[0]?.id ?? "");
    clock.advance(60_000);
    await engine.tick();
    expect(await verify("default", admissionToken ?? "")).toBe(false);
  });

  it("accepts a fail-open pass only while failing open", async () => {
    const { floodgate, clock, verify } = await start({ FLOODGATE_STORE_FAILURE_MODE: "open" });
    const policy = floodgate.failurePolicy;
    policy.noteUnavailable(new AppError("unavailable", "store down", 5));
    const { admissionToken } = await policy.letArrivalThrough("default", {});
    expect(await verify("default", admissionToken ?? "")).toBe(true);
    clock.advance(10_001);
    expect(policy.failingOpen()).toBe(false);
    expect(await verify("default", admissionToken ?? "")).toBe(false);
  });
});
