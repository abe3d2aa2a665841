import pino from "pino";
import { afterEach, describe, expect, it } from "vitest";
import { AuditStore } from "@/server/admin/audit-store";
import { createPrismaClient, type PrismaClient } from "@/server/db/client";
import { parseEnv } from "@/server/env";
import type { QueueEngine } from "@/server/queue/engine";
import { createScheduleService, type ScheduleService } from "@/server/schedule/schedule-service";
import { testRoom, trackEngineFixtures } from "@/server/testing/engine-fixture";
import { operator, RecordingNotifier } from "@/server/testing/schedule-fixture";
import { tempDatabaseUrl } from "@/server/testing/temp-db";

// The scheduler driving the real QueueEngine: capacity raised and reverted, a pre-queue held,
// drawn into line at the start, and drawn the same way again after both restart.

const { fixture, restart } = trackEngineFixtures();
const minute = 60_000;
const logger = pino({ level: "silent" });
const opened: { service: ScheduleService; db: PrismaClient }[] = [];
afterEach(async () => {
  for (const { service, db } of opened.splice(0)) {
    await service.stop();
    await db.$disconnect();
  }
});

// The schedule's tables on a database of their own: two Prisma clients of one SQLite file in
// one process would wait on each other's locks synchronously.
function scheduleFor(engine: QueueEngine, clock: () => number, databaseUrl = tempDatabaseUrl()) {
  const db = createPrismaClient(databaseUrl);
  const service = createScheduleService({
    db,
    config: parseEnv({}),
    engine,
    logger,
    audit: new AuditStore(db, logger),
    notifier: new RecordingNotifier(),
    clock,
  });
  opened.push({ service, db });
  return { service, databaseUrl };
}

const idOf = (token: string): string =>
  JSON.parse(Buffer.from(token.split(".")[1] as string, "base64url").toString()).jti;

async function join(engine: QueueEngine, n: number): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < n; i++) ids.push(idOf((await engine.enter("test", undefined)).token));
  return ids;
}

const waitingOrder = (engine: QueueEngine) =>
  engine.listTokens("test", { state: "waiting", offset: 0, limit: 100 }).items.map((token) => token.id);

describe("scheduler with the real queue engine", () => {
  it("holds a pre-queue during the lead time, draws it at the start behind earlier arrivals, and redraws it the same after a restart", async () => {
    // Heartbeats every 10 min at most: the test moves the clock in minutes without sending any.
    const f = await fixture([testRoom({ capacity: 1, heartbeatIntervalMs: 600_000, heartbeatTimeoutMs: 3_600_000 })]);
    const { service, databaseUrl } = scheduleFor(f.engine, f.clock.now);
    await service.start();
    const t0 = f.clock.nowMs;
    const { event } = await service.createEvent(operator, "test", {
      name: "Drop",
      startsAt: t0 + 20 * minute,
      endsAt: t0 + 50 * minute,
      capacity: 3,
      leadMinutes: 10,
      preQueue: true,
    });

    const [, ...early] = await join(f.engine, 3);
    await f.engine.tick();
    expect(waitingOrder(f.engine)).toEqual(early);

    f.clock.nowMs = t0 + 10 * minute + 100;
    await service.scheduler.tick();
    expect(f.engine.effectiveCapacity("test")).toBe(3);
    expect(f.engine.preQueueOf("test")).toMatchObject({ startsAtMs: t0 + 20 * minute, waiting: 0 });
    await f.engine.tick();
    // The lead time's raise admits those already in line; later arrivals are held.
    expect(f.engine.roomStats("test").active).toBe(3);
    const held = await join(f.engine, 8);
    await f.engine.tick();
    expect(f.engine.preQueueOf("test")?.waiting).toBe(8);
    expect((await service.capacityPlan("test")).preQueue).toMatchObject({ eventId: event.id, waiting: 8 });

    f.clock.nowMs = t0 + 20 * minute + 100;
    await service.scheduler.tick();
    expect(f.engine.preQueueOf("test")).toBeNull();
    const drawn = waitingOrder(f.engine);
    expect([...drawn].sort()).toEqual([...held].sort());
    expect(drawn).not.toEqual(held);
    const late = await join(f.engine, 1);
    expect(waitingOrder(f.engine)).toEqual([...drawn, ...late]);

    // Both processes restart: places come back in arrival order, the seed draws them again.
    const g = await restart(f);
    expect(waitingOrder(g.engine)).toEqual([...held, ...late]);
    const again = scheduleFor(g.engine, g.clock.now, databaseUrl).service;
    await again.start();
    expect(waitingOrder(g.engine)).toEqual([...drawn, ...late]);
    expect(g.engine.effectiveCapacity("test")).toBe(3);

    f.clock.nowMs = t0 + 50 * minute + 100;
    await again.scheduler.tick();
    expect(g.engine.effectiveCapacity("test")).toBe(1);
  });
});

describe("an event's new-users limit on the real engine", () => {
  it("paces admissions while the event is on, and gives the room back its own limit after", async () => {
    const f = await fixture([
      testRoom({ capacity: 50, newUsersPerMinute: 600, heartbeatIntervalMs: 600_000, heartbeatTimeoutMs: 3_600_000 }),
    ]);
    const { service } = scheduleFor(f.engine, f.clock.now);
    await service.start();
    const t0 = f.clock.nowMs;
    await service.createEvent(operator, "test", {
      name: "Paced drop",
      startsAt: "now",
      endsAt: t0 + 10 * minute,
      capacity: 50,
      newUsersPerMinute: 6,
      leadMinutes: 0,
      preQueue: false,
    });
    await service.scheduler.tick();
    await join(f.engine, 10);
    // The first on arrival; the next only 10 s later at 6 a minute, however many slots are free.
    for (let t = 0; t < 9_000; t += 100) {
      f.clock.advance(100);
      await f.engine.tick();
    }
    expect(f.engine.roomStats("test").active).toBe(1);
    f.clock.advance(1_100);
    await f.engine.tick();
    expect(f.engine.roomStats("test").active).toBe(2);

    f.clock.advance(10 * minute);
    await service.scheduler.tick();
    await f.engine.tick();
    // The room's own 600 a minute: ⌈600/60⌉ = 10 a second, so the rest go in at once.
    expect(f.engine.roomStats("test")).toMatchObject({ active: 10, waiting: 0 });
  });
});
