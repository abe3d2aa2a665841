import { describe, expect, it } from "vitest";
import type { ScaleEventInput, ScaleEventRecord } from "@/server/admin/admin-types";
import {
  type EventFormValues,
  emptyEventForm,
  eventFormFrom,
  eventPatch,
  leadBegunAt,
  leadTimeNote,
  validateEventForm,
} from "./event-form";
import { scaleEvent } from "./scale-event-fixture";

const ZONE = "Asia/Seoul";
// 12 March 2025, 19:00 in Seoul.
const NOW = Date.parse("2025-03-12T10:00:00Z");
const options = { nowMs: NOW, timeZone: ZONE, phase: "new" as const };

const valid: EventFormValues = {
  name: "Spring sale",
  startsAt: "2025-03-13T10:00",
  startNow: false,
  endsAt: "2025-03-13T12:00",
  capacity: "500",
  newUsersPerMinute: "",
  leadMinutes: "10",
  preQueue: true,
};

const record: ScaleEventRecord = scaleEvent({ id: "ev1", name: "Spring sale", preQueue: true });

describe("validateEventForm", () => {
  it("sends the browser's wall-clock times as UTC instants", () => {
    const { errors, input } = validateEventForm(valid, options);
    expect(errors).toEqual({});
    expect(input).toEqual({
      name: "Spring sale",
      startsAt: "2025-03-13T01:00:00.000Z",
      endsAt: "2025-03-13T03:00:00.000Z",
      capacity: 500,
      newUsersPerMinute: null,
      leadMinutes: 10,
      preQueue: true,
    });
  });

  it("sends “now” for Start now, whatever the start field says, with no lead or pre-queue", () => {
    const { input } = validateEventForm({ ...valid, startNow: true, startsAt: "2020-01-01T00:00" }, options);
    expect(input).toMatchObject({ startsAt: "now", leadMinutes: 0, preQueue: false });
  });

  it("allows the current minute (the picker cannot say seconds)", () => {
    expect(validateEventForm({ ...valid, startsAt: "2025-03-12T18:59", preQueue: false }, options).errors).toEqual({});
  });

  it.each([
    [{ name: " " }, "name"],
    [{ name: "x".repeat(81) }, "name"],
    [{ startsAt: "" }, "startsAt"],
    [{ startsAt: "2025-03-12T18:30" }, "startsAt"],
    [{ endsAt: "2025-03-13T10:00" }, "endsAt"],
    [{ endsAt: "2025-03-13T09:00" }, "endsAt"],
    [{ endsAt: "" }, "endsAt"],
    [{ startNow: true, endsAt: "2025-03-12T18:00" }, "endsAt"],
    [{ capacity: "0" }, "capacity"],
    [{ capacity: "2.5" }, "capacity"],
    [{ capacity: "" }, "capacity"],
    [{ leadMinutes: "-1" }, "leadMinutes"],
    [{ leadMinutes: "1441" }, "leadMinutes"],
    [{ preQueue: true, leadMinutes: "0" }, "leadMinutes"],
    // Starts at 19:30 with an hour's lead: the pre-queue would have opened at 18:30.
    [{ preQueue: true, startsAt: "2025-03-12T19:30", endsAt: "2025-03-12T21:00", leadMinutes: "60" }, "leadMinutes"],
  ] as const)("%j is refused on %s", (change, field) => {
    const { errors, input } = validateEventForm({ ...valid, ...change }, options);
    expect(input).toBeNull();
    expect(Object.keys(errors)).toEqual([field]);
  });

  it("keeps a live event's start, even one in the past", () => {
    const running = { ...record, status: "running" as const, startsAt: "2025-03-12T09:00:00.000Z" };
    const values = { ...eventFormFrom(running, ZONE), endsAt: "2025-03-12T21:00" };
    const { errors, input } = validateEventForm(values, { ...options, phase: "live", event: running });
    expect(errors).toEqual({});
    expect(input?.startsAt).toBe("2025-03-12T09:00:00.000Z");
  });
});

