import pino from "pino";
import { describe, expect, it } from "vitest";
import { AppError } from "@/server/api/errors";
import {
  GuardedQueueStore,
  type GuardedStoreOptions,
  isStoreAnswer,
  StoreUnavailableError,
} from "@/server/store/guarded-store";
import { type QueueStore, StoreConflictError } from "@/server/store/queue-store";
import { ManualClock } from "@/server/testing/engine-fixture";

/** A store whose every call runs `next` (set per test): resolve, reject, or take time on the clock. */
function scriptedStore() {
  const calls: string[] = [];
  const script = { next: async (): Promise<unknown> => [] as unknown };
  const run = (name: string) => {
    calls.push(name);
    return script.next();
  };
  const store = {
    maxAdmissionBatch: 99,
    listRooms: () => run("listRooms"),
    ensureRoom: () => run("ensureRoom"),
    createRoom: () => run("createRoom"),
    updateRoom: () => run("updateRoom"),
    deleteRoom: () => run("deleteRoom"),
    loadRoomState: () => run("loadRoomState"),
    enter: () => run("enter"),
    admit: () => run("admit"),
    remove: () => run("remove"),
    close: async () => {},
  } as unknown as QueueStore;
  return { store, calls, script };
}

/** Timers a test fires by hand. */
function manualTimers() {
  const pending = new Set<() => void>();
  return {
    start: (onTimeout: () => void) => {
      pending.add(onTimeout);
      return () => pending.delete(onTimeout);
    },
    fireAll() {
      const due = [...pending];
      pending.clear();
      for (const fire of due) fire();
    },
    get pending() {
      return pending.size;
    },
  };
}

function logLines() {
  const lines: { level: number; msg: string }[] = [];
  const logger = pino({ level: "debug" }, { write: (line: string) => lines.push(JSON.parse(line)) });
  return { logger, lines, at: (level: number) => lines.filter((l) => l.level === level).map((l) => l.msg) };
}

function setup(overrides: Partial<GuardedStoreOptions> = {}) {
  const clock = new ManualClock();
  const timers = manualTimers();
  const logs = logLines();
  const inner = scriptedStore();
  const guarded = new GuardedQueueStore(inner.store, {
    kind: "sqlite",
    timeoutMs: 2_000,
    failures: 3,
    cooldownMs: 5_000,
    failureMode: "closed",
    logger: logs.logger,
    clock: clock.now,
    startTimer: timers.start,
    ...overrides,
  });
  const fail = () => {
    inner.script.next = async () => {
      throw new Error("connect ECONNREFUSED 127.0.0.1:8000");
    };
  };
  const heal = () => {
    inner.script.next = async () => [];
  };
  return { clock, timers, logs, inner, guarded, fail, heal };
}

