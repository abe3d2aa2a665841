"use client";

import type { AlertThresholdRecord } from "@/server/admin/admin-types";
import styles from "../common/admin.module.css";
import { DataTable } from "../common/data-table";
import { formatDuration } from "../common/format";
import { Stamp } from "../common/stamp";
import { alertStateLabels, alertStateTones } from "../common/status-labels";
import { describeRule, metricInfo } from "./threshold-form";

type ThresholdTableProps = {
  thresholds: readonly AlertThresholdRecord[];
  onEdit?: (threshold: AlertThresholdRecord) => void;
  onDelete?: (threshold: AlertThresholdRecord) => void;
};

/** An ARN's last part (the topic's name) is what tells topics apart at a glance. */
function topicName(arn: string): string {
  return arn.split(":").at(-1) ?? arn;
}

// A room's alert rules, each with its live state: OK or ALARM, and since when.
export function ThresholdTable({ thresholds, onEdit, onDelete }: ThresholdTableProps) {
  const actions = onEdit || onDelete;
  return (
    <DataTable
      testId="threshold-table"
      caption="Alert thresholds and their state"
      columns={[
        { label: "Threshold" },
        { label: "State" },
        { label: "Cooldown", className: styles.wideOnly },
        { label: "Sends to" },
        actions ? { label: "Actions", className: styles.num } : null,
      ]}
    >
      {thresholds.map((threshold) => {
        const label = threshold.name || metricInfo[threshold.metric].short;
        return (
          <tr key={threshold.id} data-testid={`threshold-${threshold.id}`}>
            <th scope="row">
              <div>{label}</div>
              <div className={styles.subline}>{describeRule(threshold)}</div>
            </th>
            <td className={styles.nowrap}>
              {threshold.enabled ? (
                <span
                  className={styles.badge}
                  data-tone={alertStateTones[threshold.state]}
                  data-state={threshold.state}
                  data-testid="threshold-state"
                >
                  {alertStateLabels[threshold.state]}
                </span>
              ) : (
                <span className={styles.badge} data-testid="threshold-state">
                  Off
                </span>
              )}
              {threshold.stateChangedAt ? (
                <div className={`${styles.small} ${styles.muted}`}>
                  since <Stamp iso={threshold.stateChangedAt} />
                </div>
              ) : null}
            </td>
            <td className={styles.wideOnly}>{formatDuration(threshold.cooldownSeconds)}</td>
            <td>
              {threshold.topicArn ? (
                <code title={threshold.topicArn}>{topicName(threshold.topicArn)}</code>
              ) : (
                <span className={styles.muted}>room channel</span>
              )}
            </td>
            {actions ? (
              <td>
                <div className={styles.rowActions}>
                  {onEdit ? (
                    <button
                      type="button"
                      className={`button button-secondary ${styles.compact}`}
                      aria-label={`Edit ${label}`}
                      onClick={() => onEdit(threshold)}
                    >
                      Edit
                    </button>
                  ) : null}
                  {onDelete ? (
                    <button
                      type="button"
                      className={`button ${styles.compact} ${styles.dangerOutline}`}
                      aria-label={`Delete ${label}`}
                      onClick={() => onDelete(threshold)}
                    >
                      Delete…
                    </button>
                  ) : null}
                </div>
              </td>
            ) : null}
          </tr>
        );
      })}
    </DataTable>
  );
}
