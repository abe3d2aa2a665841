"use client";

import type { ReactNode } from "react";
import styles from "./admin.module.css";
import { type Freshness, LiveStamp, StaleBanner } from "./stale-banner";

type PageHeaderProps = {
  title: ReactNode;
  subtitle?: ReactNode;
  actions?: ReactNode;
  /** The polled queries behind this page: their freshness shows under the title. */
  queries?: readonly Freshness[];
};

export function PageHeader({ title, subtitle, actions, queries = [] }: PageHeaderProps) {
  const main = queries[0];
  return (
    <div>
      <header className={styles.pageHeader}>
        <div>
          <h1 className={styles.title}>{title}</h1>
          {subtitle ? <p className={styles.subtitle}>{subtitle}</p> : null}
        </div>
        <div className={styles.headerActions}>
          {main ? <LiveStamp query={main} /> : null}
          {actions}
        </div>
      </header>
      <StaleBanner queries={queries} />
    </div>
  );
}
