import { describe, expect, it } from "vitest";
import {
  eventPhaseAt,
  type PlannedEvent,
  type PlannedSurge,
  parseInstant,
  planCapacity,
} from "@/server/schedule/capacity-plan";

const minute = 60_000;
const t0 = Date.parse("2026-05-01T12:00:00Z");

const event = (overrides: Partial<PlannedEvent> & { id: string }): PlannedEvent => ({
  name: overrides.id,
  startsAtMs: t0,
  endsAtMs: t0 + 60 * minute,
  leadMinutes: 10,
  capacity: 500,
  newUsersPerMinute: null,
  status: "scheduled",
  ...overrides,
});

const capacityAt = (events: PlannedEvent[], nowMs: number, surge: PlannedSurge | null = null, baseCapacity = 100) =>
  planCapacity({ baseCapacity, events, surge, nowMs }).effectiveCapacity;

describe("eventPhaseAt", () => {
  const e = event({ id: "a" });
  it.each([
    ["before the lead time", t0 - 10 * minute - 1, "scheduled"],
    ["at the lead start", t0 - 10 * minute, "lead"],
    ["just before start", t0 - 1, "lead"],
    ["at start", t0, "running"],
    ["just before end", t0 + 60 * minute - 1, "running"],
    ["at end", t0 + 60 * minute, "ended"],
  ])("%s → %s", (_name, nowMs, phase) => {
    expect(eventPhaseAt(e, nowMs)).toBe(phase);
  });

  it("goes straight from scheduled to running without a lead time", () => {
    const noLead = event({ id: "b", leadMinutes: 0 });
    expect(eventPhaseAt(noLead, t0 - 1)).toBe("scheduled");
    expect(eventPhaseAt(noLead, t0)).toBe("running");
  });
});

describe("planCapacity", () => {
  it("is the base capacity with nothing active, and says so", () => {
    const plan = planCapacity({
      baseCapacity: 100,
      events: [event({ id: "a" })],
      surge: null,
      nowMs: t0 - 11 * minute,
    });
    expect(plan).toEqual({
      effectiveCapacity: 100,
      newUsersPerMinute: null,
      sources: [{ kind: "base", capacity: 100 }],
    });
  });

  it("takes the new-users limit of what is active (the highest of several), and none once it ends", () => {
    const events = [
      event({ id: "paced", newUsersPerMinute: 120 }),
      event({ id: "faster", newUsersPerMinute: 300, startsAtMs: t0 + 5 * minute, endsAtMs: t0 + 90 * minute }),
      event({ id: "plain" }),
    ];
    const surge = { id: "s", capacity: 900, holdUntilMs: t0 + 70 * minute, endedAtMs: null };
    const at = (nowMs: number, surgeNewUsersPerMinute: number | null = null) =>
      planCapacity({ baseCapacity: 100, events, surge, surgeNewUsersPerMinute, nowMs }).newUsersPerMinute;
    expect(at(t0 - 30 * minute)).toBeNull();
    expect(at(t0 - 9 * minute)).toBe(120);
    expect(at(t0 - 4 * minute)).toBe(300);
    expect(at(t0 + 61 * minute)).toBe(300);
    expect(at(t0 + 61 * minute, 500)).toBe(500);
    expect(at(t0 + 95 * minute)).toBeNull();
  });

  it("raises capacity from the lead time on, until the end", () => {
    const events = [event({ id: "a" })];
    expect(capacityAt(events, t0 - 10 * minute - 1)).toBe(100);
    expect(capacityAt(events, t0 - 10 * minute)).toBe(500);
    expect(capacityAt(events, t0 + 59 * minute)).toBe(500);
    expect(capacityAt(events, t0 + 60 * minute)).toBe(100);
  });

  it("ignores cancelled and ended events even inside their window", () => {
    expect(capacityAt([event({ id: "a", status: "cancelled" })], t0)).toBe(100);
    expect(capacityAt([event({ id: "a", status: "ended" })], t0)).toBe(100);
    expect(capacityAt([event({ id: "a", status: "lead" })], t0)).toBe(500);
  });

  it("never lowers a room below its base: an event smaller than the base changes nothing", () => {
    const plan = planCapacity({ baseCapacity: 800, events: [event({ id: "a" })], surge: null, nowMs: t0 });
    expect(plan.effectiveCapacity).toBe(800);
    expect(plan.sources.map((s) => s.kind)).toEqual(["base", "event"]);
  });

  it("overlapping events: the highest wins; each end restores what the others need, then the base", () => {
    // a: 12:00-13:00 at 300, b: 12:30-14:00 at 900, c: 12:45-13:30 at 500 (no lead times)
    const events = [
      event({ id: "a", capacity: 300, leadMinutes: 0 }),
      event({ id: "b", capacity: 900, leadMinutes: 0, startsAtMs: t0 + 30 * minute, endsAtMs: t0 + 120 * minute }),
      event({ id: "c", capacity: 500, leadMinutes: 0, startsAtMs: t0 + 45 * minute, endsAtMs: t0 + 90 * minute }),
    ];
    const timeline = [0, 30, 45, 60, 90, 120].map((m) => capacityAt(events, t0 + m * minute));
    expect(timeline).toEqual([300, 900, 900, 900, 900, 100]);
    // Without b, the end of a falls back to c, and the end of c to the base.
    const withoutB = [events[0], events[2]] as PlannedEvent[];
    expect([0, 45, 60, 90].map((m) => capacityAt(withoutB, t0 + m * minute))).toEqual([300, 500, 500, 100]);
    // b ends first when it is the shorter one: the room goes back to c's 500, not the base.
    const shortB = [events[0], { ...events[1], endsAtMs: t0 + 50 * minute }, events[2]] as PlannedEvent[];
    expect([49, 50].map((m) => capacityAt(shortB, t0 + m * minute))).toEqual([900, 500]);
  });

  it("lists the sources highest first, naming what applies", () => {
    const plan = planCapacity({
      baseCapacity: 100,
      events: [event({ id: "low", capacity: 200 }), event({ id: "high", name: "Spring sale", capacity: 700 })],
      surge: { id: "s1", capacity: 400, holdUntilMs: t0 + 30 * minute, endedAtMs: null },
      nowMs: t0,
    });
    expect(plan.effectiveCapacity).toBe(700);
    expect(plan.sources).toEqual([
      { kind: "event", capacity: 700, eventId: "high", name: "Spring sale", until: "2026-05-01T13:00:00.000Z" },
      { kind: "surge", capacity: 400, surgeId: "s1", until: "2026-05-01T12:30:00.000Z" },
      { kind: "event", capacity: 200, eventId: "low", name: "low", until: "2026-05-01T13:00:00.000Z" },
      { kind: "base", capacity: 100 },
    ]);
  });

  it("a surge on top of an event wins while higher, and only until its hold ends", () => {
    const events = [event({ id: "a", capacity: 500 })];
    const surge: PlannedSurge = { id: "s", capacity: 2_000, holdUntilMs: t0 + 5 * minute, endedAtMs: null };
    expect(capacityAt(events, t0, surge)).toBe(2_000);
    expect(capacityAt(events, t0 + 5 * minute, surge)).toBe(500);
    expect(capacityAt(events, t0, { ...surge, endedAtMs: t0 - 1 })).toBe(500);
    expect(capacityAt([], t0, surge)).toBe(2_000);
  });
});

