import "server-only";
import { ClusterNode } from "@/server/cluster/cluster-node";
import type { Env } from "@/server/env";
import type { assembleFloodgate } from "@/server/floodgate";
import type { Logger } from "@/server/log";
import { DynamoLease } from "@/server/store/dynamodb-lease";
import { DynamoQueueStore } from "@/server/store/dynamodb-store";
import type { QueueStore } from "@/server/store/queue-store";

// Makes this process a cluster node (FLOODGATE_CLUSTER=1): assembled without loading the rooms,
// it contends for the cluster lease and runs the rooms only while it holds it. Loaded only in
// cluster mode (it brings the AWS SDK).

type Floodgate = Awaited<ReturnType<typeof assembleFloodgate>>;

export async function joinCluster(config: Env, floodgate: Floodgate, logger: Logger) {
  const { FLOODGATE_NODE_URL: nodeUrl, FLOODGATE_CLUSTER_SECRET: secret } = config;
  if (!nodeUrl || !secret) throw new Error("cluster mode needs FLOODGATE_NODE_URL and FLOODGATE_CLUSTER_SECRET");
  const store = dynamoStoreOf(floodgate.store);
  const { engine } = floodgate;
  const lease = DynamoLease.open({
    tableName: config.FLOODGATE_DYNAMODB_TABLE,
    region: config.FLOODGATE_DYNAMODB_REGION,
    endpoint: config.FLOODGATE_DYNAMODB_ENDPOINT,
  });
  const node = new ClusterNode({
    nodeUrl,
    secret,
    leaseTtlMs: config.FLOODGATE_LEASE_TTL_MS,
    lease,
    engine,
    setFence: (fence, onFenced) => store.setFence(fence, onFenced),
    lead: async () => {
      await engine.start();
      // What other leaders changed meanwhile is in the shared database: read it afresh.
      floodgate.alerts.reload();
      await floodgate.startBackground();
    },
    follow: async () => {
      await floodgate.schedule.stop();
      await floodgate.sampler.stop();
      await floodgate.notifications.stop();
      await engine.unload();
    },
    logger: logger.child({ component: "cluster" }),
  });
  floodgate.reportClusterStatus(() => node.status());
  await node.start();
  return {
    node,
    /** Steps down and releases the lease (another node takes over at once); before floodgate.close(). */
    async leave() {
      await node.stop();
      lease.close();
    },
  };
}

/** The DynamoDB store under any wrappers (a wrapper exposes what it wraps as `inner`). */
function dynamoStoreOf(store: QueueStore): DynamoQueueStore {
  for (let current: unknown = store; current; current = (current as { inner?: unknown }).inner) {
    if (current instanceof DynamoQueueStore) return current;
  }
  throw new Error("cluster mode needs the DynamoDB queue store (FLOODGATE_STORE=dynamodb)");
}
