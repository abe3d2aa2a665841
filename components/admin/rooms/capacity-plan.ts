// Why a room has the capacity it has, in the words the console uses: "Effective 500 — event
// “Spring sale” until 19:00; base 100". The highest source applies (server/schedule).
import type { CapacityPlanResponse, CapacitySource } from "@/server/admin/admin-types";
import { formatCount } from "../common/format";

/** How an end time reads ("19:00", or with the date when not today). */
export type FormatTime = (iso: string) => string;

export function describeSource(source: CapacitySource, formatTime: FormatTime): string {
  if (source.kind === "event") return `event “${source.name}” until ${formatTime(source.until)}`;
  if (source.kind === "surge") return `surge until ${formatTime(source.until)}`;
  return "base capacity";
}

/** The raising source that applies now; null when the base does. */
export function applyingSource(plan: CapacityPlanResponse): CapacitySource | null {
  const top = plan.sources[0];
  return top && top.kind !== "base" && top.capacity > plan.baseCapacity ? top : null;
}

export function capacitySummary(plan: CapacityPlanResponse, formatTime: FormatTime): string {
  const top = applyingSource(plan);
  if (!top) return `Base ${formatCount(plan.baseCapacity)}: no event or surge raises it now`;
  return `Effective ${formatCount(plan.effectiveCapacity)} — ${describeSource(top, formatTime)}; base ${formatCount(plan.baseCapacity)}`;
}

/** For a room card, which already shows the capacity: "base 100 · event “Spring sale” until 19:00". */
export function raiseLine(plan: CapacityPlanResponse, formatTime: FormatTime): string | null {
  const top = applyingSource(plan);
  return top ? `base ${formatCount(plan.baseCapacity)} · ${describeSource(top, formatTime)}` : null;
}

/** What the capacity falls back to when the surge ends: the highest event still running, else base. */
export function capacityWithoutSurge(plan: CapacityPlanResponse): number {
  return plan.sources
    .filter((source) => source.kind === "event")
    .reduce((highest, source) => Math.max(highest, source.capacity), plan.baseCapacity);
}
