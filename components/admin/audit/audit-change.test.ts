import { describe, expect, it } from "vitest";
import { describeChange } from "./audit-change";

describe("describeChange", () => {
  it("lists only the keys that changed", () => {
    expect(describeChange({ capacity: 0, name: "Shop" }, { capacity: 1, name: "Shop" })).toEqual([
      { key: "capacity", before: "0", after: "1" },
    ]);
  });

  it("shows a created record as values with no before", () => {
    expect(describeChange(null, { role: "operator", disabled: false })).toEqual([
      { key: "role", before: null, after: "operator" },
      { key: "disabled", before: null, after: "no" },
    ]);
  });

  it("shows plain values as one line", () => {
    expect(describeChange(50, 200)).toEqual([{ key: null, before: "50", after: "200" }]);
    expect(describeChange(["/a"], ["/a", "/b"])).toEqual([{ key: null, before: "/a", after: "/a, /b" }]);
  });

  it("has nothing to say when both sides are empty", () => {
    expect(describeChange(null, undefined)).toEqual([]);
  });
});
