import { describe, expect, it } from "vitest";
import { addressRanges, isCidr } from "@/server/queue/bypass";

describe("bypass address ranges", () => {
  const ranges = addressRanges(["10.0.0.0/8", "192.0.2.7/32", "2001:db8::/32"]);

  it.each([
    ["10.1.2.3", true],
    ["::ffff:10.1.2.3", true],
    ["192.0.2.7", true],
    ["192.0.2.8", false],
    ["2001:db8::1", true],
    ["2001:db9::1", false],
    ["11.0.0.1", false],
    ["not an address", false],
    ["", false],
  ])("%s in the ranges: %s", (address, inside) => {
    expect(ranges.contains(address)).toBe(inside);
  });

  it("matches nothing without ranges, or without an address", () => {
    expect(addressRanges([]).contains("10.0.0.1")).toBe(false);
    expect(ranges.contains(null)).toBe(false);
  });

  it.each([
    ["10.0.0.0/8", true],
    ["2001:db8::/32", true],
    ["10.0.0.0/33", false],
    ["10.0.0.0", false],
    ["example.com/8", false],
  ])("%s is a CIDR range: %s", (text, valid) => {
    expect(isCidr(text)).toBe(valid);
  });
});
