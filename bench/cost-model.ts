import type { DynamoCounters } from "@/bench/dynamo";

// What a waiting room costs on DynamoDB, as a function of the wait. A visit pays a fixed number
// of write units (arrival + admission + removal) whatever its length, and the room pays for its
// background work by the minute whatever the number of visitors; heartbeats pay nothing. So per
// waiting visitor-minute:
//
//   units(wait) = per visit ÷ wait + background per minute ÷ visitors waiting
//
// Both parts are measured in the cost scenario (by transaction shape and from the front's
// counters); the figures at other waits are computed from them, not run.

/** The design goal: at most 1 write unit per waiting visitor-minute (it holds above a wait: breakEvenWait). */
export const writeUnitsPerWaitingMinuteGoal = 1;

export type UnitTotals = { requests: number; writeUnits: number; readUnits: number };

export type Attribution = Record<"arrivals" | "admissions" | "removals" | "other", UnitTotals>;

type UnitCount = DynamoCounters["operations"][string];

const zero = (): UnitTotals => ({ requests: 0, writeUnits: 0, readUnits: 0 });

/**
 * Which work paid for what. Transactions by the kinds of their items: with a Put, arrivals
 * (the places written); with a Delete, removals (entry deleted, counters updated); with
 * Updates only, admissions (entries and counters). Plain UpdateItem: the arrivals' place
 * reservation (nextSeq); plain PutItem: a lone arrival's entry; BatchGetItem: the removals'
 * state reads. Anything else: other (the room's background work). A ConditionCheck rides with
 * the transaction it fences.
 */
export function attribute(c: DynamoCounters): Attribution {
  const groups: Attribution = { arrivals: zero(), admissions: zero(), removals: zero(), other: zero() };
  const add = (group: keyof Attribution, count: UnitCount) => {
    groups[group].requests += count.requests;
    groups[group].writeUnits += count.writeUnits;
    groups[group].readUnits += count.readUnits;
  };
  for (const [shape, count] of Object.entries(c.transactionShapes)) {
    const kinds = shape.split("+");
    add(
      kinds.includes("Put")
        ? "arrivals"
        : kinds.includes("Delete")
          ? "removals"
          : kinds.includes("Update")
            ? "admissions"
            : "other",
      count,
    );
  }
  for (const [operation, count] of Object.entries(c.operations)) {
    if (operation === "TransactWriteItems") continue;
    const arrivals = operation === "UpdateItem" || operation === "PutItem";
    add(arrivals ? "arrivals" : operation === "BatchGetItem" ? "removals" : "other", count);
  }
  return groups;
}

/** Items written: every transaction item and every plain write's items. */
export function itemWrites(c: DynamoCounters): number {
  let items = 0;
  for (const [operation, count] of Object.entries(c.operations)) {
    if (["TransactWriteItems", "PutItem", "UpdateItem", "DeleteItem", "BatchWriteItem"].includes(operation)) {
      items += count.items;
    }
  }
  return items;
}

export type CostModel = {
  /** One admitted visit end to end (arrival + admission + removal), whatever its length. */
  perVisit: UnitTotals;
  /** Work no visit paid for (attribution "other"), per minute of the window. */
  backgroundPerMinute: UnitTotals;
  /** The idle app (nobody in line), per minute: measured before the crowd, never subtracted. */
  idlePerMinute: UnitTotals;
  /** Mean number waiting in the window: spreads the background over visitor-minutes. */
  meanWaiting: number;
  /** Background per waiting visitor-minute at that line. */
  backgroundPerWaitingVisitorMinute: UnitTotals;
  /** Computed, not run: per waiting visitor-minute at these mean waits. */
  atWaits: { waitMinutes: number; perWaitingVisitorMinute: UnitTotals }[];
  /** The mean wait above which a waiting visitor-minute costs at most the goal; null if never. */
  breakEvenWaitMinutes: number | null;
};

/** Per waiting visitor-minute at a given mean wait, from the fixed and background parts. */
export function unitsAtWait(
  perVisit: UnitTotals,
  backgroundPerWaitingVisitorMinute: UnitTotals,
  waitMinutes: number,
): UnitTotals {
  const part = (pick: (t: UnitTotals) => number) =>
    pick(perVisit) / waitMinutes + pick(backgroundPerWaitingVisitorMinute);
  return {
    requests: part((t) => t.requests),
    writeUnits: part((t) => t.writeUnits),
    readUnits: part((t) => t.readUnits),
  };
}

/**
 * The wait at which per visit ÷ wait + background = goal: above it a waiting visitor-minute
 * costs at most `goal` write units. Null when the background alone reaches the goal.
 */
export function breakEvenWait(perVisitWriteUnits: number, backgroundWriteUnits: number, goal: number): number | null {
  const room = goal - backgroundWriteUnits;
  if (room <= 0) return null;
  return perVisitWriteUnits / room;
}

export function costModel(parts: {
  perVisit: UnitTotals;
  background: UnitTotals;
  windowMinutes: number;
  idlePerMinute: UnitTotals;
  meanWaiting: number;
  waits: number[];
  goalWriteUnits: number;
}): CostModel {
  const perMinute = (t: UnitTotals, minutes: number): UnitTotals =>
    minutes > 0
      ? { requests: t.requests / minutes, writeUnits: t.writeUnits / minutes, readUnits: t.readUnits / minutes }
      : zero();
  const backgroundPerMinute = perMinute(parts.background, parts.windowMinutes);
  // Background per waiting visitor-minute = (units per minute) ÷ (visitors waiting).
  const backgroundPerWaitingVisitorMinute =
    parts.meanWaiting > 0 ? perMinute(backgroundPerMinute, parts.meanWaiting) : zero();
  return {
    perVisit: parts.perVisit,
    backgroundPerMinute,
    idlePerMinute: parts.idlePerMinute,
    meanWaiting: parts.meanWaiting,
    backgroundPerWaitingVisitorMinute,
    atWaits: parts.waits.map((waitMinutes) => ({
      waitMinutes,
      perWaitingVisitorMinute: unitsAtWait(parts.perVisit, backgroundPerWaitingVisitorMinute, waitMinutes),
    })),
    breakEvenWaitMinutes: breakEvenWait(
      parts.perVisit.writeUnits,
      backgroundPerWaitingVisitorMinute.writeUnits,
      parts.goalWriteUnits,
    ),
  };
}
