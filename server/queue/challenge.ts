import { createHash, createHmac, randomBytes, randomInt, timingSafeEqual } from "node:crypto";
import { z } from "zod";

// The proof-of-work challenge a `pow` room asks of a new place: ALTCHA v2 (altcha-lib, MIT),
// SHA-256 once per try, in its "deterministic" form: the gate draws a counter in
// [1, difficulty], publishes the first half of SHA-256(salt ‖ nonce ‖ counter) as the prefix to
// find, and signs the whole key. A solver must try counters from 0 up until the prefix matches
// (on average half the difficulty), and the solution is checked by two HMACs: no search, no
// store call, nothing kept per challenge until it is spent.
//
// Why ALTCHA: an open protocol with a maintained MIT library (altcha-lib) and solvers for the
// browser (WebCrypto in a web worker, components/waiting/pow-worker.ts) and any language an API
// client is written in; no third party is called and no cookie or fingerprint is kept, so a
// visitor's privacy is the same as without it. (Cap.js was the other candidate: similar idea,
// a younger protocol with fewer independent solvers.)
//
// Issuing and checking use node:crypto's HMAC here, byte for byte what altcha-lib's
// createChallenge and verifySolution compute (challenge.test.ts checks both ways against the
// library): the library signs through WebCrypto, measured at ~240 µs a call on this machine,
// which would cost a flash crowd's arrivals more than everything else they do.

/** How long a challenge may be solved and presented for. */
export const challengeLifetimeMs = 5 * 60_000;

export type ChallengeParameters = {
  algorithm: "SHA-256";
  cost: number;
  data: { room: string };
  expiresAt: number;
  keyLength: number;
  keyPrefix: string;
  keySignature: string;
  nonce: string;
  salt: string;
};

/** What a client is given to solve (ALTCHA v2's Challenge: parameters and their signature). */
export type Challenge = { parameters: ChallengeParameters; signature: string };

/**
 * A presented solution, judged: `solved` (spend it), `stale` (expired, or already spent: an
 * honest client retrying gets a new challenge), `forged` (not ours, another room's, tampered
 * with, or a wrong answer: nothing an honest browser sends).
 */
export type ChallengeVerdict =
  | { kind: "solved"; id: string; expiresAtMs: number }
  | { kind: "stale" }
  | { kind: "forged"; why: string };

const hex = (length: number) => z.string().regex(new RegExp(`^[0-9a-f]{${length}}$`));

const parametersSchema = z
  .object({
    algorithm: z.literal("SHA-256"),
    cost: z.literal(1),
    data: z.object({ room: z.string().max(40) }).strict(),
    expiresAt: z.number().int().positive(),
    keyLength: z.literal(32),
    keyPrefix: hex(32),
    keySignature: hex(64),
    nonce: hex(32),
    salt: hex(32),
  })
  .strict();

const payloadSchema = z
  .object({
    challenge: z.object({ parameters: parametersSchema, signature: hex(64) }).strict(),
    solution: z
      .object({
        counter: z.number().int().min(0).max(0xffff_ffff),
        derivedKey: hex(64),
        // Solvers report how long it took; not trusted for anything.
        time: z.number().optional(),
      })
      .strict(),
  })
  .strict();

/** Longest `pow` value accepted (a payload is ~700 characters of base64). */
export const maxPayloadLength = 4_096;

export type Challenges = {
  issue(roomId: string, difficulty: number, nowMs: number): Challenge;
  /** Judges a payload (ALTCHA's base64 JSON: the challenge and the solution) for this room. */
  check(roomId: string, payload: string, nowMs: number): ChallengeVerdict;
};