describe("parseInstant: times need an offset", () => {
  it("reads the same instant whatever the offset it is written in", () => {
    const utc = parseInstant("2026-05-01T09:00:00Z");
    expect(utc).toBe(Date.UTC(2026, 4, 1, 9));
    expect(parseInstant("2026-05-01T18:00:00+09:00")).toBe(utc);
    expect(parseInstant("2026-05-01T05:00:00-04:00")).toBe(utc);
    expect(parseInstant("2026-05-01T09:00Z")).toBe(utc);
    expect(parseInstant("2026-05-01T09:00:00.250Z")).toBe((utc as number) + 250);
  });

  it("an event across the New York DST change lasts the hours that really pass", () => {
    // 8 March 2026, 02:00 EST → 03:00 EDT: 01:30-05:00 to 03:30-04:00 is one hour, not two.
    const startsAtMs = parseInstant("2026-03-08T01:30:00-05:00") as number;
    const endsAtMs = parseInstant("2026-03-08T03:30:00-04:00") as number;
    expect(endsAtMs - startsAtMs).toBe(60 * minute);
    expect(startsAtMs).toBe(parseInstant("2026-03-08T06:30:00Z"));
    expect(startsAtMs).toBe(parseInstant("2026-03-08T15:30:00+09:00"));
    const e = event({ id: "dst", startsAtMs, endsAtMs, leadMinutes: 30 });
    // The lead starts at 01:00 EST; at 03:15 EDT (07:15Z) it is running; at 03:30 EDT it has ended.
    expect(eventPhaseAt(e, parseInstant("2026-03-08T00:59:59-05:00") as number)).toBe("scheduled");
    expect(eventPhaseAt(e, parseInstant("2026-03-08T01:00:00-05:00") as number)).toBe("lead");
    expect(eventPhaseAt(e, parseInstant("2026-03-08T07:15:00Z") as number)).toBe("running");
    expect(eventPhaseAt(e, parseInstant("2026-03-08T03:30:00-04:00") as number)).toBe("ended");
    // Autumn back: 1 November 2026, 01:30 happens twice in New York; the offset says which.
    const firstTime = parseInstant("2026-11-01T01:30:00-04:00") as number;
    const secondTime = parseInstant("2026-11-01T01:30:00-05:00") as number;
    expect(secondTime - firstTime).toBe(60 * minute);
  });

  it.each([
    ["no offset", "2026-05-01T09:00:00"],
    ["date only", "2026-05-01"],
    ["a day the month lacks", "2026-02-30T09:00:00Z"],
    ["hour 24", "2026-05-01T24:00:00Z"],
    ["offset beyond 14 h", "2026-05-01T09:00:00+15:00"],
    ["offset without colon", "2026-05-01T09:00:00+0900"],
    ["words", "tomorrow at nine"],
    ["empty", ""],
  ])("refuses %s", (_name, text) => {
    expect(parseInstant(text)).toBeNull();
  });
});
