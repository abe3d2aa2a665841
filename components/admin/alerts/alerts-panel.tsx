"use client";

import Link from "next/link";
import { useState } from "react";
import { errorMessage } from "@/components/queries/api";
import { useDeleteThreshold } from "@/components/queries/use-delete-threshold";
import { useThresholds } from "@/components/queries/use-thresholds";
import type { AlertThresholdRecord } from "@/server/admin/admin-types";
import styles from "../common/admin.module.css";
import { ConfirmDialog } from "../common/confirm-dialog";
import { FormMessages } from "../common/form-field";
import { QueryState } from "../common/query-state";
import { useCan } from "../common/session-context";
import { LiveStamp, StaleBanner } from "../common/stale-banner";
import { useEditor } from "../common/use-editor";
import capacityStyles from "../rooms/capacity.module.css";
import { NotificationChannel } from "./notification-channel";
import { ThresholdEditor } from "./threshold-editor";
import { describeRule } from "./threshold-form";
import { ThresholdTable } from "./threshold-table";

/** The threshold being edited; null inside: a new one. */
type Editing = { threshold: AlertThresholdRecord | null };

// A room's alerts: rules on its sampled figures with their live state, and where the
// notifications go. History and deliveries live on /admin/alerts.
export function AlertsPanel({ room }: { room: string }) {
  const mayEdit = useCan("operator");
  const thresholds = useThresholds(room);
  const remove = useDeleteThreshold(room);
  const editor = useEditor<Editing>();
  const [deleting, setDeleting] = useState<AlertThresholdRecord | null>(null);
  const list = thresholds.data?.thresholds ?? [];
  const alarms = list.filter((threshold) => threshold.enabled && threshold.state === "alarm").length;

  function closeDelete() {
    remove.reset();
    setDeleting(null);
  }

  return (
    <section id="alerts" className={styles.panel} aria-labelledby="alerts-title" data-testid="room-alerts">
      <div className={styles.panelHeader}>
        <h2 id="alerts-title" className={styles.panelTitle}>
          Alerts{" "}
          {alarms > 0 ? (
            <span className={styles.badge} data-tone="danger">
              {alarms} in ALARM
            </span>
          ) : null}
        </h2>
        <span className={styles.headerActions}>
          <LiveStamp query={thresholds} />
          <Link href={`/admin/alerts?room=${encodeURIComponent(room)}`} className={styles.small}>
            History and deliveries
          </Link>
        </span>
      </div>
      <StaleBanner queries={[thresholds]} />
      {!mayEdit ? <p className={styles.note}>Operators can add, change and delete thresholds.</p> : null}
      {mayEdit && editor.editing === null ? (
        <div className={styles.formActions}>
          <button type="button" className={`button ${styles.compact}`} onClick={() => editor.open({ threshold: null })}>
            New threshold
          </button>
        </div>
      ) : null}
      {editor.editing ? (
        <ThresholdEditor
          key={editor.editing.threshold?.id ?? "new"}
          roomId={room}
          threshold={editor.editing.threshold}
          onClose={editor.close}
          onSaved={editor.saved}
        />
      ) : null}
      <FormMessages success={editor.done} />
      {!thresholds.data ? (
        <QueryState
          what="thresholds"
          isPending={thresholds.isPending}
          error={thresholds.error}
          onRetry={thresholds.refetch}
        />
      ) : list.length === 0 ? (
        <p className={styles.empty}>
          No thresholds yet.{mayEdit ? " Add one to be told when the line grows long or the room fills up." : ""}
        </p>
      ) : (
        <ThresholdTable
          thresholds={list}
          onEdit={mayEdit ? (threshold) => editor.open({ threshold }) : undefined}
          onDelete={mayEdit ? setDeleting : undefined}
        />
      )}
      <div className={capacityStyles.block}>
        <h3 className={capacityStyles.subTitle}>Notification channel</h3>
        <NotificationChannel room={room} />
      </div>
      <ConfirmDialog
        open={deleting !== null}
        title={deleting ? `Delete the threshold “${deleting.name || describeRule(deleting)}”?` : ""}
        confirmLabel="Delete threshold"
        tone="danger"
        pending={remove.isPending}
        error={remove.error ? errorMessage(remove.error) : null}
        onConfirm={() =>
          deleting &&
          remove.mutate(
            { id: deleting.id },
            {
              onSuccess: () => {
                editor.report(`Deleted “${deleting.name || describeRule(deleting)}”.`);
                closeDelete();
              },
            },
          )
        }
        onCancel={closeDelete}
      >
        <p>It stops being evaluated and notifies nobody again. Its past alerts stay in the history.</p>
      </ConfirmDialog>
    </section>
  );
}
