import { jwtVerify } from "jose";
import { describe, expect, it } from "vitest";
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
