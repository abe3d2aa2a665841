import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { attribute, breakEvenWait, costModel, type UnitTotals, unitsAtWait } from "@/bench/cost-model";
import type { DynamoCounters } from "@/bench/dynamo";
import { frontEventNames } from "@/server/testing/dynalite-billing";

const count = (requests: number, items: number, writeUnits: number, readUnits = 0) => ({
  requests,
  items,
  writeUnits,
  readUnits,
});

/**
 * A window as the front counts it: 10 arrivals one at a time (a place reservation and a put
 * each), a batch of 10 (one reservation, one transaction), 10 admissions, 10 removals, a lease read.
 */
function windowCounters(): DynamoCounters {
  return {
    sinceMs: 0,
    atMs: 60_000,
    requests: 54,
    writeUnits: 121,
    readUnits: 11,
    operations: {
      UpdateItem: count(11, 11, 11),
      PutItem: count(10, 10, 10),
      TransactWriteItems: count(21, 50, 100),
      BatchGetItem: count(10, 10, 0, 10),
      GetItem: count(2, 2, 0, 1),
    },
    transactionShapes: {
      Put: count(1, 10, 20),
      Update: count(10, 20, 40),
      "Delete+Update": count(10, 20, 40),
    },
    transactionItems: {},
    cancelledTransactions: 0,
    events: Object.fromEntries(frontEventNames.map((name) => [name, 0])) as DynamoCounters["events"],
  };
}

const units = (writeUnits: number, readUnits = 0, requests = 0): UnitTotals => ({ requests, writeUnits, readUnits });

describe("attribute", () => {
  it("pays each request to the work its shape belongs to; what no visit paid for is background", () => {
    const a = attribute(windowCounters());
    expect(a.arrivals).toEqual({ requests: 22, writeUnits: 41, readUnits: 0 });
    expect(a.admissions).toEqual({ requests: 10, writeUnits: 40, readUnits: 0 });
    expect(a.removals).toEqual({ requests: 20, writeUnits: 40, readUnits: 10 });
    expect(a.other).toEqual({ requests: 2, writeUnits: 0, readUnits: 1 });
  });
});

describe("the cost as a function of the wait", () => {
  it("is per visit ÷ wait + background", () => {
    const at = unitsAtWait(units(11, 1), units(0.05), 10);
    expect(at.writeUnits).toBeCloseTo(1.15, 10);
    expect(at.readUnits).toBeCloseTo(0.1, 10);
  });

  it("the break-even wait gives exactly the goal, and never exists when the background alone reaches it", () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0.1, max: 100, noNaN: true }),
        fc.double({ min: 0, max: 0.99, noNaN: true }),
        (perVisit, background) => {
          const wait = breakEvenWait(perVisit, background, 1);
          expect(wait).not.toBeNull();
          expect(unitsAtWait(units(perVisit), units(background), wait as number).writeUnits).toBeCloseTo(1, 9);
          expect(unitsAtWait(units(perVisit), units(background), (wait as number) * 1.01).writeUnits).toBeLessThan(1);
        },
      ),
    );
    expect(breakEvenWait(10, 1, 1)).toBeNull();
    expect(breakEvenWait(10, 2, 1)).toBeNull();
  });

  it("matches a steady line counted request by request (Little's law)", () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0.5, max: 600, noNaN: true }), // arrivals per minute
        fc.double({ min: 0.5, max: 120, noNaN: true }), // mean wait, minutes
        fc.double({ min: 0, max: 60, noNaN: true }), // background units per minute
        fc.double({ min: 1, max: 20, noNaN: true }), // window, minutes
        (perMinute, wait, backgroundPerMinute, minutes) => {
          const perVisit = units(3 + 4 + 4, 1);
          const line = perMinute * wait;
          // Every write of the window: each visit's own, and the room's background.
          const windowWrites = perMinute * minutes * perVisit.writeUnits + backgroundPerMinute * minutes;
          const measured = windowWrites / (line * minutes);
          const model = costModel({
            perVisit,
            background: units(backgroundPerMinute * minutes),
            windowMinutes: minutes,
            idlePerMinute: units(0),
            meanWaiting: line,
            waits: [wait],
            goalWriteUnits: 1,
          });
          expect(model.atWaits[0]?.perWaitingVisitorMinute.writeUnits).toBeCloseTo(measured, 9);
        },
      ),
    );
  });

  it("reports idle work beside the figures and never takes it off them", () => {
    const model = costModel({
      perVisit: units(10),
      background: units(6),
      windowMinutes: 2,
      idlePerMinute: units(3),
      meanWaiting: 1_000,
      waits: [2, 10, 30],
      goalWriteUnits: 1,
    });
    expect(model.idlePerMinute.writeUnits).toBe(3);
    expect(model.backgroundPerMinute.writeUnits).toBe(3);
    expect(model.backgroundPerWaitingVisitorMinute.writeUnits).toBeCloseTo(0.003, 12);
    expect(model.atWaits.map((w) => w.perWaitingVisitorMinute.writeUnits)).toEqual([
      10 / 2 + 0.003,
      10 / 10 + 0.003,
      10 / 30 + 0.003,
    ]);
    expect(model.breakEvenWaitMinutes).toBeCloseTo(10 / 0.997, 9);
  });
});
