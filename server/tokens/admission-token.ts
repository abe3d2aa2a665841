import "server-only";
import { type CryptoKey, exportJWK, importJWK, type JWK, jwtVerify, SignJWT } from "jose";
import { isCanonicalJwt } from "@/server/tokens/canonical";
import type { Secrets } from "@/server/tokens/secrets";

// Admission tokens are ES256 JWTs: the private key stays in Floodgate, the public key is
// served at /.well-known/jwks.json so any origin can check an admission locally.
// Lifetime = the room's heartbeat timeout, refreshed on every heartbeat: a visitor the engine
// drops for silence holds a token that dies at about the same moment.
// An admission is identified by its claims (the visitor id in `sub`), never by its string:
// ECDSA signatures are malleable ((r, s) and (r, n - s) both verify), so nothing may be keyed
// on the token text. Non-canonical base64url spellings are refused all the same.

export const admissionIssuer = "floodgate";

/** What a valid admission token says: whose it is and its admission number (0: a fail-open pass). */
export type VerifiedAdmission = { visitorId: string; admissionNo: number };

export type AdmissionTokens = {
  issue(input: { room: string; visitorId: string; admissionNo: number; lifetimeMs: number }): Promise<string>;
  verify(token: string, room: string): Promise<boolean>;
  /** The admitted visitor's id when the token is valid for this room; null otherwise. */
  verifiedVisitor(token: string, room: string): Promise<string | null>;
  /** The token's visitor and admission number when it is valid for this room; null otherwise. */
  verifiedAdmission(token: string, room: string): Promise<VerifiedAdmission | null>;
  jwks(): { keys: JWK[] };
};

export async function createAdmissionTokens(secrets: Secrets): Promise<AdmissionTokens> {
  const { d: _private, ...publicJwk } = secrets.admissionPrivateJwk;
  const kid = secrets.admissionPrivateJwk.kid;
  const privateKey = (await importJWK(secrets.admissionPrivateJwk, "ES256")) as CryptoKey;
  const publicKey = (await importJWK(publicJwk, "ES256")) as CryptoKey;
  const jwks = { keys: [{ ...(await exportJWK(publicKey)), kid, alg: "ES256", use: "sig" }] };

  async function verifiedAdmission(token: string, room: string): Promise<VerifiedAdmission | null> {
    if (token.length > 2048 || !isCanonicalJwt(token)) return null;
    try {
      const { payload } = await jwtVerify(token, publicKey, {
        algorithms: ["ES256"],
        issuer: admissionIssuer,
        audience: room,
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
    async issue({ room, visitorId, admissionNo, lifetimeMs }) {
      const nowS = Math.floor(Date.now() / 1000);
      return new SignJWT({ room, adm: admissionNo })
        .setProtectedHeader({ alg: "ES256", kid })
        .setIssuer(admissionIssuer)
        .setAudience(room)
        .setSubject(visitorId)
        .setIssuedAt(nowS)
        .setExpirationTime(nowS + Math.max(1, Math.floor(lifetimeMs / 1000)))
        .sign(privateKey);
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
