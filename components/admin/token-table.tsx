"use client";

import type { AdminToken } from "@/server/admin/admin-types";
import styles from "./admin.module.css";
import { formatClock, formatCount, formatDateTime, formatDuration, shortId } from "./format";
import type { TokenAction } from "./token-actions";

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

type TokenTableProps = {
  tokens: AdminToken[];
  /** Omitted for people who may not act (viewers): the actions column disappears. */
  onAction?: (action: TokenAction) => void;
  caption: string;
};

export function TokenTable({ tokens, onAction, caption }: TokenTableProps) {
  return (
    <div className={styles.tableWrap}>
      <table className={styles.table} data-testid="token-table">
        <caption className="visually-hidden">{caption}</caption>
        <thead>
          <tr>
            <th scope="col">Visitor</th>
            <th scope="col">State</th>
            <th scope="col" className={styles.num}>
              Place
            </th>
            <th scope="col" className={styles.wideOnly}>
              Joined
            </th>
            <th scope="col" className={styles.num}>
              Waited
            </th>
            <th scope="col">Admitted</th>
            <th scope="col" className={styles.wideOnly}>
              Expires
            </th>
            {onAction ? (
              <th scope="col" className={styles.num}>
                Actions
              </th>
            ) : null}
          </tr>
        </thead>
        <tbody>
          {tokens.length === 0 ? (
            <tr>
              <td colSpan={onAction ? 8 : 7} className={styles.empty}>
                No visitors match.
              </td>
            </tr>
          ) : (
            tokens.map((token) => {
              const badge = stateBadge[token.state];
              return (
                <tr key={token.id} data-testid={`token-row-${token.id}`}>
                  <th scope="row" className={`${styles.mono} ${styles.nowrap}`} title={token.id}>
                    {shortId(token.id)}
                  </th>
                  <td>
                    <span className={styles.badge} data-tone={badge.tone}>
                      {badge.label}
                    </span>
                    {token.leaving ? <span className={`${styles.small} ${styles.muted}`}> · leaving</span> : null}
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
                  {onAction ? (
                    <td>
                      <div className={styles.rowActions}>
                        {token.state === "waiting" ? (
                          <button
                            type="button"
                            className={`button button-secondary ${styles.compact}`}
                            aria-label={`Admit visitor ${shortId(token.id)}`}
                            onClick={() => onAction({ kind: "admit", token })}
                          >
                            Admit
                          </button>
                        ) : null}
                        <button
                          type="button"
                          className={`button ${styles.compact} ${styles.dangerOutline}`}
                          aria-label={`Evict visitor ${shortId(token.id)}`}
                          onClick={() => onAction({ kind: "evict", token })}
                        >
                          Evict
                        </button>
                      </div>
                    </td>
                  ) : null}
                </tr>
              );
            })
          )}
        </tbody>
      </table>
    </div>
  );
}
