import { createChallenge, solveChallenge, verifySolution } from "altcha-lib";
import { deriveKey } from "altcha-lib/algorithms/sha";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type Challenge, challengeLifetimeMs, createChallenges, SpentChallenges } from "@/server/queue/challenge";

// The gate's own issuing and checking (node:crypto) must be ALTCHA v2 byte for byte: what it
// issues, altcha-lib solves and verifies; what altcha-lib issues with the same secrets, the gate
// accepts; and anything tampered with, both refuse.

const secrets = { signature: "sig-secret-for-tests-0123456789", keySignature: "key-secret-for-tests-0123456789" };
const challenges = createChallenges(secrets);
const nowMs = Date.now();

async function solve(challenge: Challenge) {
  const solution = await solveChallenge({ challenge, deriveKey });
  if (!solution) throw new Error("no solution");
  return { counter: solution.counter, derivedKey: solution.derivedKey };
}

const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64");

describe("proof-of-work challenges", () => {
  it("issue what altcha-lib solves and verifies, and accept the solution once checked here", async () => {
    const challenge = challenges.issue("shop", 2_000, nowMs);
    const solution = await solve(challenge);
    expect(solution.counter).toBeGreaterThanOrEqual(1);
    expect(solution.counter).toBeLessThanOrEqual(2_000);
    const byLibrary = await verifySolution({
      challenge,
      solution,
      deriveKey,
      hmacSignatureSecret: secrets.signature,
      hmacKeySignatureSecret: secrets.keySignature,
    });
    expect(byLibrary.verified).toBe(true);
    const verdict = challenges.check("shop", encode({ challenge, solution }), nowMs);
    expect(verdict).toMatchObject({ kind: "solved", id: challenge.signature });
  });

  it("accept what altcha-lib itself issues with the same secrets (the same protocol both ways)", async () => {
    const challenge = (await createChallenge({
      algorithm: "SHA-256",
      cost: 1,
      counter: 700,
      deriveKey,
      data: { room: "shop" },
      expiresAt: Math.floor((nowMs + 60_000) / 1000),
      hmacSignatureSecret: secrets.signature,
      hmacKeySignatureSecret: secrets.keySignature,
    })) as Challenge;
    const solution = await solve(challenge);
    expect(challenges.check("shop", encode({ challenge, solution }), nowMs).kind).toBe("solved");
  });

  it("spread the work over the difficulty: the counter is drawn in [1, difficulty]", async () => {
    const counters = await Promise.all(
      Array.from({ length: 40 }, async () => (await solve(challenges.issue("shop", 1_000, nowMs))).counter),
    );
    expect(Math.min(...counters)).toBeGreaterThanOrEqual(1);
    expect(Math.max(...counters)).toBeLessThanOrEqual(1_000);
    // Forty draws from 1..1000 all in one half would be a broken draw (chance 2^-39).
    expect(counters.some((c) => c <= 500) && counters.some((c) => c > 500)).toBe(true);
  });

  it("call another room's solution, a wrong answer, other secrets and junk forged; an old one stale", async () => {
    const challenge = challenges.issue("shop", 1_000, nowMs);
    const solution = await solve(challenge);
    const payload = encode({ challenge, solution });
    expect(challenges.check("other", payload, nowMs)).toMatchObject({ kind: "forged", why: "room" });
    const wrongKey = { ...solution, derivedKey: solution.derivedKey.replace(/.$/, (c) => (c === "0" ? "1" : "0")) };
    expect(challenges.check("shop", encode({ challenge, solution: wrongKey }), nowMs)).toMatchObject({
      kind: "forged",
      why: "solution",
    });
    const stranger = createChallenges({ signature: "another-secret-0123456789", keySignature: secrets.keySignature });
    expect(stranger.check("shop", payload, nowMs)).toMatchObject({ kind: "forged", why: "signature" });
    for (const junk of ["", "bm90IGpzb24=", "{}", "x".repeat(5_000), encode({ challenge })]) {
      expect(challenges.check("shop", junk, nowMs)).toMatchObject({ kind: "forged" });
    }
    expect(challenges.check("shop", payload, nowMs + challengeLifetimeMs + 1_000)).toEqual({ kind: "stale" });
    // Plain JSON is read too (a client that skips the base64).
    expect(challenges.check("shop", JSON.stringify({ challenge, solution }), nowMs).kind).toBe("solved");
  });

  it("refuse any change to a signed parameter (property: one field altered, never solved)", async () => {
    const challenge = challenges.issue("shop", 1_000, nowMs);
    const solution = await solve(challenge);
    const fields = ["cost", "expiresAt", "keyLength", "keyPrefix", "keySignature", "nonce", "salt"] as const;
    fc.assert(
      fc.property(fc.constantFrom(...fields), fc.integer({ min: 0, max: 63 }), (field, at) => {
        const parameters: Record<string, unknown> = { ...challenge.parameters };
        const value = parameters[field];
        if (typeof value === "number") parameters[field] = value + 1 + at;
        else {
          const text = String(value);
          const i = at % text.length;
          parameters[field] = `${text.slice(0, i)}${text[i] === "a" ? "b" : "a"}${text.slice(i + 1)}`;
        }
        const verdict = challenges.check("shop", encode({ challenge: { ...challenge, parameters }, solution }), nowMs);
        expect(verdict.kind).toBe("forged");
      }),
      { numRuns: 200 },
    );
  });
});

describe("spent challenges", () => {
  it("spend an id once, keep it at least a lifetime, and forget it after two", () => {
    const spent = new SpentChallenges(0, 1_000);
    expect(spent.spend("a", 10)).toBe(true);
    expect(spent.spend("a", 20)).toBe(false);
    expect(spent.spend("b", 999)).toBe(true);
    // Swapped at 1,000: both still refused a full lifetime after they were spent.
    expect(spent.spend("a", 1_005)).toBe(false);
    expect(spent.spend("b", 1_990)).toBe(false);
    expect(spent.size).toBe(2);
    // Long idle: everything spent before is past its challenge's life.
    expect(spent.spend("c", 10_000)).toBe(true);
    expect(spent.spend("a", 10_001)).toBe(true);
    expect(spent.size).toBe(2);
  });

  it("never forget an id before its lifetime is out (property over random spend times)", () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 50 }), { minLength: 1, maxLength: 300 }), (gaps) => {
        const lifetime = 100;
        const spent = new SpentChallenges(0, lifetime);
        const spentAt = new Map<string, number>();
        let now = 0;
        gaps.forEach((gap, i) => {
          now += gap;
          // Replay an earlier id still within its lifetime: refused.
          for (const [id, at] of spentAt) if (now - at < lifetime) expect(spent.spend(id, now)).toBe(false);
          expect(spent.spend(`id${i}`, now)).toBe(true);
          spentAt.set(`id${i}`, now);
        });
      }),
      { numRuns: 100 },
    );
  });
});
