"use client";

import { useReachability } from "@/components/queries/reachability";
import { useSystemStatus } from "@/components/queries/use-system-status";
import adminStyles from "../common/admin.module.css";
import { formatClock, formatCount } from "../common/format";
import { QueryState } from "../common/query-state";
import styles from "./system.module.css";
import { breakerLabels, breakerTones, clusterRoleLabels, failureModeLabels, storeKindLabels } from "./system-labels";

// The dashboard's "System" card: which queue store, whether it answers, this node's place in
// the cluster, and what happens to visitors if the store goes away. While the console cannot
// reach the server it says so first; what it knew before stays, greyed, with its time.
export function SystemCard() {
  const system = useSystemStatus();
  const { reachable, unreachableSinceMs } = useReachability();
  const data = system.data;
  const lost = !reachable || (system.isError && data !== undefined);
  return (
    <section className={`${adminStyles.panel} ${styles.card}`} aria-labelledby="system-title" data-testid="system-card">
      <div className={styles.cardHead}>
        <h2 id="system-title" className={adminStyles.panelTitle}>
          System
        </h2>
        {lost ? (
          <span className={adminStyles.badge} data-tone="danger" data-testid="system-breaker">
            Unreachable
          </span>
        ) : data ? (
          <span className={adminStyles.badge} data-tone={breakerTones[data.store.breaker]} data-testid="system-breaker">
            {breakerLabels[data.store.breaker]}
          </span>
        ) : null}
      </div>
      {lost ? (
        <p className={styles.lost} data-testid="system-unreachable">
          <strong>
            {unreachableSinceMs === null
              ? "The server did not answer."
              : `Can’t reach the server since ${formatClock(unreachableSinceMs)}.`}
          </strong>{" "}
          {data ? `Last known state below, from ${formatClock(system.dataUpdatedAt)}.` : null} Retrying, less often the
          longer it lasts.
        </p>
      ) : null}
      {!data ? (
        lost ? null : (
          <QueryState what="system status" isPending={system.isPending} error={system.error} onRetry={system.refetch} />
        )
      ) : (
        <dl className={adminStyles.facts} data-stale={lost || undefined}>
          <dt>Queue store</dt>
          <dd>
            {storeKindLabels[data.store.kind]}
            {data.store.state === "ok"
              ? ""
              : ` · unreachable since ${formatClock(data.store.sinceMs)}, ${formatCount(data.store.consecutiveFailures)} failures in a row`}
          </dd>
          {data.store.lastError ? (
            <>
              <dt>Last store error</dt>
              <dd className={adminStyles.mono}>
                {data.store.lastError}
                {data.store.lastErrorAtMs ? ` (${formatClock(data.store.lastErrorAtMs)})` : ""}
              </dd>
            </>
          ) : null}
          <dt>Cluster</dt>
          <dd>
            {clusterRoleLabels[data.cluster.role]}
            {data.cluster.role === "single" ? "" : ` since ${formatClock(data.cluster.sinceMs)}`}
          </dd>
          {data.cluster.role === "single" ? null : (
            <>
              <dt>Leader</dt>
              <dd className={adminStyles.mono}>{data.cluster.leaderUrl ?? "none known"}</dd>
              <dt>This node</dt>
              <dd className={adminStyles.mono}>{data.cluster.nodeId ?? "—"}</dd>
            </>
          )}
          <dt>If the store fails</dt>
          <dd data-testid="system-failure-mode">{failureModeLabels[data.failureMode]}</dd>
          {data.failureMode === "open" ? (
            <>
              <dt>Let through (fail-open)</dt>
              <dd>{formatCount(data.failOpenAdmissions)} since start</dd>
            </>
          ) : null}
        </dl>
      )}
    </section>
  );
}
