import { describe, expect, it } from "vitest";
import { parseEnv } from "@/server/env";

describe("parseEnv", () => {
  it("runs the demo with no configuration at all", () => {
    const env = parseEnv({});
    expect(env.FLOODGATE_STORE).toBe("sqlite");
    expect(env.FLOODGATE_DEFAULT_ROOM_PROTECTED_PATHS).toEqual(["/shop"]);
  });

  it.each([
    ["/", /whole site/],
    ["/shop,/admin", /own paths/],
    ["/api/admin", /own paths/],
    ["shop", /starts with \//],
  ])("refuses %s as the default room's protected paths, naming the variable", (paths, reason) => {
    expect(() => parseEnv({ FLOODGATE_DEFAULT_ROOM_PROTECTED_PATHS: paths })).toThrow(
      new RegExp(`FLOODGATE_DEFAULT_ROOM_PROTECTED_PATHS.*${reason.source}`),
    );
  });

  it("sends no notifications by default, and refuses a topic that is not an SNS ARN", () => {
    const env = parseEnv({});
    expect(env.FLOODGATE_SNS_TOPIC_ARN).toBeUndefined();
    expect(env.FLOODGATE_SNS_TIMEOUT_MS).toBe(3_000);
    expect(env.FLOODGATE_ALERT_TTL_S).toBe(600);
    expect(() => parseEnv({ FLOODGATE_SNS_TOPIC_ARN: "arn:aws:sqs:eu-west-1:123456789012:q" })).toThrow(
      /FLOODGATE_SNS_TOPIC_ARN.*SNS topic ARN/,
    );
    expect(() => parseEnv({ FLOODGATE_SNS_TIMEOUT_MS: "50" })).toThrow(/FLOODGATE_SNS_TIMEOUT_MS/);
  });

  it("names every bad variable at once", () => {
    expect(() => parseEnv({ PORT: "http", FLOODGATE_ADMIN_PASSWORD: "short" })).toThrow(
      /PORT.*FLOODGATE_ADMIN_PASSWORD|FLOODGATE_ADMIN_PASSWORD.*PORT/,
    );
  });
});
