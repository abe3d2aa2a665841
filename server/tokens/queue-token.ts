import "server-only";
import { timingSafeEqual } from "node:crypto";
import { decodeJwt, jwtVerify, SignJWT } from "jose";
import { z } from "zod";

// The queue token is the visitor's claim to a place: room, place (seq) and id, signed with
// HS256. The engine remembers each token's signature, so a heartbeat from a known visitor is
// checked by comparing signatures (no crypto per heartbeat); only unknown tokens pay for a
// full verification.

export const queueTokenPattern = /^[\w-]{10,200}\.[\w-]{10,400}\.[\w-]{20,100}$/;

const claimsSchema = z.object({
  jti: z.string().regex(/^[\w-]{8,64}$/),
  room: z.string().regex(/^[a-z0-9][a-z0-9-]{0,39}$/),
  seq: z.number().int().positive(),
  iat: z.number().int().positive(),
});

export type QueueTokenClaims = z.infer<typeof claimsSchema>;

export type QueueTokens = {
  issue(claims: Omit<QueueTokenClaims, "iat">): Promise<string>;
  /** Reads claims without checking the signature: only for finding the visitor to compare against. */
  peek(token: string): QueueTokenClaims | null;
  /** Full signature check. */
  verify(token: string): Promise<QueueTokenClaims | null>;
  signatureOf(token: string): string;
  sameSignature(a: string, b: string): boolean;
};

export function createQueueTokens(secret: string): QueueTokens {
  const key = new TextEncoder().encode(secret);
  return {
    async issue(claims) {
      return new SignJWT({ room: claims.room, seq: claims.seq })
        .setProtectedHeader({ alg: "HS256" })
        .setJti(claims.jti)
        .setIssuedAt()
        .sign(key);
    },
    peek(token) {
      if (!queueTokenPattern.test(token)) return null;
      try {
        const parsed = claimsSchema.safeParse(decodeJwt(token));
        return parsed.success ? parsed.data : null;
      } catch {
        return null;
      }
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
    signatureOf(token) {
      return token.slice(token.lastIndexOf(".") + 1);
    },
    sameSignature(a, b) {
      const left = Buffer.from(a);
      const right = Buffer.from(b);
      return left.length === right.length && timingSafeEqual(left, right);
    },
  };
}
