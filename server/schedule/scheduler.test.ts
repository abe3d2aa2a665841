import { describe, expect, it } from "vitest";
import type { EventInput } from "@/server/admin/schemas/schedule";
import { ScaleEventStore } from "@/server/schedule/event-store";
import { errorCodeOf, ManualClock } from "@/server/testing/engine-fixture";
import { FakeEngine, operator, type ScheduleFixture, trackScheduleFixtures } from "@/server/testing/schedule-fixture";

const { fixture } = trackScheduleFixtures();
const second = 1_000;
const minute = 60_000;

/** An event `startsInMs` from the fixture's now, lasting `forMs`. */
function eventInput(f: ScheduleFixture, startsInMs: number, forMs: number, rest: Partial<EventInput> = {}): EventInput {
  return {
    name: "Spring sale",
    startsAt: f.clock.nowMs + startsInMs,
    endsAt: f.clock.nowMs + startsInMs + forMs,
    capacity: 500,
    leadMinutes: 10,
    preQueue: false,
    ...rest,
  };
}

async function tickAt(f: ScheduleFixture, atMs: number) {
  f.clock.nowMs = atMs;
  await f.service.scheduler.tick();
}

const count = (items: string[], wanted: string) => items.filter((item) => item === wanted).length;

describe("scheduler: phases on time", () => {
  it("raises capacity at the lead time, keeps it through the event, reverts at the end, within one tick", async () => {
    const f = await fixture();
    const { event } = await f.service.createEvent(operator, "shop", eventInput(f, 60 * minute, 30 * minute));
    const startsAtMs = Date.parse(event.startsAt);
    const leadAtMs = startsAtMs - 10 * minute;
    const endsAtMs = Date.parse(event.endsAt);

    await tickAt(f, leadAtMs - 1);
    expect(f.engine.effectiveCapacity("shop")).toBe(100);
    // A tick is at most 500 ms late: the one after the due time applies it.
    await tickAt(f, leadAtMs + 499);
    expect(f.engine.effectiveCapacity("shop")).toBe(500);
    expect(f.notifier.messages.at(-1)).toBe(
      "Room shop: capacity 100 → 500 — scheduled event “Spring sale” lead time began (starts 13:00 UTC)",
    );
    await tickAt(f, startsAtMs + 499);
    expect(f.notifier.messages.at(-1)).toBe(
      "Room shop: capacity stays 500 — scheduled event “Spring sale” started (until 13:30 UTC)",
    );
    await tickAt(f, endsAtMs - 1);
    expect(f.engine.effectiveCapacity("shop")).toBe(500);
    await tickAt(f, endsAtMs + 499);
    expect(f.engine.effectiveCapacity("shop")).toBe(100);
    expect(f.engine.overrides.get("shop")).toBeNull();
    expect(f.notifier.messages.at(-1)).toBe("Room shop: capacity 500 → 100 — scheduled event “Spring sale” ended");
    expect(f.notifier.notices.every((n) => n.kind === "scale" && n.roomId === "shop")).toBe(true);
    expect(await f.auditActions()).toEqual(["event.create", "event.lead", "event.start", "event.end"]);

    const { event: stored } = await f.service.getEvent("shop", event.id);
    expect(stored.status).toBe("ended");
    expect(stored.leadAt).toBe(new Date(leadAtMs + 499).toISOString());
    // Ticks with nothing due change nothing and say nothing.
    await tickAt(f, endsAtMs + 10 * minute);
    expect(f.notifier.notices).toHaveLength(3);
  });

  it("an event saved with its lead time already begun is raised at once, logged after its creation and not as late", async () => {
    const f = await fixture();
    // Starts in 5 minutes with 10 minutes of lead: the lead time was due 5 minutes ago.
    const { event } = await f.service.createEvent(operator, "shop", eventInput(f, 5 * minute, 30 * minute));
    expect(event.status).toBe("lead");
    expect(f.engine.effectiveCapacity("shop")).toBe(500);
    expect(f.notifier.messages.at(-1)).toBe(
      "Room shop: capacity 100 → 500 — scheduled event “Spring sale” lead time began (starts 12:05 UTC) — applied on saving, 5 min after it was due",
    );
    expect(f.notifier.messages.join("\n")).not.toContain("late by");
    expect(await f.auditActions()).toEqual(["event.create", "event.lead"]);
  });

  it("overlapping events: the highest wins, each end restores what the others need, then the base", async () => {
    const f = await fixture();
    const t0 = f.clock.nowMs;
    const at = (m: number) => t0 + 60 * minute + m * minute;
    await f.service.createEvent(operator, "shop", {
      ...eventInput(f, 60 * minute, 60 * minute),
      name: "A",
      capacity: 300,
      leadMinutes: 0,
    });
    await f.service.createEvent(operator, "shop", {
      ...eventInput(f, 70 * minute, 20 * minute),
      name: "B",
      capacity: 900,
      leadMinutes: 0,
    });
    await f.service.createEvent(operator, "shop", {
      ...eventInput(f, 80 * minute, 60 * minute),
      name: "C",
      capacity: 500,
      leadMinutes: 0,
    });
    const seen: number[] = [];
    for (const m of [0, 10, 20, 30, 60, 120]) {
      await tickAt(f, at(m));
      seen.push(f.engine.effectiveCapacity("shop"));
    }
    // A alone, B on top, B + C (B wins), C after B ends, C after A ends, base after C ends.
    expect(seen).toEqual([300, 900, 900, 500, 500, 100]);
    expect(f.notifier.messages).toContain("Room shop: capacity 900 → 500 — scheduled event “B” ended");
    expect(f.notifier.messages).toContain("Room shop: capacity stays 500 — scheduled event “A” ended");
    expect(f.notifier.messages.at(-1)).toBe("Room shop: capacity 500 → 100 — scheduled event “C” ended");
  });

  it("an event smaller than the base changes nothing but is still told", async () => {
    const f = await fixture({ engine: new FakeEngine([{ id: "shop", capacity: 1_000 }]) });
    await f.service.createEvent(operator, "shop", eventInput(f, 0, 5 * minute, { startsAt: "now" }));
    expect(f.engine.overrides.get("shop")).toBeNull();
    expect(f.notifier.messages).toEqual([
      "Room shop: capacity stays 1000 — scheduled event “Spring sale” started (until 12:05 UTC)",
    ]);
  });

  it('"now" starts an event at once, before the create call returns', async () => {
    const f = await fixture();
    const { event } = await f.service.createEvent(operator, "shop", eventInput(f, 0, 10 * minute, { startsAt: "now" }));
    expect(event.status).toBe("running");
    expect(event.startedAt).toBe(new Date(f.clock.nowMs).toISOString());
    expect(f.engine.effectiveCapacity("shop")).toBe(500);
  });
});

