"use client";

import { errorMessage } from "@/components/queries/api";
import { useReachability } from "@/components/queries/reachability";
import styles from "./feedback.module.css";
import { formatClock } from "./format";

/** The part of a react-query result that tells whether what is on screen is current. */
export type Freshness = {
  data: unknown;
  isError: boolean;
  failureCount: number;
  dataUpdatedAt: number;
  error: unknown;
  /** The latest failure while retries are still running (error stays null until they give up). */
  failureReason: unknown;
};

/**
 * Queries that hold data but whose latest refresh failed, or that wait while the server is
 * unreachable (they make no request then, so nothing of theirs fails): the numbers are old.
 */
export function staleQueries(queries: readonly Freshness[], serverReachable = true): Freshness[] {
  return queries.filter(
    (query) => query.data !== undefined && (!serverReachable || query.isError || query.failureCount > 0),
  );
}

/** staleQueries for a component: also stale while the console cannot reach the server. */
export function useStaleQueries(queries: readonly Freshness[]): Freshness[] {
  return staleQueries(queries, useReachability().reachable);
}

// Polling failed but old numbers are still on screen: say so loudly, with their age, rather
// than let an operator act on a queue depth from a minute ago.
export function StaleBanner({ queries }: { queries: readonly Freshness[] }) {
  const stale = useStaleQueries(queries);
  const oldest = stale.reduce<Freshness | null>(
    (acc, query) => (acc === null || query.dataUpdatedAt < acc.dataUpdatedAt ? query : acc),
    null,
  );
  return (
    <div role="status" aria-live="polite" className={styles.staleSlot}>
      {oldest ? (
        <p className={styles.stale} data-testid="stale-banner">
          <span className={styles.staleIcon} aria-hidden="true">
            !
          </span>
          <span>
            <strong>Data is stale</strong> — last updated {formatClock(oldest.dataUpdatedAt)}, retrying.{" "}
            <span className={styles.staleReason}>
              {oldest.error || oldest.failureReason
                ? errorMessage(oldest.error ?? oldest.failureReason)
                : "Cannot reach the server."}
            </span>
          </span>
        </p>
      ) : null}
    </div>
  );
}

/** "Live · updated 14:03:22" next to a title, or "Stale" while refreshes fail. */
export function LiveStamp({ query }: { query: Freshness }) {
  const stale = useStaleQueries([query]).length > 0;
  if (query.data === undefined) return null;
  return (
    <span className={styles.stamp} data-stale={stale || undefined}>
      <span className={styles.stampDot} aria-hidden="true" />
      {stale ? "Stale" : "Live"} · updated {formatClock(query.dataUpdatedAt)}
    </span>
  );
}
