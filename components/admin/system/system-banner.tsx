"use client";

import { useReachability } from "@/components/queries/reachability";
import { useSystemStatus } from "@/components/queries/use-system-status";
import { formatClock } from "../common/format";
import styles from "./system.module.css";
import { outageSentence } from "./system-labels";

// Across the top of every console page while the queue store is unreachable or no node leads: what visitors
// experience right now (fail-closed or fail-open), so nobody has to guess from flat charts.
export function SystemBanner() {
  const { data } = useSystemStatus();
  const { reachable, unreachableSinceMs, browserOffline } = useReachability();
  const sentence = data ? outageSentence(data) : null;
  return (
    <div role="status" aria-live="polite" className={styles.bannerSlot}>
      {!reachable || browserOffline ? (
        // The console's own connection first: the server's last report may be fine and old.
        <p className={styles.banner} data-testid="unreachable-banner">
          <span className={styles.bannerIcon} aria-hidden="true">
            <span>!</span>
          </span>
          <span>
            <strong>
              {browserOffline
                ? "This browser is offline."
                : `Can’t reach the server since ${formatClock(unreachableSinceMs ?? Date.now())}.`}
            </strong>{" "}
            <span className={styles.bannerDetail}>
              Figures on this page are the last ones received. Retrying, less often the longer it lasts.
            </span>
          </span>
        </p>
      ) : data && sentence ? (
        <p className={styles.banner} data-mode={data.failureMode} data-testid="system-banner">
          <span className={styles.bannerIcon} aria-hidden="true">
            <span>!</span>
          </span>
          <span>
            <strong>{sentence}</strong>{" "}
            {data.store.lastError ? (
              <span className={styles.bannerDetail}>Last error: {data.store.lastError}</span>
            ) : null}
          </span>
        </p>
      ) : null}
    </div>
  );
}
