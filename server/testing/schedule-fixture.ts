import pino from "pino";
import { afterEach } from "vitest";
import type { Actor } from "@/server/admin/admin-service";
import { AuditStore } from "@/server/admin/audit-store";
import type { Notice, Notifier, NotifyOutcome } from "@/server/alerts/notice";
import { AppError } from "@/server/api/errors";
import { createPrismaClient, type PrismaClient } from "@/server/db/client";
import { parseEnv } from "@/server/env";
import type { RoomConfig, RoomStats } from "@/server/queue/types";
import { createScheduleService, type ScheduleService } from "@/server/schedule/schedule-service";
import type { ScheduleTarget } from "@/server/schedule/scheduler";
import { ManualClock, testRoom } from "@/server/testing/engine-fixture";
import { tempDatabaseUrl } from "@/server/testing/temp-db";

// The schedule service on a fresh database with a fake engine (rooms, capacity overrides and
// pre-queues as plain data, every pre-queue call recorded) and a notifier that keeps notices.

export class FakeEngine implements ScheduleTarget {
  readonly configs = new Map<string, RoomConfig>();
  readonly overrides = new Map<string, number | null>();
  /** The new-users limit an active event or surge set, per room (absent: never set). */
  readonly newUsersOverrides = new Map<string, number | null>();
  readonly arrivals = new Map<string, number>();
  readonly preQueues = new Map<string, { opensAtMs: number; startsAtMs: number; waiting: number }>();
  /** "open room opensAt startsAt" / "release room seed|null" in call order. */
  readonly preQueueCalls: string[] = [];

  constructor(rooms: Partial<RoomConfig>[] = [{ id: "shop", capacity: 100 }]) {
    for (const room of rooms) this.configs.set(room.id ?? "test", testRoom(room));
  }

  roomIds(): string[] {
    return [...this.configs.keys()];
  }

  roomConfig(roomId: string): RoomConfig {
    const config = this.configs.get(roomId);
    if (!config) throw new AppError("room_not_found", `No waiting room named "${roomId}".`);
    return config;
  }

  roomStats(roomId: string): RoomStats {
    const config = this.roomConfig(roomId);
    return {
      room: roomId,
      capacity: this.effectiveCapacity(roomId),
      baseCapacity: config.capacity,
      active: 0,
      waiting: 0,
      arrivedTotal: 0,
      admittedTotal: 0,
      expiredTotal: 0,
      leftTotal: 0,
      sessionsEndedTotal: 0,
      sessionsTimedOutTotal: 0,
      bypassedTotal: 0,
      bypassBeyondCapacity: 0,
      infiniteLine: { held: 0, blocked: 0, rate_limited: 0, challenge_failed: 0 },
      challenges: { issued: 0, solved: 0, stale: 0, forged: 0 },
      evictedTotal: 0,
      arrivalsPerMinute: this.arrivals.get(roomId) ?? 0,
      admissionsPerMinute: 0,
      maxActiveObserved: 0,
    };
  }

  setNewUsersOverride(roomId: string, perMinute: number | null): void {
    this.roomConfig(roomId);
    this.newUsersOverrides.set(roomId, perMinute);
  }

  setCapacityOverride(roomId: string, capacity: number | null): void {
    this.roomConfig(roomId);
    this.overrides.set(roomId, capacity);
  }

  effectiveCapacity(roomId: string): number {
    const base = this.roomConfig(roomId).capacity;
    return Math.max(base, this.overrides.get(roomId) ?? 0);
  }

  openPreQueue(roomId: string, window: { opensAtMs: number; startsAtMs: number }): void {
    this.preQueueCalls.push(`open ${roomId} ${window.opensAtMs} ${window.startsAtMs}`);
    this.preQueues.set(roomId, { ...window, waiting: this.preQueues.get(roomId)?.waiting ?? 0 });
  }

  releasePreQueue(roomId: string, seed: string | null): { shuffled: number } {
    const open = this.preQueues.get(roomId);
    if (!open) return { shuffled: 0 };
    this.preQueueCalls.push(`release ${roomId} ${seed}`);
    this.preQueues.delete(roomId);
    return { shuffled: seed ? open.waiting : 0 };
  }

  preQueueOf(roomId: string) {
    return this.preQueues.get(roomId) ?? null;
  }
}

export class RecordingNotifier implements Notifier {
  readonly notices: Notice[] = [];
  async notify(notice: Notice): Promise<NotifyOutcome> {
    this.notices.push(notice);
    return { status: "no_channel" };
  }
  /** The messages so far, for assertions. */
  get messages(): string[] {
    return this.notices.map((notice) => notice.message);
  }
}

export const operator: Actor = {
  user: { id: "u-operator", email: "operator@example.com", name: "Olga", role: "operator" },
  ip: "127.0.0.1",
};

export type ScheduleFixture = {
  db: PrismaClient;
  databaseUrl: string;
  clock: ManualClock;
  engine: FakeEngine;
  notifier: RecordingNotifier;
  audit: AuditStore;
  service: ScheduleService;
  /** Audit actions in the order written. */
  auditActions(): Promise<string[]>;
  /**
   * Another process on the same database and clock (a restart, or a second node). `shareClient`:
   * through this one's Prisma client: two clients of one SQLite file in one process would block
   * each other's event loop (better-sqlite3 waits for the lock synchronously).
   */
  another(options?: { engine?: FakeEngine; shareClient?: boolean }): Promise<ScheduleFixture>;
};

const logger = pino({ level: "silent" });

export function trackScheduleFixtures() {
  const open: ScheduleFixture[] = [];
  afterEach(async () => {
    for (const f of open.splice(0)) {
      await f.service.stop().catch(() => {});
      await f.db.$disconnect().catch(() => {});
    }
  });

  async function build(
    databaseUrl: string,
    clock: ManualClock,
    engine: FakeEngine,
    env: Record<string, string>,
    sharedDb?: PrismaClient,
  ): Promise<ScheduleFixture> {
    const db = sharedDb ?? createPrismaClient(databaseUrl);
    const notifier = new RecordingNotifier();
    const audit = new AuditStore(db, logger);
    const service = createScheduleService({
      db,
      config: parseEnv(env),
      engine,
      logger,
      audit,
      notifier,
      clock: clock.now,
    });
    const fixture: ScheduleFixture = {
      db,
      databaseUrl,
      clock,
      engine,
      notifier,
      audit,
      service,
      async auditActions() {
        const rows = await db.auditEntry.findMany({ orderBy: { id: "asc" } });
        return rows.map((row) => row.action);
      },
      another: (options = {}) =>
        build(
          databaseUrl,
          clock,
          options.engine ?? new FakeEngine([...engine.configs.values()]),
          env,
          options.shareClient ? db : undefined,
        ),
    };
    open.push(fixture);
    return fixture;
  }

  return {
    fixture(options: { engine?: FakeEngine; clock?: ManualClock; env?: Record<string, string> } = {}) {
      return build(
        tempDatabaseUrl(),
        options.clock ?? new ManualClock(Date.parse("2026-05-01T12:00:00Z")),
        options.engine ?? new FakeEngine(),
        options.env ?? {},
      );
    },
  };
}
