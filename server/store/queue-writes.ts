import "server-only";
import { type SqlDialect, sqlTimestamp } from "@/server/db/sql";
import type { Admission, Arrival, Removal } from "@/server/store/queue-store";

// The queue store's three hot writes (arrivals, admissions, removals), written once as
// generators of SQL statements. A runner executes them: synchronously on the SQLite
// connection with cached prepared statements (sqlite-direct.ts), or awaiting Prisma's raw
// queries inside an interactive transaction (PostgreSQL). Same statements, same checks, either way.

export type Statement = { text: string; params: unknown[]; result: "rows" | "changes" };
/** A write: yields statements, receives each one's rows or changed-row count, returns its result. */
export type Write<T> = Generator<Statement, T, unknown>;

/** Rows per multi-row statement at most; chunks are powers of two (few statement shapes to cache). */
const maxChunkRows = 512;
/** The Int columns are 32-bit: an unlimited capacity (passthrough) is clamped to this. */
const maxInt32 = 2_147_483_647;

export function runSync<T>(write: Write<T>, execute: (statement: Statement) => unknown): T {
  let step = write.next();
  while (!step.done) step = write.next(execute(step.value));
  return step.value;
}

export async function runAsync<T>(write: Write<T>, execute: (statement: Statement) => Promise<unknown>): Promise<T> {
  let step = write.next();
  while (!step.done) step = write.next(await execute(step.value));
  return step.value;
}

/** New places at the end of a room's line; returns their place numbers (seq), in order. */
export function* enterWrite(dialect: SqlDialect, roomId: string, arrivals: Arrival[]): Write<number[]> {
  const n = arrivals.length;
  // The atomic counter hands out the places.
  const counters = (yield rows(
    dialect,
    `UPDATE "RoomCounters" SET "nextSeq" = "nextSeq" + ?, "arrivedTotal" = "arrivedTotal" + ? WHERE "roomId" = ? RETURNING "nextSeq"`,
    [n, n, roomId],
  )) as { nextSeq: number | bigint }[];
  const [row] = counters;
  if (!row) throw new Error(`no counters for room ${roomId}`);
  const first = Number(row.nextSeq) - n;
  let offset = 0;
  for (const chunk of powerOfTwoChunks(arrivals)) {
    const values = chunk.map(() => "(?, ?, ?, 'waiting', ?, ?)").join(", ");
    yield changes(
      dialect,
      `INSERT INTO "QueueEntry" ("id", "roomId", "seq", "state", "initialAhead", "enteredAt") VALUES ${values}`,
      chunk.flatMap((a, i) => [a.id, roomId, first + offset + i, a.initialAhead, sqlTimestamp(a.enteredAtMs)]),
    );
    offset += chunk.length;
  }
  return arrivals.map((_, i) => first + i);
}

/**
 * Admits entries that are all still waiting, if the room's active count leaves room for them
 * under `capacity`. Returns a conflict message (nothing written), or null once written.
 */
export function* admitWrite(
  dialect: SqlDialect,
  roomId: string,
  admissions: Admission[],
  capacity: number,
): Write<string | null> {
  const n = admissions.length;
  let waiting = 0;
  for (const chunk of powerOfTwoChunks(admissions)) {
    for (const row of yield* entriesById(
      dialect,
      chunk.map((a) => a.id),
    )) {
      if (row.roomId === roomId && row.state === "waiting") waiting++;
    }
  }
  if (waiting !== n) return `only ${waiting} of ${n} entries are still waiting`;
  let lastNo = 0;
  for (const a of admissions) lastNo = Math.max(lastNo, a.admissionNo);
  const grown = (yield changes(
    dialect,
    `UPDATE "RoomCounters" SET "active" = "active" + ?, "admittedTotal" = "admittedTotal" + ?, "nextAdmission" = ? WHERE "roomId" = ? AND "active" <= ?`,
    [n, n, lastNo + 1, roomId, Math.min(capacity, maxInt32) - n],
  )) as number;
  if (grown !== 1) return `admitting ${n} would exceed capacity ${capacity}`;
  for (const chunk of powerOfTwoChunks(admissions)) {
    // CASE branches give PostgreSQL no column to infer a type from: the values are cast.
    const numbers = chunk.map(() => "WHEN ? THEN CAST(? AS INTEGER)").join(" ");
    const times = chunk.map(() => `WHEN ? THEN ${dialect.timestampParam}`).join(" ");
    yield changes(
      dialect,
      `UPDATE "QueueEntry" SET "state" = 'admitted', "admissionNo" = CASE "id" ${numbers} END, "admittedAt" = CASE "id" ${times} END WHERE "id" IN (${marks(chunk)})`,
      [
        ...chunk.flatMap((a) => [a.id, a.admissionNo]),
        ...chunk.flatMap((a) => [a.id, sqlTimestamp(a.admittedAtMs)]),
        ...chunk.map((a) => a.id),
      ],
    );
  }
  return null;
}

