import { describe, expect, it } from "vitest";
import { type HeldAdmission, jwksOverlap, maxOverlap, type OriginProbe, originOverlap } from "@/bench/origin-census";

const probe = (admission: string, sentAtMs: number, accepted: boolean, latencyMs = 5): OriginProbe => ({
  admission,
  sentAtMs,
  answeredAtMs: sentAtMs + latencyMs,
  accepted,
});

describe("originOverlap", () => {
  it("counts a slot handed on cleanly as one at a time", () => {
    // a leaves (refused from 1000), b is first accepted at 1100.
    const report = originOverlap([
      probe("a", 0, true),
      probe("a", 900, true),
      probe("a", 1000, false),
      probe("b", 1100, true),
      probe("b", 2000, true),
    ]);
    expect(report).toMatchObject({ admissionsAccepted: 2, maxConcurrent: 1, resurrected: [] });
  });

  it("catches a departed visitor still let in after the slot went to the next (revocation off)", () => {
    const report = originOverlap([
      probe("a", 0, true),
      probe("b", 1100, true),
      // a left at 1000, but the origin still takes its admission at 1200.
      probe("a", 1200, true),
      probe("b", 2000, true),
    ]);
    expect(report.maxConcurrent).toBe(2);
    expect(report.atMs).toBe(1105);
  });

  it("does not blame the origin for a probe's latency: spans run from the first answer to the last send", () => {
    // a's last acceptance was sent at 1000 but answered at 1500; b's first was answered at 1010.
    const report = originOverlap([probe("a", 0, true), probe("a", 1000, true, 500), probe("b", 1001, true, 9)]);
    expect(report.maxConcurrent).toBe(1);
  });

  it("flags an admission accepted again after it was refused", () => {
    const report = originOverlap([probe("a", 0, true), probe("a", 100, false), probe("a", 200, true)]);
    expect(report.resurrected).toEqual(["a"]);
  });

  it("ignores refusals before the first acceptance (not admitted yet) and admissions never accepted", () => {
    const report = originOverlap([probe("a", 0, false), probe("a", 100, true), probe("c", 50, false)]);
    expect(report).toMatchObject({ admissionsAccepted: 1, maxConcurrent: 1, resurrected: [] });
  });
});

describe("jwksOverlap", () => {
  const held = (over: Partial<HeldAdmission>): HeldAdmission => ({
    firstIssuedAtMs: 0,
    firstTokenAtMs: 10,
    lastExpiresAtMs: 20_000,
    lastTokenAtMs: 10,
    goneAtMs: null,
    ...over,
  });

  it("counts a gone visitor's token until it expires, but not against the slots held", () => {
    const report = jwksOverlap([
      held({ goneAtMs: 5_000, lastTokenAtMs: 4_000, lastExpiresAtMs: 24_000 }),
      held({ firstIssuedAtMs: 5_000, firstTokenAtMs: 5_100, lastExpiresAtMs: 30_000, lastTokenAtMs: 10_000 }),
    ]);
    expect(report.maxConcurrent).toBe(2);
    expect(report.maxHeldConcurrent).toBe(1);
    expect(report.longestAfterLastTokenMs).toBe(20_000);
  });

  it("counts two visitors held at once as two (a slot given before it was free)", () => {
    const report = jwksOverlap([
      held({ goneAtMs: 5_000 }),
      held({ firstIssuedAtMs: 4_000, firstTokenAtMs: 4_100, lastTokenAtMs: 4_100 }),
    ]);
    expect(report.maxHeldConcurrent).toBe(2);
  });

  it("treats exp as the end: a token expiring when the next is issued does not overlap it", () => {
    expect(
      maxOverlap(
        [
          [0, 1000],
          [1000, 2000],
        ],
        true,
      ).max,
    ).toBe(1);
    expect(
      maxOverlap([
        [0, 1000],
        [1000, 2000],
      ]).max,
    ).toBe(2);
  });
});