describe("GuardedQueueStore: circuit breaker", () => {
  it("opens after N failures in a row, refuses at once while open, probes once after the cooldown", async () => {
    const { guarded, inner, clock, fail, heal, logs } = setup();
    fail();
    for (let i = 0; i < 2; i++) await expect(guarded.listRooms()).rejects.toThrow("ECONNREFUSED");
    expect(guarded.health()).toMatchObject({ state: "ok", breaker: "closed", consecutiveFailures: 2 });
    await expect(guarded.enter("r", [])).rejects.toThrow("ECONNREFUSED");
    expect(guarded.health()).toMatchObject({ state: "degraded", breaker: "open", consecutiveFailures: 3 });
    expect(guarded.health().lastError).toContain("ECONNREFUSED");

    // Open: refused without calling the store, with the time left as Retry-After.
    const before = inner.calls.length;
    clock.advance(1_000);
    const refused = await guarded.admit("r", [], 1).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(StoreUnavailableError);
    expect((refused as StoreUnavailableError).retryAfterMs).toBe(4_000);
    expect(inner.calls.length).toBe(before);
    expect(guarded.isAvailable()).toBe(false);

    // Cooldown over: one probe; it fails, the breaker opens again (no new error line).
    clock.advance(4_000);
    expect(guarded.isAvailable()).toBe(true);
    await expect(guarded.remove("r", [])).rejects.toThrow("ECONNREFUSED");
    expect(guarded.health().breaker).toBe("open");
    expect(inner.calls.length).toBe(before + 1);

    // Next probe succeeds: closed, failures reset, one info line with the outage's length.
    clock.advance(5_000);
    heal();
    await guarded.remove("r", []);
    expect(guarded.health()).toMatchObject({ state: "ok", breaker: "closed", consecutiveFailures: 0 });
    expect(logs.at(50)).toEqual([expect.stringContaining("failing closed — nobody new is admitted")]);
    expect(logs.at(30)).toEqual(["queue store reachable again after 10.0 s: admitting again"]);
  });

  it("lets exactly one probe through while half-open", async () => {
    const { guarded, inner, clock, fail } = setup({ failures: 1 });
    fail();
    await expect(guarded.listRooms()).rejects.toThrow();
    clock.advance(5_000);
    let finishProbe = () => {};
    inner.script.next = () => new Promise((resolve) => (finishProbe = () => resolve([])));
    const probe = guarded.listRooms();
    expect(guarded.health().breaker).toBe("half-open");
    await expect(guarded.listRooms()).rejects.toBeInstanceOf(StoreUnavailableError);
    finishProbe();
    await probe;
    expect(guarded.health().breaker).toBe("closed");
  });

  it("a success in between resets the count: only failures in a row open it", async () => {
    const { guarded, fail, heal } = setup();
    for (let i = 0; i < 5; i++) {
      fail();
      await guarded.listRooms().catch(() => {});
      await guarded.listRooms().catch(() => {});
      heal();
      await guarded.listRooms();
    }
    expect(guarded.health().breaker).toBe("closed");
  });

  it("counts a slow call as a failure but still returns its result", async () => {
    const { guarded, inner, clock } = setup({ failures: 2 });
    inner.script.next = async () => {
      clock.advance(2_500);
      return [7];
    };
    expect(await guarded.enter("r", [])).toEqual([7]);
    expect(guarded.health()).toMatchObject({ breaker: "closed", consecutiveFailures: 1 });
    expect(guarded.health().lastError).toContain("answered after 2500 ms");
    expect(await guarded.enter("r", [])).toEqual([7]);
    expect(guarded.health().breaker).toBe("open");
  });

  it("a hung call counts at the timeout, is not abandoned, and is not counted twice", async () => {
    const { guarded, inner, timers } = setup({ failures: 1 });
    let land = (_: unknown) => {};
    inner.script.next = () => new Promise((resolve) => (land = resolve));
    const admission = guarded.admit("r", [], 1);
    timers.fireAll();
    expect(guarded.health()).toMatchObject({ breaker: "open", consecutiveFailures: 1 });
    expect(guarded.health().lastError).toContain("no answer within 2000 ms");
    // The write lands late: its caller sees it (the slot is known), the count stays.
    land(undefined);
    await expect(admission).resolves.toBeUndefined();
    expect(guarded.health()).toMatchObject({ breaker: "open", consecutiveFailures: 1 });
    expect(timers.pending).toBe(0);
  });

  it("watches many calls in flight with one timer, each hung call counted once at its own timeout", async () => {
    const { guarded, inner, timers, clock } = setup({ failures: 10 });
    const lands: ((value: unknown) => void)[] = [];
    inner.script.next = () => new Promise((resolve) => lands.push(resolve));
    const calls = [guarded.admit("r", [], 1)];
    clock.advance(500);
    calls.push(guarded.admit("r", [], 1));
    clock.advance(500);
    calls.push(guarded.admit("r", [], 1));
    expect(timers.pending).toBe(1);
    // The oldest's timeout: it alone is counted (the others are 500 and 1,000 ms younger).
    clock.advance(1_000);
    timers.fireAll();
    expect(guarded.health().consecutiveFailures).toBe(1);
    expect(timers.pending).toBe(1);
    // The third answers in time (a success: the run of failures starts again); the second is
    // still hung at its timeout.
    lands[2]?.(undefined);
    await calls[2];
    expect(guarded.health().consecutiveFailures).toBe(0);
    clock.advance(600);
    timers.fireAll();
    expect(guarded.health().consecutiveFailures).toBe(1);
    expect(guarded.health().lastError).toContain("no answer within 2000 ms");
    expect(timers.pending).toBe(0);
    // The hung ones land late: nothing is counted twice, no timer is left behind.
    lands[0]?.(undefined);
    lands[1]?.(undefined);
    await Promise.all(calls);
    expect(guarded.health().consecutiveFailures).toBe(1);
    expect(timers.pending).toBe(0);
  });

  it("notifies listeners once per transition", async () => {
    const { guarded, clock, fail, heal } = setup({ failures: 1 });
    const seen: string[] = [];
    guarded.onTransition((health, previous) => seen.push(`${previous}->${health.breaker}`));
    fail();
    await guarded.listRooms().catch(() => {});
    await guarded.listRooms().catch(() => {});
    clock.advance(5_000);
    heal();
    await guarded.listRooms();
    expect(seen).toEqual(["closed->open", "open->half-open", "half-open->closed"]);
  });

  it("says which way it fails in its one error line", async () => {
    const { guarded, fail, logs } = setup({ failures: 1, failureMode: "open" });
    fail();
    for (let i = 0; i < 20; i++) await guarded.listRooms().catch(() => {});
    expect(logs.at(50)).toEqual([expect.stringContaining("failing open")]);
    expect(guarded.health().failureMode).toBe("open");
  });
});

describe("GuardedQueueStore: which rejections count", () => {
  const cases: { name: string; error: Error; counts: boolean }[] = [
    { name: "a conditional write refused", error: new StoreConflictError("would exceed capacity"), counts: false },
    { name: "an AppError", error: new AppError("room_not_found", "no room"), counts: false },
    { name: "a fenced write (lease moved)", error: named("StoreFencedError", "lease lost"), counts: false },
    { name: "a refused connection", error: named("Error", "connect ECONNREFUSED"), counts: true },
    { name: "an SDK timeout", error: named("TimeoutError", "socket hang up"), counts: true },
    { name: "throttling", error: named("ThrottlingException", "rate exceeded"), counts: true },
    { name: "a database error", error: named("PrismaClientKnownRequestError", "database is locked"), counts: true },
  ];
  for (const { name, error, counts } of cases) {
    it(`${name} ${counts ? "counts" : "is an answer"}`, async () => {
      expect(isStoreAnswer(error)).toBe(!counts);
      const { guarded, inner } = setup({ failures: 1 });
      inner.script.next = async () => {
        throw error;
      };
      await expect(guarded.listRooms()).rejects.toBe(error);
      expect(guarded.health().breaker).toBe(counts ? "open" : "closed");
    });
  }
});

function named(name: string, message: string): Error {
  const error = new Error(message);
  error.name = name;
  return error;
}
