import "server-only";
import type { RoomConfig, RoomSettings } from "@/server/queue/types";

// The durable side of the queue. The engine keeps live state (heartbeats, positions) in
// memory and asks a store only for what must survive a crash: places handed out, admissions,
// removals, and room settings. Every write is conditional or an atomic increment, so a
// store shared by several engines (DynamoDB, later) cannot be raced into a bad state.

export type StoredEntry = {
  id: string;
  seq: number;
  state: "waiting" | "admitted";
  initialAhead: number;
  enteredAtMs: number;
  admittedAtMs: number | null;
  admissionNo: number | null;
};

export type RoomCounters = {
  nextSeq: number;
  nextAdmission: number;
  arrivedTotal: number;
  admittedTotal: number;
  expiredTotal: number;
  leftTotal: number;
  /** Removed by an operator (evict, drain). */
  evictedTotal: number;
  /** Admitted entries not yet removed: what the capacity condition is checked against. */
  active: number;
};

export type Arrival = { id: string; initialAhead: number; enteredAtMs: number };
export type Admission = { id: string; admissionNo: number; admittedAtMs: number };
export type RemovalReason = "expired" | "left" | "evicted";
export type Removal = { id: string; reason: RemovalReason };

/** A conditional write found the store not as the caller expected; nothing was written. */
export class StoreConflictError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "StoreConflictError";
  }
}

export interface QueueStore {
  /**
   * Most admissions this store writes in one atomic step (DynamoDB: 99, one transaction);
   * the engine never hands it more at once. Unset: no limit.
   */
  readonly maxAdmissionBatch?: number;
  /**
   * Which visitor ids suit this store's keys (server/queue/visitor-id.ts). "arrival": ids that
   * sort by arrival time, so a B-tree primary key takes appends (SQLite). Unset: random ids, so
   * a flood's writes spread over the key range (DynamoDB splits a hot room by sort key).
   */
  readonly idOrder?: "arrival";
  listRooms(): Promise<RoomConfig[]>;
  /** Creates the room (and its counters) unless it exists; returns the stored settings. */
  ensureRoom(room: RoomConfig): Promise<RoomConfig>;
  /** Creates the room with zeroed counters; StoreConflictError if the id is taken. */
  createRoom(room: RoomConfig): Promise<RoomConfig>;
  /**
   * Changes the given settings (undefined fields are kept); returns the whole stored room.
   * StoreConflictError if there is no such room. Ordered with the queue writes.
   */
  updateRoom(roomId: string, patch: Partial<RoomSettings>): Promise<RoomConfig>;
  /**
   * Deletes the room with its entries and counters; nothing if there is no such room.
   * Writes queued before it land first; writes for the room queued after it fail.
   */
  deleteRoom(roomId: string): Promise<void>;
  loadRoomState(roomId: string): Promise<{ counters: RoomCounters; entries: StoredEntry[] }>;
  /** Hands out consecutive places atomically and records the arrivals; seqs in input order. */
  enter(roomId: string, arrivals: Arrival[]): Promise<number[]>;
  /**
   * Marks waiting entries admitted, only if every one is still waiting and
   * active + admissions.length <= capacity; otherwise throws StoreConflictError.
   * Number.MAX_SAFE_INTEGER as capacity: no limit (passthrough), still only waiting entries.
   */
  admit(roomId: string, admissions: Admission[], capacity: number): Promise<void>;
  /** Removes entries (expired, left or evicted), counting why; missing ones are ignored. */
  remove(roomId: string, removals: Removal[]): Promise<void>;
  close(): Promise<void>;
}

/**
 * Just the settings a store keeps for a room, from a config or a patch (an id or anything else
 * riding along is left behind); fields left undefined in a patch stay undefined: not written.
 */
export function pickRoomSettings(settings: Partial<RoomSettings>): Partial<RoomSettings> {
  return {
    name: settings.name,
    capacity: settings.capacity,
    heartbeatIntervalMs: settings.heartbeatIntervalMs,
    heartbeatTimeoutMs: settings.heartbeatTimeoutMs,
    maxQueueLength: settings.maxQueueLength,
    mode: settings.mode,
    protectedPaths: settings.protectedPaths,
    newUsersPerMinute: settings.newUsersPerMinute,
    sessionDurationSeconds: settings.sessionDurationSeconds,
    sessionRenewal: settings.sessionRenewal,
    typicalVisitSeconds: settings.typicalVisitSeconds,
    bypassCidrs: settings.bypassCidrs,
    bypassApiKeys: settings.bypassApiKeys,
    bypassUncounted: settings.bypassUncounted,
    challenge: settings.challenge,
    challengeDifficulty: settings.challengeDifficulty,
    blockedCidrs: settings.blockedCidrs,
    infiniteLine: settings.infiniteLine,
    defaultLanguage: settings.defaultLanguage,
    branding: settings.branding,
  };
}
