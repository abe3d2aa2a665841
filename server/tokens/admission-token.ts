import "server-only";
import { createPrivateKey, sign } from "node:crypto";
import { type CryptoKey, exportJWK, importJWK, type JWK, jwtVerify } from "jose";
import { isCanonicalJwt } from "@/server/tokens/canonical";
import type { Secrets } from "@/server/tokens/secrets";

// Admission tokens are ES256 JWTs: the private key stays in Floodgate, the public key is
// served at /.well-known/jwks.json so any origin can check an admission locally.
// Lifetime = the room's heartbeat timeout, refreshed on every heartbeat: a visitor the engine
// drops for silence holds a token that dies at about the same moment.
// An admission is identified by its claims (the visitor id in `sub`), never by its string:
// ECDSA signatures are malleable ((r, s) and (r, n - s) both verify), so nothing may be keyed
// on the token text. Non-canonical base64url spellings are refused all the same.
// Signing uses node:crypto directly (synchronous, the JWS signature as IEEE P1363 r || s): jose
// signs through WebCrypto, a thread-pool job and promise per token, 112 µs against 40 µs here,
// and 9% of the server's CPU in a flash crowd's first seconds (every admitted visitor's
// heartbeat gets a fresh token). jose verifies, here and at any origin reading the JWKS.

export const admissionIssuer = "floodgate";

/** What a valid admission token says: whose it is and its admission number (0: a fail-open pass). */
export type VerifiedAdmission = { visitorId: string; admissionNo: number };

export type AdmissionTokens = {
  issue(input: { room: string; visitorId: string; admissionNo: number; lifetimeMs: number }): string;
  verify(token: string, room: string): Promise<boolean>;
  /** The admitted visitor's id when the token is valid for this room; null otherwise. */
  verifiedVisitor(token: string, room: string): Promise<string | null>;
  /**
   * The token's visitor and admission number when it is valid for this room; null otherwise.
   * `expiredUpToMs`: also accept a token expired no longer ago than that (naming an admission,
   * as the end-session trigger does, not proving one is alive).
   */
  verifiedAdmission(token: string, room: string, expiredUpToMs?: number): Promise<VerifiedAdmission | null>;
  jwks(): { keys: JWK[] };
};

type JsonWebKeyInput = Extract<Parameters<typeof createPrivateKey>[0], { format: "jwk" }>;

export async function createAdmissionTokens(secrets: Secrets): Promise<AdmissionTokens> {
  const { d: _private, ...publicJwk } = secrets.admissionPrivateJwk;
  const kid = secrets.admissionPrivateJwk.kid;
  const signingKey = createPrivateKey({ key: secrets.admissionPrivateJwk as JsonWebKeyInput["key"], format: "jwk" });
  const header = Buffer.from(JSON.stringify({ alg: "ES256", kid })).toString("base64url");
  const publicKey = (await importJWK(publicJwk, "ES256")) as CryptoKey;
  const jwks = { keys: [{ ...(await exportJWK(publicKey)), kid, alg: "ES256", use: "sig" }] };

  async function verifiedAdmission(token: string, room: string, expiredUpToMs = 0): Promise<VerifiedAdmission | null> {
    if (token.length > 2048 || !isCanonicalJwt(token)) return null;
    try {
      const { payload } = await jwtVerify(token, publicKey, {
        algorithms: ["ES256"],
        issuer: admissionIssuer,
        audience: room,
        clockTolerance: Math.floor(expiredUpToMs / 1000),
      });
      const admissionNo = payload.adm;
      if (!payload.sub || typeof admissionNo !== "number" || !Number.isSafeInteger(admissionNo) || admissionNo < 0) {
        return null;
      }
      return { visitorId: payload.sub, admissionNo };
    } catch {
      return null;
    }
  }

  return {
    issue({ room, visitorId, admissionNo, lifetimeMs }) {
      const iat = Math.floor(Date.now() / 1000);
      const exp = iat + Math.max(1, Math.floor(lifetimeMs / 1000));
      const claims = { room, adm: admissionNo, iss: admissionIssuer, aud: room, sub: visitorId, iat, exp };
      const signingInput = `${header}.${Buffer.from(JSON.stringify(claims)).toString("base64url")}`;
      const signature = sign("sha256", Buffer.from(signingInput), { key: signingKey, dsaEncoding: "ieee-p1363" });
      return `${signingInput}.${signature.toString("base64url")}`;
    },
    async verify(token, room) {
      return (await verifiedAdmission(token, room)) !== null;
    },
    async verifiedVisitor(token, room) {
      return (await verifiedAdmission(token, room))?.visitorId ?? null;
    },
    verifiedAdmission,
    jwks: () => jwks,
  };
}