describe("scheduler: edits and cancels apply at once", () => {
  it("cancelling during the lead time reverts capacity and lets the pre-queue go in arrival order", async () => {
    const f = await fixture();
    const { event } = await f.service.createEvent(
      operator,
      "shop",
      eventInput(f, 30 * minute, 30 * minute, { preQueue: true }),
    );
    const startsAtMs = Date.parse(event.startsAt);
    await tickAt(f, startsAtMs - 5 * minute);
    expect(f.engine.effectiveCapacity("shop")).toBe(500);
    expect(f.engine.preQueueCalls).toEqual([`open shop ${startsAtMs - 10 * minute} ${startsAtMs}`]);

    const { event: cancelled } = await f.service.cancelEvent(operator, "shop", event.id, "stock not ready");
    expect(cancelled.status).toBe("cancelled");
    expect(f.engine.effectiveCapacity("shop")).toBe(100);
    expect(f.engine.preQueueCalls.at(-1)).toBe("release shop null");
    expect(f.notifier.messages.at(-1)).toBe(
      "Room shop: capacity 500 → 100 — scheduled event “Spring sale” (lead) cancelled by operator@example.com: stock not ready",
    );
    // The start time passes: nothing happens for a cancelled event.
    await tickAt(f, startsAtMs + second);
    expect(f.engine.effectiveCapacity("shop")).toBe(100);
    expect(await f.auditActions()).toEqual(["event.create", "event.lead", "event.cancel"]);
    expect(await errorCodeOf(f.service.cancelEvent(operator, "shop", event.id))).toBe("conflict");
  });

  it("raising a running event's capacity applies at once; other fields are fixed once it runs", async () => {
    const f = await fixture();
    const { event } = await f.service.createEvent(operator, "shop", eventInput(f, 0, 30 * minute, { startsAt: "now" }));
    const { event: raised } = await f.service.updateEvent(operator, "shop", event.id, { capacity: 800 });
    expect(raised.capacity).toBe(800);
    expect(f.engine.effectiveCapacity("shop")).toBe(800);
    expect(f.notifier.messages.at(-1)).toBe(
      "Room shop: capacity 500 → 800 — scheduled event “Spring sale” changed by operator@example.com",
    );
    expect(await errorCodeOf(f.service.updateEvent(operator, "shop", event.id, { name: "Other" }))).toBe("conflict");
    // Sending the unchanged value of a fixed field (a whole form) is fine.
    await f.service.updateEvent(operator, "shop", event.id, { name: "Spring sale", endsAt: f.clock.nowMs + minute });
    await tickAt(f, f.clock.nowMs + minute);
    expect(f.engine.effectiveCapacity("shop")).toBe(100);
  });

  it("moving a scheduled event's start earlier makes it start at the new time", async () => {
    const f = await fixture();
    const { event } = await f.service.createEvent(operator, "shop", eventInput(f, 120 * minute, 30 * minute));
    await f.service.updateEvent(operator, "shop", event.id, { startsAt: f.clock.nowMs + 15 * minute, leadMinutes: 0 });
    await tickAt(f, f.clock.nowMs + 15 * minute);
    expect(f.engine.effectiveCapacity("shop")).toBe(500);
  });
});

