"use client";

import type { DeliveryRecord } from "@/server/admin/admin-types";
import styles from "../common/admin.module.css";
import { type Column, DataTable } from "../common/data-table";
import { Stamp } from "../common/stamp";
import { deliveryKindLabels, deliveryStatusLabels, deliveryStatusTones } from "../common/status-labels";

function Outcome({ delivery }: { delivery: DeliveryRecord }) {
  if (delivery.status === "sent" && delivery.sentAt) {
    return (
      <span className={`${styles.muted} ${styles.nowrap}`}>
        at <Stamp iso={delivery.sentAt} />
      </span>
    );
  }
  if (delivery.status === "dropped") return <span className={styles.muted}>too old to be useful</span>;
  if (delivery.status === "pending" || delivery.status === "retrying") {
    // Past this the worker drops it instead of sending a stale alarm.
    return (
      <span className={`${styles.muted} ${styles.nowrap}`} title="Dropped if still unsent by then">
        expires <Stamp iso={delivery.expiresAt} />
      </span>
    );
  }
  return null;
}

const columns: Column[] = [
  { label: "Created" },
  { label: "Room" },
  { label: "Notification" },
  { label: "Status" },
  { label: "Attempts", className: styles.num },
  { label: "Last error" },
];

// Notifications on their way to SNS and what became of each: sent, retrying, failed (with the
// last error), or dropped once too old to be useful.
export function DeliveryTable({ deliveries }: { deliveries: readonly DeliveryRecord[] }) {
  return (
    <DataTable
      testId="delivery-log"
      caption="Delivery log, newest first"
      columns={columns}
      empty="No deliveries match."
    >
      {deliveries.map((delivery) => (
        <tr key={delivery.id} data-testid={`delivery-${delivery.id}`}>
          <th scope="row" className={styles.nowrap}>
            <Stamp iso={delivery.createdAt} />
          </th>
          <td>{delivery.roomId ? <code>{delivery.roomId}</code> : <span className={styles.muted}>—</span>}</td>
          <td>
            <div>
              <span className={styles.badge}>{deliveryKindLabels[delivery.kind]}</span> {delivery.subject}
            </div>
            <details className={styles.more}>
              <summary>Message and topic</summary>
              <p className={styles.small}>{delivery.message}</p>
              <p className={`${styles.small} ${styles.muted} ${styles.mono}`}>{delivery.topicArn}</p>
              {delivery.messageId ? (
                <p className={`${styles.small} ${styles.muted}`}>SNS message id {delivery.messageId}</p>
              ) : null}
            </details>
          </td>
          <td>
            <span
              className={styles.badge}
              data-tone={deliveryStatusTones[delivery.status]}
              data-status={delivery.status}
              data-testid="delivery-status"
            >
              {deliveryStatusLabels[delivery.status]}
            </span>
            <div className={styles.small}>
              <Outcome delivery={delivery} />
            </div>
          </td>
          <td className={styles.num}>{delivery.attempts}</td>
          <td className={styles.small}>
            {delivery.lastError ? (
              <span className={styles.errorText}>{delivery.lastError}</span>
            ) : (
              <span className={styles.muted}>—</span>
            )}
          </td>
        </tr>
      ))}
    </DataTable>
  );
}
