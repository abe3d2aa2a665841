import pino from "pino";
import { afterEach, describe, expect, it } from "vitest";
import { AppError } from "@/server/api/errors";
import { type EnterResult, QueueEngine } from "@/server/queue/engine";
import type { RoomConfig } from "@/server/queue/types";
import { GuardedQueueStore } from "@/server/store/guarded-store";
import type { QueueStore } from "@/server/store/queue-store";
import { SqliteQueueStore } from "@/server/store/sqlite-store";
import { errorCodeOf, idOf, ManualClock, testRoom } from "@/server/testing/engine-fixture";
import { tempDatabaseUrl, testDataDir } from "@/server/testing/temp-db";
import { createAdmissionTokens } from "@/server/tokens/admission-token";
import { createQueueTokens } from "@/server/tokens/queue-token";
import { loadSecrets, placeReferencesFor } from "@/server/tokens/secrets";

// The engine on a store that goes away and comes back (server/store/README.md, "Failure
// policy"): SQLite behind a switch that refuses every call, behind the circuit breaker.

/** Refuses every call while `down` (as a store behind a dead network would), without touching the database. */
class SwitchableStore implements QueueStore {
  down = false;
  calls = 0;
  readonly maxAdmissionBatch?: number;
  constructor(private readonly inner: QueueStore) {
    this.maxAdmissionBatch = inner.maxAdmissionBatch;
  }
  private gate<T>(call: () => Promise<T>): Promise<T> {
    this.calls++;
    return this.down ? Promise.reject(new Error("connect ECONNREFUSED 10.0.0.9:443")) : call();
  }
  listRooms = () => this.gate(() => this.inner.listRooms());
  ensureRoom = (room: RoomConfig) => this.gate(() => this.inner.ensureRoom(room));
  createRoom = (room: RoomConfig) => this.gate(() => this.inner.createRoom(room));
  updateRoom: QueueStore["updateRoom"] = (id, patch) => this.gate(() => this.inner.updateRoom(id, patch));
  deleteRoom = (id: string) => this.gate(() => this.inner.deleteRoom(id));
  loadRoomState = (id: string) => this.gate(() => this.inner.loadRoomState(id));
  enter: QueueStore["enter"] = (id, arrivals) => this.gate(() => this.inner.enter(id, arrivals));
  admit: QueueStore["admit"] = (id, admissions, capacity) =>
    this.gate(() => this.inner.admit(id, admissions, capacity));
  remove: QueueStore["remove"] = (id, removals) => this.gate(() => this.inner.remove(id, removals));
  close = () => this.inner.close();
}

const open: SqliteQueueStore[] = [];
afterEach(async () => {
  for (const store of open.splice(0)) await store.close().catch(() => {});
});

async function outageFixture(room: RoomConfig, databaseUrl = tempDatabaseUrl(), clock = new ManualClock()) {
  const secrets = await loadSecrets({ dataDir: testDataDir(databaseUrl) });
  const sqlite = await SqliteQueueStore.open(databaseUrl);
  open.push(sqlite);
  const switchable = new SwitchableStore(sqlite);
  const lines: { level: number; msg: string }[] = [];
  const logger = pino({ level: "info" }, { write: (line: string) => lines.push(JSON.parse(line)) });
  const guarded = new GuardedQueueStore(switchable, {
    kind: "sqlite",
    timeoutMs: 2_000,
    failures: 2,
    cooldownMs: 5_000,
    failureMode: "closed",
    logger,
    clock: clock.now,
    startTimer: () => () => {},
  });
  const engine = new QueueEngine({
    store: guarded,
    queueTokens: createQueueTokens(secrets.queueSecret),
    placeReferences: placeReferencesFor(secrets),
    admissionTokens: await createAdmissionTokens(secrets),
    logger,
    initialRooms: [room],
    leaveGraceMs: 2_000,
    etaWindowMs: 300_000,
    clock: clock.now,
  });
  await engine.start();
  return { engine, sqlite, switchable, guarded, clock, lines, databaseUrl };
}

