import { jwtVerify } from "jose";
import { describe, expect, it } from "vitest";
import { tokenRespellings } from "@/server/testing/token-spellings";
import { createQueueTokens } from "@/server/tokens/queue-token";

const secret = "s".repeat(40);

describe("queue tokens", () => {
  it("issues standard HS256 JWTs that jose verifies", async () => {
    const tokens = createQueueTokens(secret);
    const token = tokens.issue({ jti: "abcdefghijkl", room: "default", seq: 42 });
    const { payload, protectedHeader } = await jwtVerify(token, new TextEncoder().encode(secret));
    expect(protectedHeader.alg).toBe("HS256");
    expect(payload).toMatchObject({ jti: "abcdefghijkl", room: "default", seq: 42 });
    const [h, , sig] = token.split(".");
    const tampered = `${h}.${Buffer.from(JSON.stringify({ room: "default", seq: 1, jti: "abcdefghijkl", iat: 1 })).toString("base64url")}.${sig}`;
    expect(await tokens.verify(tampered)).toBeNull();
    expect(await tokens.verify(token)).toMatchObject({ seq: 42, room: "default" });
  });

  it.each([
    ["another secret", () => createQueueTokens("t".repeat(40)).issue({ jti: "abcdefghijkl", room: "default", seq: 1 })],
    ["garbage", () => "a.b.c"],
    ["empty", () => ""],
    ["bad claims", () => createQueueTokens(secret).issue({ jti: "x", room: "Bad Room", seq: -1 })],
  ])("rejects a token with %s", async (_label, make) => {
    expect(await createQueueTokens(secret).verify(make())).toBeNull();
  });
});

describe("queue tokens: one spelling per token", () => {
  it.each([
    [0, "header"],
    [1, "payload"],
    [2, "signature"],
  ])("refuses every other base64url spelling of the %s (%s)", async (segment) => {
    const tokens = createQueueTokens(secret);
    // Payloads of different lengths put the last character's unused bits in both places (2 and 4 bits).
    for (const jti of ["abcdefghijkl", "abcdefghijklm", "abcdefghijklmn"]) {
      const token = tokens.issue({ jti, room: "default", seq: 42 });
      expect(await tokens.verify(token)).toMatchObject({ jti });
      for (const respelled of tokenRespellings(token, segment)) expect(await tokens.verify(respelled)).toBeNull();
    }
  });

  it("has respellings to refuse: the signature's last character carries two unused bits", () => {
    const token = createQueueTokens(secret).issue({ jti: "abcdefghijkl", room: "default", seq: 42 });
    expect(tokenRespellings(token, 2)).toHaveLength(3);
  });
});