describe("scheduler: restarts", () => {
  it("catches up on boot: a window missed whole is ended and told, a due start applied late, each once", async () => {
    const a = await fixture();
    const t0 = a.clock.nowMs;
    const missed = (
      await a.service.createEvent(operator, "shop", { ...eventInput(a, 20 * minute, 10 * minute), name: "Missed" })
    ).event;
    const running = (
      await a.service.createEvent(operator, "shop", {
        ...eventInput(a, 40 * minute, 60 * minute),
        name: "Running",
        capacity: 700,
      })
    ).event;
    const leading = (
      await a.service.createEvent(operator, "shop", {
        ...eventInput(a, 65 * minute, 60 * minute),
        name: "Leading",
        capacity: 300,
      })
    ).event;
    await a.service.start();
    await a.service.stop();
    expect(a.notifier.notices).toHaveLength(0);

    // Down from t0 until 10 s after Leading's lead time (12:55): Running started at 12:40.
    a.clock.nowMs = t0 + 55 * minute + 10 * second;
    const b = await a.another();
    await b.service.start();
    await b.service.stop();
    expect(b.engine.effectiveCapacity("shop")).toBe(700);
    expect(b.notifier.messages).toEqual([
      "Room shop: capacity 100 → 700 — scheduled event “Missed” (12:20 UTC–12:30 UTC) missed while Floodgate was down",
      "Room shop: capacity 100 → 700 — scheduled event “Running” started (until 13:40 UTC) — late by 15 min",
      "Room shop: capacity 100 → 700 — scheduled event “Leading” lead time began (starts 13:05 UTC) — late by 10 s",
    ]);
    const statuses = async (f: ScheduleFixture) =>
      Promise.all([missed, running, leading].map(async (e) => (await f.service.getEvent("shop", e.id)).event.status));
    expect(await statuses(b)).toEqual(["ended", "running", "lead"]);

    // Another restart a moment later: nothing is due again, so nothing is applied or told twice.
    const c = await b.another();
    await c.service.start();
    await c.service.stop();
    expect(c.engine.effectiveCapacity("shop")).toBe(700);
    expect(c.notifier.notices).toHaveLength(0);
    const actions = await c.auditActions();
    for (const action of ["event.missed", "event.start", "event.lead"]) expect(count(actions, action)).toBe(1);
  });

  it("re-applies the pre-queue after a restart: re-opened during the lead time, the same draw after the start", async () => {
    const a = await fixture();
    const { event } = await a.service.createEvent(
      operator,
      "shop",
      eventInput(a, 30 * minute, 30 * minute, { preQueue: true }),
    );
    const startsAtMs = Date.parse(event.startsAt);
    const window = `${startsAtMs - 10 * minute} ${startsAtMs}`;
    await tickAt(a, startsAtMs - 5 * minute);

    const inLead = await a.another();
    await inLead.service.start();
    await inLead.service.stop();
    expect(inLead.engine.preQueueCalls).toEqual([`open shop ${window}`]);

    inLead.engine.preQueues.set("shop", { opensAtMs: startsAtMs - 10 * minute, startsAtMs, waiting: 42 });
    await tickAt(inLead, startsAtMs + 200);
    const seed = (await new ScaleEventStore(inLead.db).find(event.id))?.shuffleSeed;
    expect(seed).toMatch(/^[0-9a-f]{64}$/);
    expect(inLead.engine.preQueueCalls.at(-1)).toBe(`release shop ${seed}`);
    expect(inLead.notifier.messages.at(-1)).toBe(
      "Room shop: capacity stays 500 — scheduled event “Spring sale” started (until 13:00 UTC); 42 from the pre-queue drawn into line",
    );

    // A restart while it runs: the engine forgot the order; the same seed draws it again.
    const afterStart = await inLead.another();
    await afterStart.service.start();
    await afterStart.service.stop();
    expect(afterStart.engine.preQueueCalls).toEqual([`open shop ${window}`, `release shop ${seed}`]);
    expect(afterStart.notifier.notices).toHaveLength(0);
  });

  it("a pre-queue event whose lead time passed while down is drawn at its (late) start", async () => {
    const a = await fixture();
    const { event } = await a.service.createEvent(
      operator,
      "shop",
      eventInput(a, 30 * minute, 30 * minute, { preQueue: true }),
    );
    a.clock.nowMs = Date.parse(event.startsAt) + 30 * second;
    const b = await a.another();
    await b.service.start();
    await b.service.stop();
    const seed = (await new ScaleEventStore(b.db).find(event.id))?.shuffleSeed;
    expect(b.engine.preQueueCalls).toEqual([
      `open shop ${Date.parse(event.startsAt) - 10 * minute} ${Date.parse(event.startsAt)}`,
      `release shop ${seed}`,
    ]);
  });
});

