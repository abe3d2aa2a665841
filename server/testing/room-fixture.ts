import { emptyBranding } from "@/server/queue/branding";
import type { RoomConfig } from "@/server/queue/types";

// Test helpers that need no database: a room's settings, a repeatable random source, a clock
// that tests move. engine-fixture.ts builds engines on top of them.

export const testRoom = (overrides: Partial<RoomConfig> = {}): RoomConfig => ({
  id: "test",
  name: "Test room",
  capacity: 2,
  heartbeatIntervalMs: 5_000,
  heartbeatTimeoutMs: 20_000,
  maxQueueLength: 1_000,
  mode: "fifo",
  protectedPaths: ["/shop"],
  newUsersPerMinute: null,
  sessionDurationSeconds: null,
  sessionRenewal: false,
  typicalVisitSeconds: null,
  bypassCidrs: [],
  bypassApiKeys: false,
  bypassUncounted: false,
  challenge: "off",
  challengeDifficulty: 50_000,
  blockedCidrs: [],
  infiniteLine: false,
  defaultLanguage: null,
  branding: emptyBranding,
  ...overrides,
});

/** A seeded uniform [0, 1) source (Park-Miller): random admission that a test can repeat. */
export function seededRandom(seed = 7): () => number {
  let state = seed;
  return () => {
    state = (state * 16807) % 2147483647;
    return (state - 1) / 2147483646;
  };
}

/** A manual clock: tests move time, nothing sleeps. */
export class ManualClock {
  constructor(public nowMs = 1_800_000_000_000) {}
  now = () => this.nowMs;
  advance(ms: number) {
    this.nowMs += ms;
  }
}
