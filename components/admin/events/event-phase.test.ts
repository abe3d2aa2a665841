import { describe, expect, it } from "vitest";
import type { ScaleEventRecord } from "@/server/admin/admin-types";
import { countPhases, eventPhase, leadStartMs, phaseSummary } from "./event-phase";
import { describeEventTimes } from "./event-times";
import { scaleEvent } from "./scale-event-fixture";

// The fixture's event: lead from 00:50, start 01:00, end 03:00 (UTC), 10 minutes of lead.
const LEAD = Date.parse("2025-03-13T00:50:00Z");
const START = Date.parse("2025-03-13T01:00:00Z");
const END = Date.parse("2025-03-13T03:00:00Z");
const MIN = 60_000;

const planned = (extra: Partial<ScaleEventRecord> = {}) => scaleEvent({ id: "sale", ...extra });

describe("eventPhase", () => {
  it.each([
    ["a minute before the lead time", LEAD - MIN, "scheduled"],
    ["a millisecond before the lead time", LEAD - 1, "scheduled"],
    ["at the instant the lead time begins", LEAD, "lead"],
    ["a millisecond before the start", START - 1, "lead"],
    ["at the instant of the start", START, "running"],
    ["a millisecond before the end", END - 1, "running"],
    ["at the instant of the end", END, "ended"],
  ])("a stored 'scheduled' event %s is %s: the clock wins over a status a tick behind", (_, now, phase) => {
    expect(eventPhase(planned(), now)).toBe(phase);
  });

  it("goes straight from upcoming to running without a lead time", () => {
    const noLead = planned({ leadMinutes: 0 });
    expect(eventPhase(noLead, START - 1)).toBe("scheduled");
    expect(eventPhase(noLead, START)).toBe("running");
  });

  it("trusts a phase the scheduler has applied, even early by the browser's clock", () => {
    // The browser's clock may lag the server's: what the server did has happened.
    expect(eventPhase(planned({ status: "lead" }), LEAD - 5_000)).toBe("lead");
    expect(eventPhase(planned({ status: "running", startedAt: "2025-03-13T00:59:59Z" }), START - 1_000)).toBe(
      "running",
    );
    expect(eventPhase(planned({ status: "ended" }), END - 1_000)).toBe("ended");
  });

  it("keeps a cancelled event cancelled whatever the time", () => {
    for (const now of [LEAD - MIN, LEAD, START, END + MIN]) {
      expect(eventPhase(planned({ status: "cancelled", cancelledAt: "2025-03-12T00:00:00Z" }), now)).toBe("cancelled");
    }
  });

  it("places the lead start at the start for an event that began without one", () => {
    const startedNow = planned({ status: "running", startedAt: "2025-03-13T01:00:00Z", leadAt: null });
    expect(leadStartMs(startedNow)).toBe(START);
    expect(leadStartMs(planned())).toBe(LEAD);
  });
});

describe("the header's counts", () => {
  it("counts by the same phases the list shows, and names lead time apart from running", () => {
    const events = [
      planned({ id: "a" }),
      planned({ id: "b", startsAt: "2025-03-13T00:55:00Z" }),
      planned({ id: "c", startsAt: "2025-03-13T00:30:00Z" }),
      planned({ id: "d", status: "cancelled" }),
    ];
    const counts = countPhases(events, LEAD);
    expect(counts).toEqual({ scheduled: 0, lead: 2, running: 1, ended: 0, cancelled: 1 });
    expect(phaseSummary(counts)).toBe("1 running · 2 in lead time");
    expect(phaseSummary(countPhases([planned()], LEAD - MIN))).toBe("1 upcoming");
    expect(phaseSummary(countPhases([], LEAD))).toBe("nothing running or upcoming");
  });
});

describe("describeEventTimes", () => {
  const clock = (epochMs: number) => new Date(epochMs).toISOString().slice(11, 16);

  it("says when capacity rises for an upcoming event, and how soon", () => {
    expect(describeEventTimes(planned(), "scheduled", LEAD - 90 * MIN, clock)).toEqual({
      main: "starts 01:00 (in 1 h 40 min), ends 03:00",
      detail: "capacity rises at 00:50 (in 1 h 30 min), 10 min before the start",
    });
  });

  it("says that capacity is already raised during the lead time", () => {
    expect(describeEventTimes(planned(), "lead", LEAD + 4 * MIN, clock).detail).toBe(
      "capacity raised since 00:50 (4 min ago), 10 min before the start",
    );
  });

  it("never shows a passed start or end as if to come", () => {
    expect(describeEventTimes(planned(), "running", START + 3 * MIN, clock).main).toBe(
      "started 3 min ago (01:00), ends 03:00 (in 1 h 57 min)",
    );
    expect(describeEventTimes(planned({ status: "ended" }), "ended", END + 10 * MIN, clock)).toEqual({
      main: "ended 10 min ago (03:00)",
      detail: "ran 01:00 – 03:00",
    });
    expect(
      describeEventTimes(
        planned({ status: "cancelled", cancelledAt: "2025-03-13T00:40:00Z" }),
        "cancelled",
        LEAD,
        clock,
      ),
    ).toEqual({ main: "cancelled 10 min ago (00:40)", detail: "was planned for 01:00 – 03:00" });
  });

  it("says there is no lead time when there is none", () => {
    expect(describeEventTimes(planned({ leadMinutes: 0 }), "scheduled", LEAD, clock).detail).toBe(
      "no lead time: capacity rises at the start",
    );
  });
});