describe("scheduler: two processes on one database", () => {
  it("applies capacity in both but moves, tells and audits each phase once", async () => {
    const a = await fixture();
    const b = await a.another({ shareClient: true });
    const { event } = await a.service.createEvent(
      operator,
      "shop",
      eventInput(a, 30 * minute, 30 * minute, { preQueue: true }),
    );
    const startsAtMs = Date.parse(event.startsAt);
    for (const atMs of [startsAtMs - 10 * minute, startsAtMs, startsAtMs + 30 * minute]) {
      a.clock.nowMs = atMs + 100;
      await Promise.all([a.service.scheduler.tick(), b.service.scheduler.tick()]);
      const expected = atMs === startsAtMs + 30 * minute ? 100 : 500;
      expect([a.engine.effectiveCapacity("shop"), b.engine.effectiveCapacity("shop")]).toEqual([expected, expected]);
    }
    expect(a.notifier.notices.length + b.notifier.notices.length).toBe(3);
    const actions = await a.auditActions();
    expect(["event.lead", "event.start", "event.end"].map((action) => count(actions, action))).toEqual([1, 1, 1]);
    // Both engines opened the pre-queue and drew it with the one stored seed.
    const seed = (await new ScaleEventStore(a.db).find(event.id))?.shuffleSeed;
    for (const f of [a, b]) expect(f.engine.preQueueCalls.at(-1)).toBe(`release shop ${seed}`);
  });
});

