"use client";

import type { AdminToken } from "@/server/admin/admin-types";
import styles from "../common/admin.module.css";
import { DataTable } from "../common/data-table";
import { formatClock, formatCount, formatDateTime, formatDuration } from "../common/format";
import type { TokenAction } from "./token-actions";
import type { TokenRow } from "./token-outcomes";

const stateBadge: Record<AdminToken["state"], { label: string; tone: string }> = {
  waiting: { label: "Waiting", tone: "accent" },
  admitting: { label: "Admitting", tone: "warn" },
  admitted: { label: "Admitted", tone: "ok" },
};

function Time({ iso }: { iso: string | null }) {
  if (!iso) return <span className={styles.muted}>—</span>;
  return (
    <time dateTime={iso} title={formatDateTime(iso)} className={styles.nowrap}>
      {formatClock(iso)}
    </time>
  );
}

/** The row's mark after an operator's action on it (see token-outcomes.ts). */
const outcomeNote: Record<NonNullable<TokenRow["outcome"]>["kind"], string> = {
  evicted: "Evicted",
  admitted: "Admitted just now",
  "moved-to-front": "Moved to the front just now",
};

type TokenTableProps = {
  rows: TokenRow[];
  /** Omitted for people who may not act (viewers): the actions column disappears. */
  onAction?: (action: TokenAction) => void;
  caption: string;
};

export function TokenTable({ rows, onAction, caption }: TokenTableProps) {
  return (
    <DataTable
      testId="token-table"
      caption={caption}
      columns={[
        { label: "Reference" },
        { label: "State" },
        { label: "Place", className: styles.num },
        { label: "Joined", className: styles.wideOnly },
        { label: "Waited", className: styles.num },
        { label: "Admitted" },
        { label: "Expires", className: styles.wideOnly },
        onAction ? { label: "Actions", className: styles.num } : null,
      ]}
      empty="No visitors match."
    >
      {rows.map(({ token, outcome, gone }) => {
        const badge = gone ? { label: "Evicted", tone: "danger" } : stateBadge[token.state];
        return (
          <tr
            key={token.id}
            data-testid={`token-row-${token.id}`}
            data-gone={gone || undefined}
            data-outcome={outcome?.kind}
          >
            <th scope="row" className={`${styles.mono} ${styles.nowrap}`} title={`Visitor id ${token.id}`}>
              {token.reference}
            </th>
            <td>
              <span className={styles.badge} data-tone={badge.tone}>
                {badge.label}
              </span>
              {outcome && !gone ? <span className={styles.outcomeNote}>{outcomeNote[outcome.kind]}</span> : null}
              {token.leaving ? <span className={`${styles.small} ${styles.muted}`}> · leaving</span> : null}
              {token.bypassed ? <span className={`${styles.small} ${styles.muted}`}> · skipped the line</span> : null}
            </td>
            <td className={styles.num}>{token.position === null ? "—" : formatCount(token.position)}</td>
            <td className={styles.wideOnly}>
              <Time iso={token.enteredAt} />
            </td>
            <td className={`${styles.num} ${styles.nowrap}`}>{formatDuration(token.waitedSeconds)}</td>
            <td>
              <Time iso={token.admittedAt} />
            </td>
            <td className={styles.wideOnly}>
              <Time iso={token.expiresAt} />
            </td>
            {onAction && gone ? (
              <td className={styles.muted}>—</td>
            ) : onAction ? (
              <td>
                <div className={styles.rowActions}>
                  {token.state === "waiting" ? (
                    <button
                      type="button"
                      className={`button button-secondary ${styles.compact}`}
                      aria-label={`Admit visitor ${token.reference}`}
                      onClick={() => onAction({ kind: "admit", token })}
                    >
                      Admit
                    </button>
                  ) : null}
                  <button
                    type="button"
                    className={`button ${styles.compact} ${styles.dangerOutline}`}
                    aria-label={`Evict visitor ${token.reference}`}
                    onClick={() => onAction({ kind: "evict", token })}
                  >
                    Evict
                  </button>
                </div>
              </td>
            ) : null}
          </tr>
        );
      })}
    </DataTable>
  );
}
