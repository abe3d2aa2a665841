// The surge policy editor's values, checks and input: what a trigger raises the room to, for
// how long, and (optionally) when a surge may end early because traffic has fallen off.
import type { SurgePolicyRecord } from "@/server/admin/admin-types";
import { parseDecimal, parseWhole } from "../common/number-input";
import { MAX_CAPACITY } from "./event-form";

export type SurgePolicyInput = Omit<SurgePolicyRecord, "roomId">;

export type SurgePolicyValues = {
  capacity: string;
  holdMinutes: string;
  endEarly: boolean;
  endBelowArrivalsPerMin: string;
  endAfterLowMinutes: string;
  /** Empty: the room's own limit applies during a surge. */
  newUsersPerMinute: string;
};

export type SurgePolicyErrors = Partial<Record<keyof SurgePolicyValues, string>>;

export const DEFAULT_HOLD_MINUTES = 30;
export const MAX_HOLD_MINUTES = 24 * 60;

export function surgePolicyFormFrom(policy: SurgePolicyRecord | null, baseCapacity: number): SurgePolicyValues {
  return {
    capacity: String(policy?.capacity ?? Math.max(1, baseCapacity * 2)),
    holdMinutes: String(policy?.holdMinutes ?? DEFAULT_HOLD_MINUTES),
    endEarly: policy?.endBelowArrivalsPerMin != null,
    endBelowArrivalsPerMin: policy?.endBelowArrivalsPerMin == null ? "" : String(policy.endBelowArrivalsPerMin),
    endAfterLowMinutes: String(policy?.endAfterLowMinutes ?? 5),
    newUsersPerMinute: policy?.newUsersPerMinute == null ? "" : String(policy.newUsersPerMinute),
  };
}

export function validateSurgePolicy(values: SurgePolicyValues): {
  errors: SurgePolicyErrors;
  input: SurgePolicyInput | null;
} {
  const errors: SurgePolicyErrors = {};
  const capacity = parseWhole(values.capacity, 1, MAX_CAPACITY, "a capacity");
  if (typeof capacity === "string") errors.capacity = capacity;
  const holdMinutes = parseWhole(values.holdMinutes, 1, MAX_HOLD_MINUTES, "a hold time in minutes");
  if (typeof holdMinutes === "string") errors.holdMinutes = holdMinutes;
  // The early-end fields only count while the box is ticked; unticked, the hold always runs out.
  const below = values.endEarly ? parseDecimal(values.endBelowArrivalsPerMin, 0, 1_000_000, "an arrival rate") : null;
  if (typeof below === "string") errors.endBelowArrivalsPerMin = below;
  else if (below === 0) errors.endBelowArrivalsPerMin = "Arrivals can never fall below 0: enter more than 0.";
  const afterMinutes = parseWhole(values.endAfterLowMinutes, 1, MAX_HOLD_MINUTES, "a number of minutes");
  if (typeof afterMinutes === "string" && values.endEarly) errors.endAfterLowMinutes = afterMinutes;
  const newUsers =
    values.newUsersPerMinute.trim() === ""
      ? null
      : parseWhole(values.newUsersPerMinute, 1, 1_000_000, "new visitors per minute (or leave it empty)");
  if (typeof newUsers === "string") errors.newUsersPerMinute = newUsers;

  if (Object.keys(errors).length > 0) return { errors, input: null };
  return {
    errors,
    input: {
      capacity: capacity as number,
      holdMinutes: holdMinutes as number,
      endBelowArrivalsPerMin: below as number | null,
      endAfterLowMinutes: typeof afterMinutes === "number" ? afterMinutes : 5,
      newUsersPerMinute: newUsers as number | null,
    },
  };
}
