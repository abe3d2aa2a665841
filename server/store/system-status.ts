// What a node reports about its own health: the queue store's circuit breaker, the cluster,
// and the failure policy. Plain types (no runtime code): the console imports them.
import type { ClusterStatus } from "@/server/cluster/cluster-status";

export type StoreFailureMode = "closed" | "open";
export type BreakerState = "closed" | "open" | "half-open";

export type StoreHealth = {
  /** Which store this node uses. */
  kind: "sqlite" | "dynamodb";
  /** `degraded` while the breaker is not closed: the store is slow or unreachable. */
  state: "ok" | "degraded";
  breaker: BreakerState;
  /** When the breaker took its current state (epoch ms). */
  sinceMs: number;
  /** Failed or slow calls in a row (0 while healthy). */
  consecutiveFailures: number;
  /** The last failure's message (no stack, no request details); null if none since start. */
  lastError: string | null;
  /** Epoch ms of the last failure; null if none since start. */
  lastErrorAtMs: number | null;
  failureMode: StoreFailureMode;
};

export type SystemStatus = {
  status: "ok" | "degraded";
  store: StoreHealth;
  cluster: ClusterStatus;
  failureMode: StoreFailureMode;
  /** Visitors this node let through without a place while failing open, since start. */
  failOpenAdmissions: number;
};
