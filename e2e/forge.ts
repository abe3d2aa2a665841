import { randomBytes } from "node:crypto";
import { base64url, decodeJwt, generateKeyPair, type JWK, SignJWT } from "jose";
import { roomId } from "./settings";

// Tokens an attacker could make: right shape, wrong signature. Each must be refused.

export type Forgery = { name: string; token: string };

const nowS = () => Math.floor(Date.now() / 1000);

/** Admission cookies (fga_*) that look like the server's ES256 JWTs but are not its. */
export async function forgeAdmissionTokens(options: { genuine: string; serverKey: JWK }): Promise<Forgery[]> {
  const { genuine, serverKey } = options;
  const claims = { room: roomId, adm: 1 };
  const { privateKey } = await generateKeyPair("ES256");
  const otherKey = await new SignJWT(claims)
    .setProtectedHeader({ alg: "ES256", kid: serverKey.kid })
    .setIssuer("floodgate")
    .setAudience(roomId)
    .setSubject("forger")
    .setIssuedAt()
    .setExpirationTime("10m")
    .sign(privateKey);

  // The genuine token with a longer life: same header and signature, edited payload.
  const [header = "", , signature = ""] = genuine.split(".");
  const extended = base64url.encode(JSON.stringify({ ...decodeJwt(genuine), exp: nowS() + 3600, sub: "forger" }));

  const unsigned = [
    base64url.encode(JSON.stringify({ alg: "none", typ: "JWT" })),
    base64url.encode(JSON.stringify({ ...claims, iss: "floodgate", aud: roomId, exp: nowS() + 600 })),
    "",
  ].join(".");

  // Algorithm confusion: HMAC keyed with the server's public key, which anyone can fetch.
  const confused = await new SignJWT(claims)
    .setProtectedHeader({ alg: "HS256", kid: serverKey.kid })
    .setIssuer("floodgate")
    .setAudience(roomId)
    .setExpirationTime("10m")
    .sign(new TextEncoder().encode(JSON.stringify(serverKey)));

  return [
    { name: "signed with another key under the server's kid", token: otherKey },
    { name: "genuine token with an edited payload", token: `${header}.${extended}.${signature}` },
    { name: 'unsigned (alg "none")', token: unsigned },
    { name: "HS256 keyed with the public key", token: confused },
    { name: "garbage", token: "not-a-token" },
  ];
}

/** A queue token (fgq_*) of the right shape and claims, signed with a secret that is not the server's. */
export async function forgeQueueToken(): Promise<string> {
  return new SignJWT({ room: roomId, seq: 1 })
    .setProtectedHeader({ alg: "HS256" })
    .setJti(randomBytes(16).toString("base64url"))
    .setIssuedAt()
    .sign(randomBytes(32));
}
