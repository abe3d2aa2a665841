import { describe, expect, it } from "vitest";
import type { CapacityPlanResponse, SurgeRecord } from "@/server/admin/admin-types";
import { applyingSource, capacitySummary, capacityWithoutSurge, describeSource, raiseLine } from "./capacity-plan";

const clock = (iso: string) => iso.slice(11, 16);

const surge: SurgeRecord = {
  id: "s1",
  roomId: "shop",
  capacity: 800,
  startedAt: "2025-03-12T10:00:00Z",
  holdUntil: "2025-03-12T10:30:00Z",
  extensions: 0,
  startedBy: "api-key:push",
  endedAt: null,
  endReason: null,
};

const base: CapacityPlanResponse = {
  roomId: "shop",
  baseCapacity: 100,
  effectiveCapacity: 100,
  sources: [],
  surge: null,
  policy: null,
  preQueue: null,
};

const withEvent: CapacityPlanResponse = {
  ...base,
  effectiveCapacity: 500,
  sources: [{ kind: "event", capacity: 500, eventId: "e1", name: "Spring sale", until: "2025-03-12T19:00:00Z" }],
};

const withSurge: CapacityPlanResponse = {
  ...withEvent,
  effectiveCapacity: 800,
  surge,
  sources: [{ kind: "surge", capacity: 800, surgeId: "s1", until: "2025-03-12T10:30:00Z" }, ...withEvent.sources],
};

describe("capacitySummary", () => {
  it.each([
    [base, "Base 100: no event or surge raises it now"],
    [withEvent, "Effective 500 — event “Spring sale” until 19:00; base 100"],
    [withSurge, "Effective 800 — surge until 10:30; base 100"],
    // An event below the base raises nothing: the base applies.
    [{ ...withEvent, baseCapacity: 600, effectiveCapacity: 600 }, "Base 600: no event or surge raises it now"],
    [{ ...base, sources: [{ kind: "base", capacity: 100 }] }, "Base 100: no event or surge raises it now"],
  ] as const)("%#: %s", (plan, text) => {
    expect(capacitySummary(plan as CapacityPlanResponse, clock)).toBe(text);
  });
});

describe("sources", () => {
  it("names each kind", () => {
    expect(describeSource({ kind: "base", capacity: 100 }, clock)).toBe("base capacity");
    expect(describeSource({ kind: "surge", capacity: 9, surgeId: "s", until: "2025-03-12T11:45:00Z" }, clock)).toBe(
      "surge until 11:45",
    );
  });

  it("takes the first raising source as the one that applies", () => {
    expect(applyingSource(withSurge)?.kind).toBe("surge");
    expect(applyingSource(base)).toBeNull();
  });

  it("says on a card what raises it, or nothing", () => {
    expect(raiseLine(withEvent, clock)).toBe("base 100 · event “Spring sale” until 19:00");
    expect(raiseLine(base, clock)).toBeNull();
  });

  it("falls back to the highest event, else the base, once a surge ends", () => {
    expect(capacityWithoutSurge(withSurge)).toBe(500);
    expect(capacityWithoutSurge({ ...withSurge, sources: withSurge.sources.slice(0, 1) })).toBe(100);
  });
});
