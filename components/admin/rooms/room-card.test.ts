import { describe, expect, it } from "vitest";
import type { AdminRoom } from "@/server/admin/admin-types";
import { newcomerEta } from "./room-card";

// The card's newcomer estimate: a figure when there is one, and otherwise the reason there is
// none, never a bare "unknown" where the operator can do something about it.

function room(overrides: { eta: number | null; mode?: AdminRoom["mode"]; capacity?: number; typical?: number | null }) {
  return {
    mode: overrides.mode ?? "fifo",
    typicalVisitSeconds: overrides.typical ?? null,
    stats: { capacity: overrides.capacity ?? 10, etaSecondsForNewcomer: overrides.eta },
  } as unknown as AdminRoom;
}

describe("newcomerEta", () => {
  it("shows the estimate when there is one", () => {
    expect(newcomerEta(room({ eta: 185 }))).toEqual({ value: "3 min 05 s" });
  });

  it("says on hold when nobody is let in", () => {
    expect(newcomerEta(room({ eta: null, mode: "closed" })).value).toBe("on hold");
    expect(newcomerEta(room({ eta: null, capacity: 0 })).value).toBe("on hold");
  });

  it("says estimating, and how to estimate sooner, when no typical visit is set", () => {
    const shown = newcomerEta(room({ eta: null }));
    expect(shown).toMatchObject({ value: "estimating", unknown: true });
    expect(shown.hint).toMatch(/typical visit/);
  });

  it("stays unknown otherwise, never 0", () => {
    expect(newcomerEta(room({ eta: null, typical: 600 }))).toMatchObject({ value: "unknown", unknown: true });
  });
});
