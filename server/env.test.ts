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

  it("names every bad variable at once", () => {
    expect(() => parseEnv({ PORT: "http", FLOODGATE_ADMIN_PASSWORD: "short" })).toThrow(
      /PORT.*FLOODGATE_ADMIN_PASSWORD|FLOODGATE_ADMIN_PASSWORD.*PORT/,
    );
  });
});
