import { createLocalJWKSet, decodeProtectedHeader, jwtVerify } from "jose";
import { describe, expect, it } from "vitest";
import { tempDatabaseUrl, testDataDir } from "@/server/testing/temp-db";
import { allRespellings } from "@/server/testing/token-spellings";
import { createAdmissionTokens } from "@/server/tokens/admission-token";
import { loadSecrets } from "@/server/tokens/secrets";

// Admission tokens are checked by their claims (the visitor id), never by their string: ECDSA
// signatures are malleable anyway. A non-canonical base64url spelling is still refused, so the
// one token the engine signed is the one spelling that opens the protected path.

async function admissionTokens() {
  return createAdmissionTokens(await loadSecrets({ dataDir: testDataDir(tempDatabaseUrl()) }));
}

describe("admission tokens", () => {
  it("verify for their room and name the visitor", async () => {
    const tokens = await admissionTokens();
    const token = await tokens.issue({ room: "shop", visitorId: "abcdefghijkl", admissionNo: 3, lifetimeMs: 20_000 });
    expect(await tokens.verifiedVisitor(token, "shop")).toBe("abcdefghijkl");
    expect(await tokens.verifiedAdmission(token, "shop")).toEqual({ visitorId: "abcdefghijkl", admissionNo: 3 });
    expect(await tokens.verifiedVisitor(token, "other")).toBeNull();
  });

  it("refuses every other base64url spelling of any segment", async () => {
    const tokens = await admissionTokens();
    for (const visitorId of ["abcdefghijkl", "abcdefghijklm", "abcdefghijklmn"]) {
      const token = await tokens.issue({ room: "shop", visitorId, admissionNo: 1, lifetimeMs: 20_000 });
      const respellings = allRespellings(token);
      // The 86-character ES256 signature alone has 3 other spellings.
      expect(respellings.length).toBeGreaterThanOrEqual(3);
      for (const respelled of respellings) expect(await tokens.verifiedVisitor(respelled, "shop")).toBeNull();
    }
  });

  it("are plain ES256 JWTs that any origin verifies with the JWKS alone, valid for their lifetime", async () => {
    const tokens = await admissionTokens();
    const before = Math.floor(Date.now() / 1000);
    const token = tokens.issue({ room: "shop", visitorId: "abcdefghijkl", admissionNo: 7, lifetimeMs: 20_000 });
    expect(decodeProtectedHeader(token)).toEqual({ alg: "ES256", kid: tokens.jwks().keys[0]?.kid });
    const { payload } = await jwtVerify(token, createLocalJWKSet(tokens.jwks()), {
      algorithms: ["ES256"],
      issuer: "floodgate",
      audience: "shop",
    });
    expect(payload).toMatchObject({ sub: "abcdefghijkl", adm: 7, room: "shop" });
    expect(payload.iat).toBeGreaterThanOrEqual(before);
    expect((payload.exp ?? 0) - (payload.iat ?? 0)).toBe(20);
    // Another key's JWKS refuses it.
    const other = await createAdmissionTokens(await loadSecrets({ dataDir: testDataDir(tempDatabaseUrl()) }));
    await expect(jwtVerify(token, createLocalJWKSet(other.jwks()))).rejects.toThrow();
  });
});
