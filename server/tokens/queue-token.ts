import "server-only";
import { createHmac } from "node:crypto";
import { jwtVerify } from "jose";
import { z } from "zod";
import { isCanonicalJwt } from "@/server/tokens/canonical";

// The queue token is the visitor's claim to a place: an HS256 JWT carrying room, place (seq)
// and id. The visitor is who the verified claims say (the id), never the token's string; the
// engine keeps an index from the one canonical string it issued (or verified) to the visitor,
// so a heartbeat from a known visitor costs one map lookup; only tokens not in the index
// (forged, re-spelled, or after a restart) pay for a full verification with claims, done by
// jose. A re-spelled token (base64url's unused bits, see canonical.ts) is refused here, so
// one visitor never has two working strings.
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

export type QueueTokens = {
  issue(claims: Omit<QueueTokenClaims, "iat">): string;
  /** Full signature and claims check. */
  verify(token: string): Promise<QueueTokenClaims | null>;
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
      const signature = createHmac("sha256", key).update(signingInput).digest("base64url");
      return `${signingInput}.${signature}`;
    },
    async verify(token) {
      if (!queueTokenPattern.test(token) || !isCanonicalJwt(token)) return null;
      try {
        const { payload } = await jwtVerify(token, key, { algorithms: ["HS256"] });
        const parsed = claimsSchema.safeParse(payload);
        return parsed.success ? parsed.data : null;
      } catch {
        return null;
      }
    },
  };
}