describe("eventFormFrom and emptyEventForm", () => {
  it("shows an event's times on the browser's clock", () => {
    expect(eventFormFrom(record, ZONE)).toMatchObject({ startsAt: "2025-03-13T10:00", endsAt: "2025-03-13T12:00" });
  });

  it("proposes the next quarter hour an hour from now, for two hours", () => {
    const values = emptyEventForm(Date.parse("2025-03-12T10:07:00Z"), ZONE);
    expect(values).toMatchObject({ startsAt: "2025-03-12T20:15", endsAt: "2025-03-12T22:15", leadMinutes: "10" });
  });
});

describe("eventPatch", () => {
  const { input: validInput } = validateEventForm(valid, options);
  if (!validInput) throw new Error("the valid values were refused");
  const input: ScaleEventInput = validInput;

  it("is empty when nothing changed", () => {
    expect(eventPatch(record, input)).toEqual({});
  });

  it("holds only what changed", () => {
    expect(eventPatch(record, { ...input, capacity: 800, name: "Big sale" })).toEqual({
      capacity: 800,
      name: "Big sale",
    });
  });

  it("drops what a live event may not change", () => {
    const running = { ...record, status: "running" as const };
    const changed = { ...input, name: "Renamed", capacity: 900, endsAt: "2025-03-13T04:00:00.000Z", preQueue: false };
    expect(eventPatch(running, changed)).toEqual({ capacity: 900, endsAt: "2025-03-13T04:00:00.000Z" });
  });
});

describe("leadBegunAt", () => {
  const MIN = 60_000;
  const input = (startsAt: string, leadMinutes: number) => ({ startsAt, leadMinutes });

  it("is the instant capacity was due to rise once the lead time has begun, the very instant included", () => {
    // Starts 10 minutes from now with a 15-minute lead: due 5 minutes ago.
    expect(leadBegunAt(input("2025-03-12T10:10:00.000Z", 15), NOW)).toBe(NOW - 5 * MIN);
    expect(leadBegunAt(input("2025-03-12T10:10:00.000Z", 10), NOW)).toBe(NOW);
  });

  it("is null while the lead time is still to come, and for “now” (Start now asks on its own)", () => {
    expect(leadBegunAt(input("2025-03-12T10:10:00.000Z", 9), NOW)).toBeNull();
    expect(leadBegunAt(input("now", 0), NOW)).toBeNull();
  });

  it("a form that passes validation can still raise capacity at once", () => {
    const values = { ...valid, preQueue: false, startsAt: "2025-03-12T19:05", endsAt: "2025-03-12T21:00" };
    const { input: sent } = validateEventForm(values, options);
    expect(sent).not.toBeNull();
    if (sent) expect(leadBegunAt(sent, NOW)).toBe(NOW - 5 * MIN);
  });
});

describe("leadTimeNote", () => {
  const clock = (epochMs: number) => new Date(epochMs + 9 * 3_600_000).toISOString().slice(11, 16);
  const note = (values: EventFormValues) => leadTimeNote(values, { ...options, formatTime: clock });

  it("says what the lead time is for and when capacity rises with the times typed", () => {
    const text = note({ ...valid, startsAt: "2025-03-12T20:00", leadMinutes: "15" });
    expect(text).toMatch(/^Capacity rises this long before the start, so the site warms up/);
    expect(text).toContain("capacity rises at 19:45 (in 45 min)");
  });

  it("says plainly when that time has passed: capacity rises on saving", () => {
    expect(note({ ...valid, startsAt: "2025-03-12T19:05", leadMinutes: "10" })).toContain(
      "that is 18:55 (5 min ago), already past: capacity rises as soon as you save",
    );
  });

  it("explains itself without a time while the start is not filled in", () => {
    expect(note({ ...valid, startsAt: "" })).not.toContain("rises at");
  });

  it("tells a live event's editor when capacity rose", () => {
    const live = { ...record, status: "lead" as const, leadAt: "2025-03-12T09:50:00.000Z" };
    const text = leadTimeNote(eventFormFrom(live, ZONE), { ...options, phase: "live", event: live, formatTime: clock });
    expect(text).toBe("Capacity rose at 18:50 (10 min ago).");
  });
});