/**
 * Removes entries, counting why. The stored state, not the caller's belief, decides what the
 * active count loses; a removal filed twice (a retry) or of an entry already gone counts nothing.
 */
export function* removeWrite(dialect: SqlDialect, roomId: string, removals: Removal[]): Write<void> {
  const stateOf = new Map<string, string>();
  for (const chunk of powerOfTwoChunks(removals)) {
    const found = (yield* entriesById(
      dialect,
      chunk.map((r) => r.id),
    )).filter((row) => row.roomId === roomId);
    if (!found.length) continue;
    for (const row of found) stateOf.set(row.id, row.state);
    const ids = found.map((row) => row.id);
    // Found rows are at most the chunk's: the DELETE has a power-of-two shape or fewer rows.
    for (const part of powerOfTwoChunks(ids)) {
      yield changes(dialect, `DELETE FROM "QueueEntry" WHERE "id" IN (${marks(part)})`, part);
    }
  }
  const removed = new Map(removals.filter((r) => stateOf.has(r.id)).map((r) => [r.id, r.reason]));
  if (!removed.size) return;
  const count = (reason: Removal["reason"]) => [...removed.values()].filter((r) => r === reason).length;
  const admitted = [...removed.keys()].filter((id) => stateOf.get(id) === "admitted").length;
  yield changes(
    dialect,
    `UPDATE "RoomCounters" SET "active" = "active" - ?, "expiredTotal" = "expiredTotal" + ?, "leftTotal" = "leftTotal" + ?, "evictedTotal" = "evictedTotal" + ? WHERE "roomId" = ?`,
    [admitted, count("expired"), count("left"), count("evicted"), roomId],
  );
}

/**
 * Entries by primary key only, filtered here. With the room or state in the WHERE clause,
 * SQLite's planner (no statistics) preferred the former (roomId, state) index for lists of
 * more than a few ids and scanned every waiting entry of the room: 2-3 ms per admission under
 * a line of 10,000. The test of the query plans keeps it so.
 */
function* entriesById(dialect: SqlDialect, ids: string[]): Write<{ id: string; roomId: string; state: string }[]> {
  return (yield rows(
    dialect,
    `SELECT "id", "roomId", "state" FROM "QueueEntry" WHERE "id" IN (${marks(ids)})`,
    ids,
  )) as {
    id: string;
    roomId: string;
    state: string;
  }[];
}

/** Splits into chunks whose sizes are powers of two, largest first (≤ maxChunkRows each). */
export function powerOfTwoChunks<T>(items: T[]): T[][] {
  const out: T[][] = [];
  let start = 0;
  while (start < items.length) {
    let size = maxChunkRows;
    while (size > items.length - start) size >>= 1;
    out.push(items.slice(start, start + size));
    start += size;
  }
  return out;
}

function marks(items: unknown[]): string {
  return items.map(() => "?").join(",");
}

function rows(dialect: SqlDialect, text: string, params: unknown[]): Statement {
  return { text: dialect.sql(text), params, result: "rows" };
}

function changes(dialect: SqlDialect, text: string, params: unknown[]): Statement {
  return { text: dialect.sql(text), params, result: "changes" };
}
