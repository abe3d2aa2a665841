"use client";

import type { ApiKeyRecord } from "@/server/admin/admin-types";
import styles from "../common/admin.module.css";
import { type Column, DataTable } from "../common/data-table";
import { Stamp } from "../common/stamp";

const columns: Column[] = [
  { label: "Key" },
  { label: "Rooms" },
  { label: "Created" },
  { label: "Last used" },
  { label: "Status" },
  { label: "Actions", className: styles.num },
];

// Every API key: which rooms it may surge, who made it, when it was last used; revoked ones
// stay listed (greyed) so the audit trail keeps a name to point at.
export function ApiKeyTable({
  keys,
  onRevoke,
}: {
  keys: readonly ApiKeyRecord[];
  onRevoke: (key: ApiKeyRecord) => void;
}) {
  return (
    <DataTable testId="api-key-table" caption="API keys" columns={columns} empty="No API keys yet.">
      {keys.map((key) => (
        <tr key={key.id} data-testid={`api-key-${key.id}`} data-revoked={key.revokedAt ? true : undefined}>
          <th scope="row">
            <div>{key.name}</div>
            <code className={styles.subline}>{key.prefix}…</code>
          </th>
          <td>
            {key.rooms.map((room) => (
              <code key={room} className={styles.chip}>
                {room}
              </code>
            ))}
          </td>
          <td className={styles.nowrap}>
            <Stamp iso={key.createdAt} />
            <div className={`${styles.small} ${styles.muted}`}>by {key.createdBy}</div>
          </td>
          <td className={styles.nowrap}>
            {key.lastUsedAt ? <Stamp iso={key.lastUsedAt} /> : <span className={styles.muted}>never</span>}
          </td>
          <td className={styles.nowrap}>
            {key.revokedAt ? (
              <>
                <span className={styles.badge} data-tone="danger">
                  Revoked
                </span>
                <div className={`${styles.small} ${styles.muted}`}>
                  <Stamp iso={key.revokedAt} />
                </div>
              </>
            ) : (
              <span className={styles.badge} data-tone="ok">
                Active
              </span>
            )}
          </td>
          <td>
            {key.revokedAt ? null : (
              <div className={styles.rowActions}>
                <button
                  type="button"
                  className={`button ${styles.compact} ${styles.dangerOutline}`}
                  aria-label={`Revoke ${key.name}`}
                  onClick={() => onRevoke(key)}
                >
                  Revoke…
                </button>
              </div>
            )}
          </td>
        </tr>
      ))}
    </DataTable>
  );
}
