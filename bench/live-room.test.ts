import { afterEach, describe, expect, it, vi } from "vitest";
import { LiveRotation } from "@/bench/live-room";
import { postOptions } from "@/bench/load";
import { expandCpuList } from "@/bench/pinning";

const visitors = (n: number) =>
  Array.from({ length: n }, (_, i) => postOptions("/api/queue/default/heartbeat", { authorization: `Bearer t${i}` }));
const settings = {
  capacityShare: 0.02,
  heartbeatIntervalMs: 5_000,
  heartbeatTimeoutMs: 10_000,
  admittedLeaveFraction: 1,
  abandonPerInterval: 0,
  seed: 1,
};
const waiting = Buffer.from('{"state":"waiting","position":3}');
const admitted = Buffer.from('{"state":"admitted","position":0}');

describe("LiveRotation", () => {
  it("heartbeats everyone round-robin; an admitted visitor leaves next and is not heartbeated again", () => {
    const rotation = new LiveRotation(visitors(3), settings);
    const paths = [0, 1, 2].map((n) => rotation.requestFor(n).headers);
    expect(paths).toEqual([
      { authorization: "Bearer t0" },
      { authorization: "Bearer t1" },
      { authorization: "Bearer t2" },
    ]);
    rotation.onReply(0, 200, waiting);
    rotation.onReply(1, 200, admitted);
    rotation.onReply(2, 200, waiting);
    const leave = rotation.requestFor(3);
    expect(leave.path).toBe("/api/queue/default/leave");
    expect(leave.headers).toEqual({ authorization: "Bearer t1" });
    rotation.onReply(3, 204, null);
    const next = [4, 5, 6].map((n) => (rotation.requestFor(n).headers as Record<string, string>).authorization);
    expect(next).toEqual(["Bearer t0", "Bearer t2", "Bearer t0"]);
    expect(rotation.heartbeating).toBe(2);
    expect(rotation.counts).toMatchObject({ heartbeats: 3, leaves: 1, admittedSeen: 1, wentSilentAdmitted: 0 });
  });

  it("a silent admitted visitor sends nothing more; a 410 is counted and the visitor dropped", () => {
    const rotation = new LiveRotation(visitors(2), { ...settings, admittedLeaveFraction: 0 });
    rotation.requestFor(0);
    rotation.requestFor(1);
    rotation.onReply(0, 200, admitted);
    rotation.onReply(1, 410, null);
    expect(rotation.counts).toMatchObject({ admittedSeen: 1, wentSilentAdmitted: 1, expiredWhileHeartbeating: 1 });
    expect(rotation.heartbeating).toBe(0);
  });

  describe("giving up", () => {
    afterEach(() => vi.useRealTimers());
    /** `rounds` heartbeats of each of `n` waiting visitors, `gapMs` apart; how many gave up. */
    function gaveUp(n: number, rounds: number, gapMs: number): number {
      vi.useFakeTimers({ toFake: ["performance"] });
      const rotation = new LiveRotation(visitors(n), {
        ...settings,
        abandonPerInterval: 0.1,
        heartbeatIntervalMs: 5_000,
      });
      let request = 0;
      for (let round = 0; round < rounds; round++) {
        for (let i = 0; i < rotation.heartbeating; i++) {
          rotation.requestFor(request);
          rotation.onReply(request++, 200, waiting);
        }
        vi.advanceTimersByTime(gapMs);
      }
      return rotation.counts.gaveUp;
    }

    it("goes by waiting time, not by how often the closed loop heartbeats a visitor", () => {
      // 2,000 visitors over 10 intervals: 1 - 0.9^10 = 65% give up, whether each was
      // heartbeated 10 times (every 5 s) or 500 times (every 100 ms). A chance per heartbeat
      // would have emptied the fast line.
      const slow = gaveUp(2_000, 11, 5_000);
      const fast = gaveUp(2_000, 501, 100);
      for (const count of [slow, fast]) {
        expect(count / 2_000).toBeGreaterThan(0.6);
        expect(count / 2_000).toBeLessThan(0.7);
      }
    });
  });
});

describe("expandCpuList", () => {
  it("reads Cpus_allowed_list", () => {
    expect(expandCpuList("0-1")).toEqual([0, 1]);
    expect(expandCpuList("0,2-4,7")).toEqual([0, 2, 3, 4, 7]);
    expect(expandCpuList("3")).toEqual([3]);
  });
});
