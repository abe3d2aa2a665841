import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { createPlaceReferences } from "@/server/queue/place-reference";
import { RoomState } from "@/server/queue/room-state";
import type { RoomConfig } from "@/server/queue/types";
import type { RoomCounters } from "@/server/store/queue-store";
import { testRoom } from "@/server/testing/room-fixture";

const references = createPlaceReferences(new Uint8Array(32)).forRoom("test");
const counters: RoomCounters = {
  nextSeq: 1,
  nextAdmission: 1,
  arrivedTotal: 0,
  admittedTotal: 0,
  expiredTotal: 0,
  leftTotal: 0,
  evictedTotal: 0,
  active: 0,
};
const nowMs = 10_000_000;

/**
 * A room with `inside` visitors admitted `spacingMs` apart (the newest just now), `waiting` in
 * line, and `measured` past visits of `visitMs` each (admitted within the window).
 */
function room(
  config: Partial<RoomConfig>,
  { inside = 10, spacingMs = 6_000, waiting = 100, measured = 50, visitMs = 60_000 } = {},
): RoomState {
  const state = new RoomState(testRoom(config), counters, nowMs - 300_000, 300_000, 100, references);
  let seq = 1;
  for (let i = inside - 1; i >= 0; i--, seq++) {
    const admittedAtMs = nowMs - i * spacingMs;
    state.restore(
      {
        id: `in${seq}`,
        seq,
        state: "admitted",
        initialAhead: 0,
        enteredAtMs: admittedAtMs,
        admittedAtMs,
        admissionNo: seq,
      },
      nowMs,
    );
  }
  for (let i = 0; i < waiting; i++, seq++) {
    state.restore(
      {
        id: `w${seq}`,
        seq,
        state: "waiting",
        initialAhead: 0,
        enteredAtMs: nowMs,
        admittedAtMs: null,
        admissionNo: null,
      },
      nowMs,
    );
  }
  for (let i = 0; i < measured; i++) {
    const admittedAtMs = nowMs - 200_000 + i * 1_000;
    state.visitLengths.record(admittedAtMs, admittedAtMs + visitMs, 1);
  }
  return state;
}

const eta = (state: RoomState, position: number, at = nowMs) => state.etaSeconds(position, at) as number;

describe("the wait estimate", () => {
  it("tells the visitor at #k when the k-th slot frees, and further back, in waves", () => {
    // Ten inside, admitted 6 s apart, every visit 60 s: the oldest ends in 6 s, the next 6 s later.
    const state = room({ capacity: 10 });
    expect(eta(state, 1)).toBeCloseTo(6, -0.5);
    expect(eta(state, 3)).toBeCloseTo(18, -0.5);
    expect(eta(state, 10)).toBeCloseTo(60, -0.5);
    // #11 takes the slot #1 took, one visit later.
    expect(eta(state, 11)).toBeCloseTo(66, -0.5);
    expect(eta(state, 31)).toBeCloseTo(186, -0.5);
  });

  it("follows a capacity raise and a cut at once, and the pace shown beside it with them", () => {
    const state = room({ capacity: 10 });
    const before = eta(state, 40);
    expect(state.statusOf(state.waitingAt(40) as never, nowMs).admissionsPerMinute).toBe(10);
    state.applyConfig({ ...state.config, capacity: 20 });
    // Ten go in now; the 40th waits for 30 slots to free among 20, not among 10.
    expect(eta(state, 40)).toBeLessThan(before * 0.7);
    expect(state.statusOf(state.waitingAt(40) as never, nowMs).admissionsPerMinute).toBe(20);
    state.applyConfig({ ...state.config, capacity: 5 });
    // A cut: five must leave before anyone goes in, then five slots turn over.
    expect(eta(state, 1)).toBeCloseTo(36, -0.5);
    expect(eta(state, 40)).toBeGreaterThan(before * 1.5);
    expect(state.statusOf(state.waitingAt(40) as never, nowMs).admissionsPerMinute).toBe(5);
  });

  it("does not count visitors let straight in as slots that freed", () => {
    // Ten just let in, nothing ever ended, no typical visit: nobody can say when a slot frees.
    const fresh = room({ capacity: 10 }, { spacingMs: 0, measured: 0 });
    expect(fresh.etaSeconds(1, nowMs)).toBeNull();
    // With a typical visit of a minute, the first slot frees no sooner than half of one.
    const told = room({ capacity: 10, typicalVisitSeconds: 60 }, { spacingMs: 0, measured: 0 });
    expect(eta(told, 1)).toBeGreaterThanOrEqual(30);
  });

  it("follows a new session limit and a new-users limit at once", () => {
    const state = room({ capacity: 10 });
    const before = eta(state, 30);
    state.applyConfig({ ...state.config, sessionDurationSeconds: 30 });
    // Visits end at 30 s at the latest: half the old estimate or less.
    expect(eta(state, 30)).toBeLessThanOrEqual(Math.ceil(before / 2) + 1);
    state.applyConfig({ ...state.config, sessionDurationSeconds: null, newUsersPerMinute: 2 });
    // 2 a minute: the 30th goes in 15 minutes from now at the earliest.
    expect(eta(state, 30)).toBeGreaterThanOrEqual(15 * 60 - 60);
  });

  it("allows for those ahead who give up, up to half of them", () => {
    const state = room({ capacity: 10 });
    const before = eta(state, 100);
    // Of those who left the line lately, 40 gave up and 60 had their turn.
    for (let i = 0; i < 40; i++) state.drop(state.waitingAt(1) as never, "expired", nowMs);
    for (let i = 0; i < 60; i++) state.noteServed({ enteredAtMs: nowMs - 60_000 } as never, nowMs);
    const after = eta(state, 60, nowMs + 1_000);
    expect(after).toBeLessThan(before);
    expect(after).toBeGreaterThan(before * 0.5 * 0.5);
  });

  it("never tells someone further back a shorter wait (property)", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 50 }),
        fc.integer({ min: 0, max: 60 }),
        fc.integer({ min: 0, max: 20_000 }),
        fc.integer({ min: 5_000, max: 300_000 }),
        fc.integer({ min: 1, max: 300 }),
        fc.option(fc.integer({ min: 5, max: 600 }), { nil: null }),
        (capacity, inside, spacingMs, visitMs, position, typicalVisitSeconds) => {
          const state = room({ capacity, typicalVisitSeconds }, { inside, spacingMs, waiting: 0, visitMs });
          const here = state.etaSeconds(position, nowMs);
          const behind = state.etaSeconds(position + 1, nowMs);
          // Unknown (most visits last longer than any seen yet) is unknown for everyone behind too.
          if (here === null) return;
          expect(behind).not.toBeNull();
          expect(behind as number).toBeGreaterThanOrEqual(here);
        },
      ),
    );
  });
});