describe("scheduler: reading the database", () => {
  it("works from memory between refreshes, and sees another process's event within one refresh (5 s)", async () => {
    const a = await fixture();
    const b = await a.another({ shareClient: true });
    await a.service.scheduler.tick();
    let reads = 0;
    const listOpen = ScaleEventStore.prototype.listOpen;
    ScaleEventStore.prototype.listOpen = function (this: ScaleEventStore) {
      reads++;
      return listOpen.call(this);
    };
    try {
      // Ten passes in 4.5 s with nothing due: no read at all.
      for (let i = 1; i <= 9; i++) await tickAt(a, a.clock.nowMs + 500);
      expect(reads).toBe(0);

      // Another process schedules an event starting now; this one applies it at its next refresh.
      await b.service.createEvent(operator, "shop", {
        ...eventInput(b, 0, 10 * minute),
        startsAt: "now",
        leadMinutes: 0,
      });
      reads = 0;
      await tickAt(a, a.clock.nowMs + 500);
      expect(reads).toBe(1);
      expect(a.engine.effectiveCapacity("shop")).toBe(500);
    } finally {
      ScaleEventStore.prototype.listOpen = listOpen;
    }
  });
});

describe("scheduler: rooms that go away, failures", () => {
  it("cancels the events of a deleted room with a note, and leaves the other rooms alone", async () => {
    const f = await fixture({
      engine: new FakeEngine([
        { id: "shop", capacity: 100 },
        { id: "tickets", capacity: 10 },
      ]),
    });
    const { event: gone } = await f.service.createEvent(operator, "shop", eventInput(f, 30 * minute, 30 * minute));
    await f.service.createEvent(operator, "tickets", { ...eventInput(f, 30 * minute, 30 * minute), capacity: 50 });
    f.engine.configs.delete("shop");
    await tickAt(f, f.clock.nowMs + 25 * minute);
    expect(f.engine.effectiveCapacity("tickets")).toBe(50);
    const row = await new ScaleEventStore(f.db).find(gone.id);
    expect(row?.status).toBe("cancelled");
    const entry = await f.db.auditEntry.findFirst({ where: { action: "event.cancel" } });
    expect(entry).toMatchObject({
      actorEmail: "scheduler",
      actorId: null,
      roomId: "shop",
      reason: "the room no longer exists",
    });
  });

  it("the loop applies and reverts on time with a real clock, and goes on after a failing tick", async () => {
    const clock = new ManualClock();
    clock.now = Date.now;
    const engine = new FakeEngine();
    const f = await fixture({ engine, clock, env: { FLOODGATE_SCHEDULER_TICK_MS: "100" } });
    await f.service.start();
    const startsAtMs = Date.now() + 400;
    const endsAtMs = startsAtMs + 500;
    await f.service.createEvent(operator, "shop", {
      ...eventInput(f, 0, 0),
      startsAt: startsAtMs,
      endsAt: endsAtMs,
      leadMinutes: 0,
    });
    let failures = 2;
    const roomIds = engine.roomIds.bind(engine);
    engine.roomIds = () => {
      if (failures-- > 0) throw new Error("engine hiccup");
      return roomIds();
    };
    const appliedAt = await waitFor(() => f.engine.effectiveCapacity("shop") === 500);
    expect(failures).toBeLessThan(0);
    expect(appliedAt - startsAtMs).toBeLessThan(1_000);
    const revertedAt = await waitFor(() => f.engine.effectiveCapacity("shop") === 100);
    expect(revertedAt).toBeGreaterThanOrEqual(endsAtMs);
    expect(revertedAt - endsAtMs).toBeLessThan(1_000);
  });
});

async function waitFor(condition: () => boolean, timeoutMs = 5_000): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (condition()) return Date.now();
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error("condition not met in time");
}
