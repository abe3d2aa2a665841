import "server-only";
import { createHmac, timingSafeEqual } from "node:crypto";
import { jwtVerify } from "jose";
import { z } from "zod";

// The queue token is the visitor's claim to a place: an HS256 JWT carrying room, place (seq)
// and id. The engine indexes live visitors by their token's signature, so a heartbeat from a
// known visitor costs one HMAC and one map lookup; only tokens not in the index (after a
// restart) pay for a full verification with claims, done by jose.
// Signing uses node:crypto's HMAC directly: jose signs through WebCrypto (two thread-pool
// hops per token), which cost a tenth of an arrival's CPU under a flood. The output is a
// plain HS256 JWT that jose (or any JWT library) verifies.

export const queueTokenPattern = /^[\w-]{10,200}\.[\w-]{10,400}\.[\w-]{43}$/;

const claimsSchema = z.object({
  jti: z.string().regex(/^[\w-]{8,64}$/),
  room: z.string().regex(/^[a-z0-9][a-z0-9-]{0,39}$/),
  seq: z.number().int().positive(),
  iat: z.number().int().positive(),
});

export type QueueTokenClaims = z.infer<typeof claimsSchema>;
export type IssuedQueueToken = { token: string; signature: string };

export type QueueTokens = {
  issue(claims: Omit<QueueTokenClaims, "iat">): IssuedQueueToken;
  /** Full signature and claims check. */
  verify(token: string): Promise<QueueTokenClaims | null>;
  /**
   * The token's signature if it is authentic (HMAC recomputed, a couple of microseconds,
   * synchronous), else null. Live visitors are looked up by it.
   */
  authenticSignature(token: string): string | null;
};

const header = Buffer.from(JSON.stringify({ alg: "HS256", typ: "JWT" })).toString("base64url");

export function createQueueTokens(secret: string): QueueTokens {
  const key = new TextEncoder().encode(secret);
  return {
    issue({ jti, room, seq }) {
      const payload = Buffer.from(JSON.stringify({ room, seq, jti, iat: Math.floor(Date.now() / 1000) })).toString(
        "base64url",
      );
      const signingInput = `${header}.${payload}`;
      // digest() returns a fresh string: the index keeps 43 bytes, not the whole token.
      const signature = createHmac("sha256", key).update(signingInput).digest("base64url");
      return { token: `${signingInput}.${signature}`, signature };
    },
    async verify(token) {
      if (!queueTokenPattern.test(token)) return null;
      try {
        const { payload } = await jwtVerify(token, key, { algorithms: ["HS256"] });
        const parsed = claimsSchema.safeParse(payload);
        return parsed.success ? parsed.data : null;
      } catch {
        return null;
      }
    },
    authenticSignature(token) {
      const dot = token.lastIndexOf(".");
      if (dot <= 0 || token.length - dot - 1 !== 43) return null;
      const expected = createHmac("sha256", key).update(token.slice(0, dot)).digest();
      const given = Buffer.from(token.slice(dot + 1), "base64url");
      return given.length === expected.length && timingSafeEqual(given, expected) ? token.slice(dot + 1) : null;
    },
  };
}
