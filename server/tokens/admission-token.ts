import "server-only";
import { type CryptoKey, exportJWK, importJWK, type JWK, jwtVerify, SignJWT } from "jose";
import type { Secrets } from "@/server/tokens/secrets";

// Admission tokens are ES256 JWTs: the private key stays in Floodgate, the public key is
// served at /.well-known/jwks.json so any origin can check an admission locally.
// Lifetime = the room's heartbeat timeout, refreshed on every heartbeat: a visitor the engine
// drops for silence holds a token that dies at about the same moment.

export const admissionIssuer = "floodgate";

export type AdmissionTokens = {
  issue(input: { room: string; visitorId: string; admissionNo: number; lifetimeMs: number }): Promise<string>;
  verify(token: string, room: string): Promise<boolean>;
  /** The admitted visitor's id when the token is valid for this room; null otherwise. */
  verifiedVisitor(token: string, room: string): Promise<string | null>;
  jwks(): { keys: JWK[] };
};

export async function createAdmissionTokens(secrets: Secrets): Promise<AdmissionTokens> {
  const { d: _private, ...publicJwk } = secrets.admissionPrivateJwk;
  const kid = secrets.admissionPrivateJwk.kid;
  const privateKey = (await importJWK(secrets.admissionPrivateJwk, "ES256")) as CryptoKey;
  const publicKey = (await importJWK(publicJwk, "ES256")) as CryptoKey;
  const jwks = { keys: [{ ...(await exportJWK(publicKey)), kid, alg: "ES256", use: "sig" }] };

  async function verifiedVisitor(token: string, room: string): Promise<string | null> {
    if (token.length > 2048) return null;
    try {
      const { payload } = await jwtVerify(token, publicKey, {
        algorithms: ["ES256"],
        issuer: admissionIssuer,
        audience: room,
      });
      return payload.sub ?? null;
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
      return (await verifiedVisitor(token, room)) !== null;
    },
    verifiedVisitor,
    jwks: () => jwks,
  };
}
