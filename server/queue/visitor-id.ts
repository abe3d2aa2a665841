import "server-only";
import { randomFillSync } from "node:crypto";

// Visitor ids: 22 characters of the base64url alphabet, in one of two orders, as the queue
// store's keys want them (QueueStore.idOrder):
// - `newVisitorId`: the first 8 spell the arrival's millisecond (48 bits) in an alphabet whose
//   code points ascend, so ids sort by arrival time as SQLite compares text (byte order); the
//   last 14 carry 84 bits from the CSPRNG.
// - `newRandomVisitorId`: 128 bits from the CSPRNG. DynamoDB keys entries by visitor id
//   within a room's partition and splits a hot partition by sort key range, which ascending
//   keys would defeat (every write at the end).
//
// Why time first for SQLite: the id is the queue entry's primary key. Random keys put each arrival's
// index entry on a random page of the key's B-tree, so a group commit of 50 arrivals dirtied
// about 50 pages (200 KB of WAL at 4 KiB a page): 48 µs an arrival against 15 µs when keys
// ascend and every arrival lands on the index's last page (scripts measured 200,000 inserts in
// commits of 32). The 84 random bits keep ids unguessable and unique within a millisecond.
//
// The random bytes come from a pool filled 4 KiB at a time: one sync random call per arrival
// showed as 5.5% of the server's CPU in a flash crowd; one call per ~370 arrivals costs nothing.
// Bytes are handed out once and never reused.

/** Base64url's 64 characters in ascending code-point order: text order is numeric order. */
const sortable = "-0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz";
const timeChars = 8;
const randomChars = 14;
/** 11 bytes spell 15 base64url characters; the first 14 are taken (84 bits). */
const randomBytesPerId = 11;
const pool = Buffer.allocUnsafe(randomBytesPerId * 372);
let offset = pool.length;

let lastMs = -1;
let lastPrefix = "";

export function newVisitorId(nowMs: number = Date.now()): string {
  if (offset + randomBytesPerId > pool.length) {
    randomFillSync(pool);
    offset = 0;
  }
  const random = pool.toString("base64url", offset, offset + randomBytesPerId).slice(0, randomChars);
  offset += randomBytesPerId;
  return timePrefix(nowMs) + random;
}

/** 16 random bytes (base64url, 22 characters). */
export function newRandomVisitorId(): string {
  if (offset + 16 > pool.length) {
    randomFillSync(pool);
    offset = 0;
  }
  const id = pool.toString("base64url", offset, offset + 16);
  offset += 16;
  return id;
}

/** The 8 leading characters for a millisecond (cached: arrivals come many to a millisecond). */
function timePrefix(ms: number): string {
  if (ms === lastMs) return lastPrefix;
  let rest = Math.max(0, Math.floor(ms));
  let prefix = "";
  for (let i = 0; i < timeChars; i++) {
    prefix = (sortable[rest % 64] as string) + prefix;
    rest = Math.floor(rest / 64);
  }
  lastMs = ms;
  lastPrefix = prefix;
  return prefix;
}
