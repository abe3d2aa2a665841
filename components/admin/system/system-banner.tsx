"use client";

import { useSystemStatus } from "@/components/queries/use-system-status";
import styles from "./system.module.css";
import { outageSentence } from "./system-labels";

// Across the top of every console page while the queue store is unreachable or no node leads: what visitors
// experience right now (fail-closed or fail-open), so nobody has to guess from flat charts.
export function SystemBanner() {
  const { data } = useSystemStatus();
  const sentence = data ? outageSentence(data) : null;
  return (
    <div role="status" aria-live="polite" className={styles.bannerSlot}>
      {data && sentence ? (
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
