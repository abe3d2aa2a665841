"use client";

import { useCapacityPlan } from "@/components/queries/use-capacity-plan";
import type { AdminRoom } from "@/server/admin/admin-types";
import { formatWhen } from "../common/format";
import { applyingSource, raiseLine } from "./capacity-plan";

/**
 * Whether an event or a surge holds the room above its base capacity, and which: the room
 * stats say that it is raised, the capacity plan (asked only then) says why.
 */
export function useCapacityRaise(room: AdminRoom): { raised: boolean; kind: string; summary: string | null } {
  const raised = room.stats.capacity !== room.stats.baseCapacity;
  const plan = useCapacityPlan(room.id, { enabled: raised });
  if (!raised) return { raised, kind: "", summary: null };
  const source = plan.data ? applyingSource(plan.data) : null;
  return {
    raised,
    kind: source?.kind ?? "raised",
    summary: plan.data ? raiseLine(plan.data, (iso) => formatWhen(iso)) : null,
  };
}
