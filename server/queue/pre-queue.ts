import "server-only";
import { createHmac } from "node:crypto";
import type { RoomState } from "@/server/queue/room-state";
import type { PreQueue, Visitor } from "@/server/queue/visitor";

// A room's pre-queue (a scale event with a draw): between the event's lead and its start,
// arrivals are held without an order; at the start they take their places in an order drawn
// from the event's seed. Plain functions over RoomState; only the engine calls them.

/**
 * Opens (or re-opens after a restart) the pre-queue: from now on arrivals are held, and so
 * are those already in line who arrived in [opensAtMs, startsAtMs). The same window again
 * changes nothing.
 */
export function openPreQueue(room: RoomState, opensAtMs: number, startsAtMs: number): void {
  const preQueue = room.preQueue ?? { opensAtMs, startsAtMs, members: new Set<Visitor>() };
  preQueue.opensAtMs = opensAtMs;
  preQueue.startsAtMs = startsAtMs;
  room.preQueue = preQueue;
  const late: Visitor[] = [];
  for (const { item } of room.line) {
    if (item.enteredAtMs >= opensAtMs && item.enteredAtMs < startsAtMs) late.push(item);
  }
  for (const visitor of late) {
    room.line.remove(visitor.place);
    visitor.held = true;
    preQueue.members.add(visitor);
  }
}

/** Holds a new arrival while the pre-queue is open; false when there is none. */
export function holdArrival(room: RoomState, visitor: Visitor): boolean {
  if (!room.preQueue) return false;
  visitor.held = true;
  room.preQueue.members.add(visitor);
  return true;
}

/**
 * Releases the pre-queue into the line. With a seed, those who arrived before the start take
 * the places the pre-queue holds in an order drawn from the seed: a keyed hash of each
 * visitor id, so the same seed gives the same order to whoever is still there (a restart
 * re-applies it exactly). Later arrivals keep their places, behind all of them. Returns how
 * many were shuffled.
 */
export function releasePreQueue(room: RoomState, seed: string | null): number {
  const preQueue = room.preQueue;
  if (!preQueue) return 0;
  room.preQueue = null;
  const members = [...preQueue.members];
  const early = seed ? members.filter((v) => v.enteredAtMs < preQueue.startsAtMs) : [];
  if (seed && early.length > 1) {
    const places = early.map((v) => v.place).sort((a, b) => a - b);
    const keyed = early.map((visitor) => ({
      visitor,
      key: createHmac("sha256", seed).update(visitor.id).digest("hex"),
    }));
    keyed.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    keyed.forEach(({ visitor }, i) => {
      visitor.place = places[i] as number;
    });
  }
  for (const visitor of members) {
    visitor.held = false;
    room.line.insert(visitor.place, visitor);
  }
  return early.length;
}

/** A pre-queue member's index in arrival order: O(k), for the console only. */
export function heldIndex(preQueue: PreQueue | null, visitor: Visitor): number {
  let index = 0;
  for (const other of preQueue?.members ?? []) {
    if (other === visitor) return index;
    index++;
  }
  return index;
}