/** Two secrets: one signs the parameters, one the key (ALTCHA's hmacSignatureSecret and hmacKeySignatureSecret). */
export function createChallenges(keys: { signature: string; keySignature: string }): Challenges {
  const sign = (data: string | Buffer, key: string) => createHmac("sha256", key).update(data).digest();
  return {
    issue(roomId, difficulty, nowMs) {
      const salt = randomBytes(16);
      const nonce = randomBytes(16);
      const counter = Buffer.alloc(4);
      counter.writeUInt32BE(randomInt(1, Math.max(1, Math.floor(difficulty)) + 1));
      const derivedKey = createHash("sha256")
        .update(Buffer.concat([salt, nonce, counter]))
        .digest();
      // Keys in sorted order: the signed text is ALTCHA's canonical JSON of the parameters.
      const parameters: ChallengeParameters = {
        algorithm: "SHA-256",
        cost: 1,
        data: { room: roomId },
        expiresAt: Math.floor((nowMs + challengeLifetimeMs) / 1000),
        keyLength: 32,
        keyPrefix: derivedKey.subarray(0, 16).toString("hex"),
        keySignature: sign(derivedKey, keys.keySignature).toString("hex"),
        nonce: nonce.toString("hex"),
        salt: salt.toString("hex"),
      };
      return { parameters, signature: sign(canonicalJson(parameters), keys.signature).toString("hex") };
    },
    check(roomId, payload, nowMs) {
      const parsed = payloadSchema.safeParse(decodePayload(payload));
      if (!parsed.success) return { kind: "forged", why: "malformed" };
      const { challenge, solution } = parsed.data;
      const { parameters } = challenge;
      const expected = sign(canonicalJson(parameters), keys.signature);
      if (!equalHex(challenge.signature, expected)) return { kind: "forged", why: "signature" };
      if (parameters.data.room !== roomId) return { kind: "forged", why: "room" };
      const key = Buffer.from(solution.derivedKey, "hex");
      if (!equalHex(parameters.keySignature, sign(key, keys.keySignature))) return { kind: "forged", why: "solution" };
      // Checked after the signature, so that a stale verdict is only ever given for our own.
      if (parameters.expiresAt * 1000 < nowMs) return { kind: "stale" };
      return { kind: "solved", id: challenge.signature, expiresAtMs: parameters.expiresAt * 1000 };
    },
  };
}

function decodePayload(payload: string): unknown {
  if (payload.length > maxPayloadLength) return null;
  try {
    const text = payload.trimStart().startsWith("{") ? payload : Buffer.from(payload, "base64").toString("utf8");
    return JSON.parse(text);
  } catch {
    return null;
  }
}

/**
 * ALTCHA's canonical JSON of our parameters: keys sorted at every level. The parameters are
 * checked to have exactly these keys (parametersSchema is strict), so JSON.stringify with the
 * sorted list of every key they may hold (the list applies at each level) writes the same text
 * as sorting them, natively; challenge.test.ts checks it against altcha-lib both ways.
 */
const canonicalKeys = [
  "algorithm",
  "cost",
  "data",
  "expiresAt",
  "keyLength",
  "keyPrefix",
  "keySignature",
  "nonce",
  "room",
  "salt",
];

function canonicalJson(parameters: ChallengeParameters): string {
  return JSON.stringify(parameters, canonicalKeys);
}

function equalHex(text: string, expected: Buffer): boolean {
  const given = Buffer.from(text, "hex");
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/**
 * Solutions already spent, until their challenges expire: one solution buys one place. Two
 * generations, swapped every challenge lifetime: an id is kept at least one lifetime after it
 * was spent, by when its challenge has expired anyway; forgetting a generation is O(1).
 */
export class SpentChallenges {
  private current = new Set<string>();
  private previous = new Set<string>();
  private swapAtMs: number;

  constructor(
    nowMs: number,
    private readonly lifetimeMs = challengeLifetimeMs,
  ) {
    this.swapAtMs = nowMs + lifetimeMs;
  }

  /** Spends the id; false if it was spent before. */
  spend(id: string, nowMs: number): boolean {
    if (nowMs >= this.swapAtMs) {
      // Idle for more than a whole lifetime: both generations are past keeping.
      this.previous = nowMs >= this.swapAtMs + this.lifetimeMs ? new Set() : this.current;
      this.current = new Set();
      this.swapAtMs = nowMs + this.lifetimeMs;
    }
    if (this.current.has(id) || this.previous.has(id)) return false;
    this.current.add(id);
    return true;
  }

  get size(): number {
    return this.current.size + this.previous.size;
  }
}
