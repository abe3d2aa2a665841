import { describe, expect, it } from "vitest";
import { type SurgePolicyValues, surgePolicyFormFrom, validateSurgePolicy } from "./surge-policy-form";

const valid: SurgePolicyValues = {
  capacity: "800",
  holdMinutes: "30",
  endEarly: true,
  endBelowArrivalsPerMin: "20",
  endAfterLowMinutes: "5",
  newUsersPerMinute: "",
};

describe("validateSurgePolicy", () => {
  it("turns valid values into a policy", () => {
    expect(validateSurgePolicy(valid)).toEqual({
      errors: {},
      input: {
        capacity: 800,
        holdMinutes: 30,
        endBelowArrivalsPerMin: 20,
        endAfterLowMinutes: 5,
        newUsersPerMinute: null,
      },
    });
  });

  it("sends no early end when the box is not ticked, whatever the fields hold", () => {
    const { errors, input } = validateSurgePolicy({
      ...valid,
      endEarly: false,
      endBelowArrivalsPerMin: "x",
      endAfterLowMinutes: "",
    });
    expect(errors).toEqual({});
    expect(input).toMatchObject({ endBelowArrivalsPerMin: null, endAfterLowMinutes: 5 });
  });

  it.each([
    [{ capacity: "0" }, "capacity"],
    [{ capacity: "" }, "capacity"],
    [{ holdMinutes: "0" }, "holdMinutes"],
    [{ holdMinutes: "1441" }, "holdMinutes"],
    [{ endBelowArrivalsPerMin: "" }, "endBelowArrivalsPerMin"],
    [{ endBelowArrivalsPerMin: "0" }, "endBelowArrivalsPerMin"],
    [{ endAfterLowMinutes: "0" }, "endAfterLowMinutes"],
  ] as const)("%j is refused on %s", (change, field) => {
    const { errors, input } = validateSurgePolicy({ ...valid, ...change });
    expect(input).toBeNull();
    expect(Object.keys(errors)).toEqual([field]);
  });
});

describe("surgePolicyFormFrom", () => {
  it("proposes twice the base capacity for 30 minutes when the room has no policy", () => {
    expect(surgePolicyFormFrom(null, 100)).toMatchObject({ capacity: "200", holdMinutes: "30", endEarly: false });
  });

  it("shows a policy's early end", () => {
    const policy = {
      roomId: "shop",
      capacity: 800,
      holdMinutes: 45,
      endBelowArrivalsPerMin: 12.5,
      endAfterLowMinutes: 3,
      newUsersPerMinute: null,
    };
    expect(surgePolicyFormFrom(policy, 100)).toEqual({
      capacity: "800",
      holdMinutes: "45",
      endEarly: true,
      endBelowArrivalsPerMin: "12.5",
      endAfterLowMinutes: "3",
      newUsersPerMinute: "",
    });
  });
});
