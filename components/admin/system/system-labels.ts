// Words for the node's health (banner and System card). Types only from the server.
import type { ClusterRole } from "@/server/cluster/cluster-status";
import type { BreakerState, StoreFailureMode, StoreHealth, SystemStatus } from "@/server/store/system-status";
import { formatClock, formatCount } from "../common/format";

export const storeKindLabels: Record<StoreHealth["kind"], string> = { sqlite: "SQLite", dynamodb: "DynamoDB" };

export const breakerLabels: Record<BreakerState, string> = {
  closed: "Healthy",
  open: "Unreachable",
  "half-open": "Unreachable, checking",
};

export const breakerTones: Record<BreakerState, "ok" | "warn" | "danger"> = {
  closed: "ok",
  open: "danger",
  "half-open": "warn",
};

export const clusterRoleLabels: Record<ClusterRole, string> = {
  single: "Single node",
  leader: "Leader (runs the rooms)",
  follower: "Follower",
  electing: "Electing a leader",
};

export const failureModeLabels: Record<StoreFailureMode, string> = {
  closed: "Fail closed: nobody new is admitted",
  open: "Fail open: visitors are let through, counted",
};

/** The banner's sentence while the store is unreachable or no node leads; null while healthy. */
export function outageSentence(status: SystemStatus): string | null {
  if (status.cluster.role === "electing") {
    return "No node leads the cluster right now (the leader stopped answering; another takes over within seconds) — visitors are asked to retry in a moment, everyone in line keeps their place. This page is served by a node that is not running the rooms.";
  }
  if (status.store.state === "ok") return null;
  const since = `Queue store unreachable since ${formatClock(status.store.sinceMs)}`;
  if (status.failureMode === "closed") {
    return `${since} — failing closed: nobody new is admitted, everyone in line keeps their place.`;
  }
  const count = status.failOpenAdmissions;
  return `${since} — failing open: visitors are let in without waiting (${formatCount(count)} let through so far), everyone in line keeps their place.`;
}
