import { createLocalJWKSet, decodeJwt, jwtVerify } from "jose";
import { request } from "undici";

// Another origin's view of admission tokens: it fetches the app's JWKS once and verifies a
// token's signature, issuer and expiry locally, as an origin that never calls Floodgate would.
// The bench checks that the tokens the visitors hold are real, so the JWKS count
// (bench/origin-census.ts) counts what such an origin accepts.

export async function verifyWithJwks(
  origin: string,
  tokens: readonly string[],
  room: string,
): Promise<{ verified: number; refused: number }> {
  const res = await request(`${origin}/.well-known/jwks.json`);
  if (res.statusCode !== 200) throw new Error(`GET /.well-known/jwks.json answered ${res.statusCode}`);
  const keys = createLocalJWKSet((await res.body.json()) as Parameters<typeof createLocalJWKSet>[0]);
  let verified = 0;
  let refused = 0;
  for (const token of tokens) {
    try {
      // Checked after the run, as at the moment the token was issued: signature and claims.
      const issuedAtS = decodeJwt(token).iat ?? 0;
      await jwtVerify(token, keys, { issuer: "floodgate", audience: room, currentDate: new Date(issuedAtS * 1000) });
      verified++;
    } catch {
      refused++;
    }
  }
  return { verified, refused };
}
