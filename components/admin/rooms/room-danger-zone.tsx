"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { ApiRequestError, errorMessage } from "@/components/queries/api";
import { useDeleteRoom } from "@/components/queries/use-delete-room";
import { useDrainRoom } from "@/components/queries/use-drain-room";
import type { AdminRoom } from "@/server/admin/admin-types";
import styles from "../common/admin.module.css";
import { ConfirmDialog } from "../common/confirm-dialog";
import { plural } from "../common/format";
import { useCan } from "../common/session-context";

// Drain (empty the line) and delete: rare, irreversible, so each asks for the room id typed out.
export function RoomDangerZone({ room }: { room: AdminRoom }) {
  const mayAct = useCan("operator");
  const router = useRouter();
  const drain = useDrainRoom(room.id);
  const remove = useDeleteRoom(room.id);
  const [dialog, setDialog] = useState<"drain" | "delete" | null>(null);
  const [drained, setDrained] = useState<number | null>(null);
  const { waiting, active } = room.stats;
  const occupied = waiting + active > 0;

  if (!mayAct) return null;

  function close() {
    drain.reset();
    remove.reset();
    setDialog(null);
  }

  // The stats may be a poll behind: if the server finds visitors we did not show, ask again, forced.
  const refusedNotEmpty = remove.error instanceof ApiRequestError && remove.error.code === "room_not_empty";
  const force = occupied || refusedNotEmpty;
  const deleteError = refusedNotEmpty
    ? `${errorMessage(remove.error)} Confirm again to delete it anyway.`
    : remove.error
      ? errorMessage(remove.error)
      : null;

  return (
    <section className={styles.panel} aria-labelledby="danger-title">
      <h2 id="danger-title" className={styles.panelTitle}>
        Danger zone
      </h2>
      <div className={styles.formActions}>
        <button
          type="button"
          className={`button ${styles.dangerOutline}`}
          onClick={() => {
            setDrained(null);
            setDialog("drain");
          }}
          disabled={waiting === 0}
        >
          Drain line…
        </button>
        <button type="button" className={`button ${styles.dangerOutline}`} onClick={() => setDialog("delete")}>
          Delete room…
        </button>
      </div>
      <p className={styles.note}>
        Draining evicts everyone waiting in line. Deleting removes the room and stops guarding its paths.
      </p>
      {drained !== null ? (
        <p className={styles.success} role="status">
          Evicted {plural(drained, "visitor", "visitors")} from {room.name}.
        </p>
      ) : null}
      <ConfirmDialog
        open={dialog === "drain"}
        title={`Evict ${plural(waiting, "waiting visitor", "waiting visitors")} from ${room.name}?`}
        confirmLabel="Drain line"
        tone="danger"
        reason="optional"
        typeToConfirm={room.id}
        pending={drain.isPending}
        error={drain.error ? errorMessage(drain.error) : null}
        onConfirm={(reason) =>
          drain.mutate(
            { reason: reason || undefined },
            {
              onSuccess: (data) => {
                setDrained(data.evicted);
                close();
              },
            },
          )
        }
        onCancel={close}
      >
        <p>Everyone in line loses their place and must join again. This cannot be undone.</p>
      </ConfirmDialog>
      <ConfirmDialog
        open={dialog === "delete"}
        title={`Delete room ${room.name}?`}
        confirmLabel={force ? "Delete anyway" : "Delete room"}
        tone="danger"
        reason="none"
        typeToConfirm={room.id}
        pending={remove.isPending}
        error={deleteError}
        onConfirm={() => remove.mutate({ force }, { onSuccess: () => router.replace("/admin") })}
        onCancel={close}
      >
        <p>
          {occupied
            ? `${plural(waiting, "visitor is", "visitors are")} waiting and ${plural(active, "is", "are")} inside; they all lose their place. `
            : "The room is empty. "}
          Its paths ({room.protectedPaths.join(", ") || "none"}) stop being guarded.
        </p>
      </ConfirmDialog>
    </section>
  );
}
