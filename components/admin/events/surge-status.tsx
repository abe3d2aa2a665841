"use client";

import { useState } from "react";
import { errorMessage } from "@/components/queries/api";
import { useEndSurge } from "@/components/queries/use-end-surge";
import { useSurges } from "@/components/queries/use-surges";
import type { AdminRoom, CapacityPlanResponse, SurgeRecord } from "@/server/admin/admin-types";
import styles from "../common/admin.module.css";
import { ConfirmDialog } from "../common/confirm-dialog";
import { FormMessages } from "../common/form-field";
import { formatCount, formatWhen } from "../common/format";
import { useCan } from "../common/session-context";
import { surgeEndLabels } from "../common/status-labels";
import capacityStyles from "../rooms/capacity.module.css";
import { capacityWithoutSurge } from "../rooms/capacity-plan";

function surgeLine(surge: SurgeRecord): string {
  const extended = surge.extensions > 0 ? `, extended ${surge.extensions}×` : "";
  return `${formatCount(surge.capacity)} from ${formatWhen(surge.startedAt)}, started by ${surge.startedBy}${extended}`;
}

function RecentSurges({ room }: { room: string }) {
  const surges = useSurges(room);
  const ended = (surges.data?.surges ?? []).filter((surge) => surge.endedAt !== null).slice(0, 5);
  if (ended.length === 0) return null;
  return (
    <details className={styles.more}>
      <summary>Recent surges</summary>
      <ul className={`${styles.changeList} ${styles.small}`}>
        {ended.map((surge) => (
          <li key={surge.id}>
            {surgeLine(surge)}; ended {formatWhen(surge.endedAt ?? surge.holdUntil)}
            {surge.endReason ? ` (${surgeEndLabels[surge.endReason]})` : ""}
          </li>
        ))}
      </ul>
    </details>
  );
}

// The room's surge: raised by POST /api/triggers/surge (a push server), held for a while,
// extended by repeated triggers. An operator may end it early.
export function SurgeStatus({ room, plan }: { room: AdminRoom; plan: CapacityPlanResponse }) {
  const mayEnd = useCan("operator");
  const endSurge = useEndSurge(room.id);
  const [confirming, setConfirming] = useState(false);
  const [done, setDone] = useState<string | null>(null);
  const surge = plan.surge;
  const fallback = capacityWithoutSurge(plan);

  return (
    <div className={capacityStyles.surge} data-active={surge ? true : undefined} data-testid="surge-status">
      <div className={capacityStyles.surgeHead}>
        <h3 className={capacityStyles.subTitle}>
          Surge{" "}
          <span className={styles.badge} data-tone={surge ? "warn" : undefined}>
            {surge ? "Active" : "None"}
          </span>
        </h3>
        {surge && mayEnd ? (
          <button
            type="button"
            className={`button ${styles.compact} ${styles.dangerOutline}`}
            onClick={() => {
              setDone(null);
              setConfirming(true);
            }}
          >
            End surge now…
          </button>
        ) : null}
      </div>
      {surge ? (
        <p className={styles.small}>
          {surgeLine(surge)}; held until <strong>{formatWhen(surge.holdUntil)}</strong> unless triggered again.
        </p>
      ) : (
        <p className={`${styles.small} ${styles.muted}`}>
          A push server raises capacity at once with <code>POST /api/triggers/surge</code> and an API key; the policy
          says how far and for how long.
        </p>
      )}
      <FormMessages success={done} />
      <RecentSurges room={room.id} />
      <ConfirmDialog
        open={confirming}
        title={`End the surge in ${room.name} now?`}
        confirmLabel="End surge"
        tone="danger"
        reason="optional"
        pending={endSurge.isPending}
        error={endSurge.error ? errorMessage(endSurge.error) : null}
        onConfirm={(reason) =>
          endSurge.mutate(
            { reason: reason || undefined },
            {
              onSuccess: () => {
                setConfirming(false);
                setDone(`Surge ended: capacity back to ${formatCount(fallback)}.`);
              },
            },
          )
        }
        onCancel={() => {
          endSurge.reset();
          setConfirming(false);
        }}
      >
        <p>
          {fallback >= plan.effectiveCapacity
            ? `Capacity stays at ${formatCount(plan.effectiveCapacity)}: a running event holds it there.`
            : `Capacity falls from ${formatCount(plan.effectiveCapacity)} to ${formatCount(fallback)}${
                fallback > plan.baseCapacity ? " (a running event)" : " (the room's base)"
              }. Nobody inside is removed; admission waits until fewer are inside.`}{" "}
          A new trigger starts a new surge.
        </p>
      </ConfirmDialog>
    </div>
  );
}
