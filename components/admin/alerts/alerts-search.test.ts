import { describe, expect, it } from "vitest";
import { alertsSearchString, parseAlertsSearch } from "./alerts-search";

describe("alerts search params", () => {
  it("reads filters and pages", () => {
    expect(parseAlertsSearch({ room: "shop", status: "failed", history: "2", page: "3" })).toEqual({
      room: "shop",
      status: "failed",
      historyPage: 2,
      deliveryPage: 3,
    });
  });

  it.each([
    [{ status: "exploded" }, { status: "" }],
    [{ page: "0" }, { deliveryPage: 1 }],
    [{ history: "-4" }, { historyPage: 1 }],
    [{ page: "two" }, { deliveryPage: 1 }],
    [{ room: ["a", "b"] }, { room: "a" }],
  ])("%j reads as %j", (params, expected) => {
    expect(parseAlertsSearch(params)).toMatchObject(expected);
  });

  it("writes only what differs from the defaults, and reads it back the same", () => {
    const search = { room: "shop", status: "retrying" as const, historyPage: 1, deliveryPage: 4 };
    const text = alertsSearchString(search);
    expect(text).toBe("?room=shop&status=retrying&page=4");
    expect(parseAlertsSearch(Object.fromEntries(new URLSearchParams(text)))).toEqual(search);
    expect(alertsSearchString({ room: "", status: "", historyPage: 1, deliveryPage: 1 })).toBe("");
  });
});
