// What a node knows about the cluster it is part of, for /healthz, logs and the console.
// Plain types: the console imports them.

export type ClusterRole = "single" | "leader" | "follower" | "electing";

export type ClusterStatus = {
  /** `single`: no cluster configured (this process runs everything). */
  role: ClusterRole;
  /** This node's id (its URL and a boot id); null when not clustered. */
  nodeId: string | null;
  /** The node running the rooms now, as far as this node knows; null while none is known. */
  leaderUrl: string | null;
  /** The lease's fencing token while this node leads. */
  fencingToken: number | null;
  /** When this node took its current role (epoch ms). */
  sinceMs: number;
};
