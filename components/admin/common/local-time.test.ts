import { describe, expect, it } from "vitest";
import {
  epochMsToLocalInput,
  formatZoneOffset,
  localInputToEpochMs,
  localInputToIso,
  zoneOffsetMs,
} from "./local-time";

describe("datetime-local values and instants", () => {
  it.each([
    ["Asia/Seoul", "2025-03-12T19:00", "2025-03-12T10:00:00.000Z"],
    ["UTC", "2025-03-12T19:00", "2025-03-12T19:00:00.000Z"],
    ["America/New_York", "2025-01-15T08:30", "2025-01-15T13:30:00.000Z"],
    ["America/New_York", "2025-07-15T08:30", "2025-07-15T12:30:00.000Z"],
    ["Asia/Kolkata", "2025-03-12T00:00", "2025-03-11T18:30:00.000Z"],
    ["Asia/Seoul", "2025-03-12T19:00:30", "2025-03-12T10:00:30.000Z"],
  ])("%s %s is %s, and back", (zone, local, iso) => {
    expect(localInputToIso(local, zone)).toBe(iso);
    expect(epochMsToLocalInput(Date.parse(iso), zone)).toBe(local.slice(0, 16));
  });

  it("writes seconds when asked, and reads them back", () => {
    const epochMs = Date.parse("2025-03-12T10:00:05.700Z");
    expect(epochMsToLocalInput(epochMs, "Asia/Seoul", "seconds")).toBe("2025-03-12T19:00:05");
    expect(localInputToEpochMs("2025-03-12T19:00:05", "Asia/Seoul")).toBe(Date.parse("2025-03-12T10:00:05Z"));
  });

  it("reads a time the spring-forward jump skips as the same clock time after it", () => {
    // Berlin, 30 March 2025: 02:00 CET becomes 03:00 CEST; 02:30 never shows on a clock.
    expect(localInputToIso("2025-03-30T02:30", "Europe/Berlin")).toBe("2025-03-30T01:30:00.000Z");
    expect(epochMsToLocalInput(Date.parse("2025-03-30T01:30:00.000Z"), "Europe/Berlin")).toBe("2025-03-30T03:30");
  });

  it("reads an hour that happens twice (autumn) as its first occurrence", () => {
    // Berlin, 26 October 2025: 03:00 CEST goes back to 02:00 CET; 02:30 happens at 00:30Z and 01:30Z.
    expect(localInputToIso("2025-10-26T02:30", "Europe/Berlin")).toBe("2025-10-26T00:30:00.000Z");
  });

  it.each(["", "2025-03-12", "2025-03-12 19:00", "2025-02-30T10:00", "2025-03-12T24:00", "2025-03-12T10:60", "soon"])(
    "refuses %j",
    (value) => {
      expect(localInputToEpochMs(value, "Asia/Seoul")).toBeNull();
      expect(localInputToIso(value, "Asia/Seoul")).toBeNull();
    },
  );
});

describe("zone offsets", () => {
  it.each([
    ["Asia/Seoul", "2025-03-12T10:00:00Z", 9 * 60, "UTC+09:00"],
    ["UTC", "2025-03-12T10:00:00Z", 0, "UTC"],
    ["America/New_York", "2025-01-15T13:30:00Z", -5 * 60, "UTC−05:00"],
    ["America/New_York", "2025-07-15T13:30:00Z", -4 * 60, "UTC−04:00"],
    ["Asia/Kolkata", "2025-03-12T10:00:00Z", 5 * 60 + 30, "UTC+05:30"],
  ])("%s at %s is %i minutes (%s)", (zone, iso, minutes, label) => {
    expect(zoneOffsetMs(Date.parse(iso), zone)).toBe(minutes * 60_000);
    expect(formatZoneOffset(Date.parse(iso), zone)).toBe(label);
  });
});