describe("QueueEngine when the queue store goes away", () => {
  it("admits nobody during the outage, keeps everyone's place, and stores what happened once it is back", async () => {
    const capacity = 2;
    const f = await outageFixture(testRoom({ capacity, heartbeatTimeoutMs: 20_000 }));
    const { engine, switchable, guarded, clock } = f;
    const visitors: EnterResult[] = [];
    for (let i = 0; i < 6; i++) visitors.push(await engine.enter("test", undefined));
    const [inside, other, first, second, third, fourth] = visitors as [
      EnterResult,
      EnterResult,
      EnterResult,
      EnterResult,
      EnterResult,
      EnterResult,
    ];
    expect(visitors.map((v) => v.status.state)).toEqual([
      "admitted",
      "admitted",
      "waiting",
      "waiting",
      "waiting",
      "waiting",
    ]);

    switchable.down = true;
    // New arrivals: 503 unavailable with a Retry-After, never a 500; the breaker opens after 2.
    for (let i = 0; i < 3; i++) {
      const refused = await engine.enter("test", undefined).catch((e: unknown) => e);
      expect(refused).toBeInstanceOf(AppError);
      expect((refused as AppError).code).toBe("unavailable");
      expect((refused as AppError).retryAfterSeconds).toBeGreaterThanOrEqual(1);
    }
    expect(guarded.health()).toMatchObject({ state: "degraded", breaker: "open" });

    // One inside leaves, one waiting goes silent: both out of memory at once (positions move
    // up), their removals kept for later. Nobody is admitted into the freed slot.
    await engine.leave("test", inside.token);
    const callsBefore = switchable.calls;
    for (let step = 0; step < 30; step++) {
      clock.advance(1_000);
      for (const v of [other, first, third, fourth]) await engine.heartbeat("test", v.token);
      await engine.tick();
      expect(engine.roomStats("test").active).toBeLessThanOrEqual(capacity);
    }
    // While open the engine does not even ask (one probe per cooldown at most).
    expect(switchable.calls - callsBefore).toBeLessThanOrEqual(30_000 / 5_000 + 1);
    expect(engine.roomStats("test")).toMatchObject({ active: 1, waiting: 3, admittedTotal: 2 });
    expect((await engine.heartbeat("test", first.token)).status).toMatchObject({ state: "waiting", position: 1 });
    expect((await engine.heartbeat("test", third.token)).status).toMatchObject({ state: "waiting", position: 2 });
    expect(await errorCodeOf(engine.heartbeat("test", second.token))).toBe("token_expired");
    expect(engine.pendingRemovals()).toBe(2);

    // Back: the removals land first (the probe), then the head of the line gets the slot.
    switchable.down = false;
    clock.advance(5_000);
    for (const v of [other, first, third, fourth]) await engine.heartbeat("test", v.token);
    // The removals are the probe (not awaited by the tick); the admission follows on a later tick.
    for (let i = 0; i < 20 && engine.roomStats("test").active < capacity; i++) {
      await engine.tick();
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    expect(guarded.health()).toMatchObject({ state: "ok", breaker: "closed" });
    expect(engine.pendingRemovals()).toBe(0);
    expect((await engine.heartbeat("test", first.token)).status.state).toBe("admitted");
    expect((await engine.heartbeat("test", third.token)).status).toMatchObject({ state: "waiting", position: 1 });

    const stored = await f.sqlite.loadRoomState("test");
    expect(stored.counters).toMatchObject({ active: 2, leftTotal: 1, expiredTotal: 1, admittedTotal: 3 });
    expect(stored.counters.active).toBeLessThanOrEqual(capacity);
    const ids = new Set(stored.entries.map((e) => e.id));
    expect(ids.has(idOf(inside.token))).toBe(false);
    expect(ids.has(idOf(second.token))).toBe(false);
    // Places intact: the ones still waiting hold their original seq, in order.
    const waiting = stored.entries.filter((e) => e.state === "waiting").sort((a, b) => a.seq - b.seq);
    expect(waiting.map((e) => e.id)).toEqual([idOf(third.token), idOf(fourth.token)]);

    // One error line for the outage, one info line for the recovery; not one per tick.
    const errors = f.lines.filter((l) => l.level >= 50).map((l) => l.msg);
    expect(errors.filter((m) => m.startsWith("queue store unreachable"))).toHaveLength(1);
    expect(errors.length).toBeLessThanOrEqual(3);
    expect(f.lines.some((l) => l.msg.startsWith("queue store reachable again after"))).toBe(true);
  });

  it("a restart after the outage sees the same line", async () => {
    const f = await outageFixture(testRoom({ capacity: 1 }));
    const visitors: EnterResult[] = [];
    for (let i = 0; i < 4; i++) visitors.push(await f.engine.enter("test", undefined));
    f.switchable.down = true;
    await f.engine.leave("test", visitors[2]?.token ?? "");
    f.clock.advance(3_000);
    await f.engine.tick();
    await f.engine.tick();
    f.switchable.down = false;
    f.clock.advance(5_000);
    await f.engine.tick();
    await f.sqlite.close();
    const restarted = await outageFixture(testRoom({ capacity: 1 }), f.databaseUrl, f.clock);
    const positions = await Promise.all(
      [1, 3].map(async (i) => (await restarted.engine.heartbeat("test", visitors[i]?.token ?? "")).status.position),
    );
    expect(positions).toEqual([1, 2]);
    expect(restarted.engine.roomStats("test")).toMatchObject({ active: 1, waiting: 2 });
  });

  it("an operator's change during the outage answers unavailable, not an internal error", async () => {
    const f = await outageFixture(testRoom());
    f.switchable.down = true;
    for (let i = 0; i < 2; i++) await f.engine.enter("test", undefined).catch(() => {});
    expect(await errorCodeOf(f.engine.updateRoom("test", { capacity: 9 }))).toBe("unavailable");
    expect(f.engine.roomStats("test").capacity).toBe(2);
  });

  it("refuses an eviction or a drain while the store is down, removing nobody, and evicts once it is back", async () => {
    const f = await outageFixture(testRoom({ capacity: 1 }));
    const inside = await f.engine.enter("test", undefined);
    const waiting = await f.engine.enter("test", undefined);
    f.switchable.down = true;
    // Two failures open the breaker; the third arrival is refused by it, and the engine learns.
    for (let i = 0; i < 3; i++) await f.engine.enter("test", undefined).catch(() => {});
    // Not stored, a removal would come back with a restart: nothing is changed instead.
    expect(await errorCodeOf(f.engine.evict("test", idOf(inside.token)))).toBe("unavailable");
    expect(await errorCodeOf(f.engine.drain("test"))).toBe("unavailable");
    expect(f.engine.roomStats("test")).toMatchObject({ active: 1, waiting: 1, evictedTotal: 0 });
    expect((await f.engine.heartbeat("test", waiting.token)).status).toMatchObject({ state: "waiting", position: 1 });

    f.switchable.down = false;
    f.clock.advance(5_000);
    await f.engine.evict("test", idOf(inside.token));
    const stored = await f.sqlite.loadRoomState("test");
    expect(stored.entries.map((e) => e.id)).not.toContain(idOf(inside.token));
    expect(stored.counters.evictedTotal).toBe(1);
  });
});
