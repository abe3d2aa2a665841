"use client";

import type { AlertEventRecord } from "@/server/admin/admin-types";
import styles from "../common/admin.module.css";
import { type Column, DataTable } from "../common/data-table";
import { formatRate } from "../common/format";
import { Stamp } from "../common/stamp";
import { alertStateLabels, alertStateTones, notificationLabels, notificationTones } from "../common/status-labels";

function columnsFor(showRoom: boolean): (Column | false)[] {
  return [
    { label: "When" },
    showRoom && { label: "Room" },
    { label: "Change" },
    { label: "Value", className: styles.num },
    { label: "Alert" },
    { label: "Notification" },
  ];
}

// Thresholds' changes of state, newest first: when, where, from what to what, at which value,
// and whether anyone was told.
export function AlertHistoryTable({ events, showRoom }: { events: readonly AlertEventRecord[]; showRoom: boolean }) {
  return (
    <DataTable
      testId="alert-history"
      caption="Alert history, newest first"
      columns={columnsFor(showRoom)}
      empty="No alerts yet."
    >
      {events.map((event) => (
        <tr key={event.id} data-testid={`alert-${event.id}`}>
          <th scope="row" className={styles.nowrap}>
            <Stamp iso={event.at} />
          </th>
          {showRoom ? (
            <td>
              <code>{event.roomId}</code>
            </td>
          ) : null}
          <td className={styles.nowrap}>
            <span className={styles.badge} data-tone={alertStateTones[event.fromState]}>
              {alertStateLabels[event.fromState]}
            </span>{" "}
            →{" "}
            <span className={styles.badge} data-tone={alertStateTones[event.toState]} data-state={event.toState}>
              {alertStateLabels[event.toState]}
            </span>
          </td>
          <td className={styles.num}>{event.value === null ? "—" : formatRate(event.value)}</td>
          <td>{event.message}</td>
          <td className={styles.nowrap}>
            <span className={styles.badge} data-tone={notificationTones[event.notification]}>
              {notificationLabels[event.notification]}
            </span>
          </td>
        </tr>
      ))}
    </DataTable>
  );
}
