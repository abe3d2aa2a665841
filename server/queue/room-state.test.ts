import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { createPlaceReferences } from "@/server/queue/place-reference";
import { RoomState } from "@/server/queue/room-state";
import { tokenKey, type Visitor } from "@/server/queue/visitor";
import type { RoomCounters, StoredEntry } from "@/server/store/queue-store";
import { seededRandom, testRoom } from "@/server/testing/engine-fixture";

const references = createPlaceReferences(new Uint8Array(32)).forRoom("default");
const counters: RoomCounters = {
  nextSeq: 1,
  nextAdmission: 1,
  arrivedTotal: 0,
  admittedTotal: 0,
  expiredTotal: 0,
  leftTotal: 0,
  evictedTotal: 4,
  active: 0,
};

const entry = (seq: number, admissionNo: number | null = null): StoredEntry => ({
  id: `v${seq}`,
  seq,
  state: admissionNo === null ? "waiting" : "admitted",
  initialAhead: 0,
  enteredAtMs: 1_000,
  admittedAtMs: admissionNo === null ? null : 2_000,
  admissionNo,
});

describe("RoomState", () => {
  it("keeps at most 10,000 waits between takes, a uniform sample of all of them", () => {
    const room = new RoomState(testRoom(), counters, 0, 60_000, 100, references);
    const random = seededRandom(3);
    for (let wait = 0; wait < 50_000; wait++) room.waits.record(wait, random);
    const samples = room.waits.take();
    expect(samples).toHaveLength(10_000);
    // Keeping only the first or the last 10,000 would put the mean near 5,000 or 45,000.
    const mean = samples.reduce((sum, w) => sum + w, 0) / samples.length;
    expect(mean).toBeGreaterThan(23_000);
    expect(mean).toBeLessThan(27_000);
    expect(room.waits.take()).toEqual([]);
    room.waits.record(7, random);
    expect(room.waits.take()).toEqual([7]);
  });

  it("restores the evicted count and forgets revocations once every token they cover has expired", () => {
    const room = new RoomState(testRoom({ heartbeatTimeoutMs: 20_000 }), counters, 0, 60_000, 100, references);
    for (const seq of [1, 2, 3]) room.restore(entry(seq, seq === 1 ? 1 : null), 0);
    expect(room.stats(0)).toMatchObject({ evictedTotal: 4, active: 1, waiting: 2 });
    for (const seq of [1, 2]) room.drop(room.visitors.get(`v${seq}`) as Visitor, "evicted", 1_000);
    room.drop(room.visitors.get("v3") as Visitor, "expired", 1_000);
    expect(room.stats(1_000)).toMatchObject({ evictedTotal: 6, expiredTotal: 1, active: 0, waiting: 0 });
    expect(room.isRevoked("v1", 20_999)).toBe(true);
    expect(room.isRevoked("v3", 1_000)).toBe(false);
    room.pruneRevoked(20_999);
    expect(room.revoked.size).toBe(2);
    room.pruneRevoked(21_000);
    expect(room.revoked.size).toBe(0);
    expect(room.isRevoked("v1", 21_000)).toBe(false);
  });

  it("tells the next N in line to hold: the busiest second's admissions for two intervals, plus free slots, floor and bound", () => {
    // Heartbeat every 5 s: two intervals are 10 s.
    const room = new RoomState(
      testRoom({ capacity: 50, heartbeatIntervalMs: 5_000 }),
      counters,
      0,
      60_000,
      100,
      references,
    );
    room.holdLookaheadMax = 2_000;
    for (let seq = 1; seq <= 50; seq++) room.restore(entry(seq, seq), 0);
    for (let seq = 51; seq <= 3_000; seq++) room.restore(entry(seq), 0);
    const statusAt = (position: number, nowMs: number) => room.statusOf(room.waitingAt(position) as Visitor, nowMs);
    // No admissions yet, room full: the floor.
    expect(room.holdLookahead(1_000)).toBe(10);
    expect(statusAt(10, 1_000).hold).toBe(true);
    expect(statusAt(11, 1_000).hold).toBe(false);
    // A burst of 12 in one second, then a trickle: 12/s for 10 s.
    room.admissions.record(2_500, 12);
    room.admissions.record(3_500, 1);
    expect(room.holdLookahead(4_000)).toBe(120);
    expect(statusAt(120, 4_000).hold).toBe(true);
    expect(statusAt(121, 4_000).hold).toBe(false);
    // A big burst: capped at the bound on held requests.
    room.admissions.record(5_000, 1_000);
    expect(room.holdLookahead(6_000)).toBe(2_000);
    // Holding off: nobody holds.
    room.holdLookaheadMax = 0;
    expect(statusAt(1, 7_000).hold).toBe(false);
  });

  it.each([
    { interval: 5_000, timeout: 20_000, spread: 500 },
    // A timeout just past the interval: at most a quarter of the 200 ms margin.
    { interval: 5_000, timeout: 5_200, spread: 50 },
  ])(
    "spreads the interval asked for around $interval ms (±$spread ms, mean unchanged), waiting and admitted",
    ({ interval, timeout, spread }) => {
      // Capacity 10, nobody admitted by rate: positions past 10 have no ETA and get the spread interval.
      const config = testRoom({ capacity: 10, heartbeatIntervalMs: interval, heartbeatTimeoutMs: timeout });
      const room = new RoomState(config, counters, 0, 60_000, 100, references);
      for (let seq = 1; seq <= 10; seq++) room.restore(entry(seq, seq), 0);
      for (let seq = 11; seq <= 20; seq++) room.restore(entry(seq), 0);
      const asked = (visitor: Visitor) => room.statusOf(visitor, 1_000).heartbeatIntervalMs;
      const admitted = room.visitors.get("v1") as Visitor;
      const waiting = room.waitingAt(5) as Visitor;
      const samples = Array.from({ length: 4_000 }, (_, i) => asked(i % 2 ? admitted : waiting));
      expect(Math.min(...samples)).toBeGreaterThanOrEqual(interval - spread);
      expect(Math.max(...samples)).toBeLessThanOrEqual(interval + spread);
      // Uses the whole range, evenly: each fifth of it gets a fifth of the answers, give or take.
      const fifths = new Map<number, number>();
      for (const ms of samples) {
        const fifth = Math.min(4, Math.floor(((ms - interval + spread) / (2 * spread)) * 5));
        fifths.set(fifth, (fifths.get(fifth) ?? 0) + 1);
      }
      expect(fifths.size).toBe(5);
      for (const count of fifths.values()) expect(count).toBeGreaterThan(600);
      const mean = samples.reduce((sum, ms) => sum + ms, 0) / samples.length;
      expect(Math.abs(mean - interval)).toBeLessThan(spread / 10);
    },
  );

  it("keys tokens by 30 bits of the signature: the five characters before the last", () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 32, maxLength: 32 }), fc.string({ maxLength: 150 }), (mac, head) => {
        const signature = Buffer.from(mac).toString("base64url");
        const bits = Buffer.from(`${signature.slice(-6, -1)}AAA`, "base64url").readUIntBE(0, 4) >>> 2;
        expect(tokenKey(`${head}.${signature}`)).toBe(bits);
      }),
    );
    expect(tokenKey("abcde")).toBe(-1);
    expect(tokenKey("head.sig+/==x")).toBe(-1);
    expect(tokenKey(`x.${"A".repeat(37)}é${"A".repeat(5)}`)).toBe(-1);
  });

  it("answers a lookup only for the whole token, and tokens sharing a key stay correct", () => {
    const room = new RoomState(testRoom(), counters, 0, 60_000, 100, references);
    for (const seq of [1, 2]) room.restore(entry(seq), 0);
    const [a, b] = [room.visitors.get("v1"), room.visitors.get("v2")] as Visitor[];
    // Different tokens whose key characters are the same.
    const tokenA = `aaaa.payload-a.${"Q".repeat(37)}KEYxyz0`;
    const tokenB = `bbbb.payload-b.${"R".repeat(37)}KEYxyz0`;
    expect(tokenKey(tokenA)).toBe(tokenKey(tokenB));
    room.indexToken(a as Visitor, tokenA);
    expect(room.visitorByToken(tokenA)).toBe(a);
    expect(room.visitorByToken(tokenB)).toBeUndefined();
    room.indexToken(b as Visitor, tokenB);
    // B holds the key now: A is found the slow way (verified), never as B, and B never as A.
    expect(room.visitorByToken(tokenB)).toBe(b);
    expect(room.visitorByToken(tokenA)).toBeUndefined();
    // Dropping A leaves B's key alone; dropping B empties the index.
    room.drop(a as Visitor, "left", 1_000);
    expect(room.visitorByToken(tokenB)).toBe(b);
    room.drop(b as Visitor, "left", 1_000);
    expect(room.byToken.size).toBe(0);
  });
});
