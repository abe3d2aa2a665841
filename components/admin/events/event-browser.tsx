"use client";

import { useState } from "react";
import type { ScaleEventRecord } from "@/server/admin/admin-types";
import styles from "../common/admin.module.css";
import { FormMessages } from "../common/form-field";
import { useCan } from "../common/session-context";
import { useEditor } from "../common/use-editor";
import { useNow } from "../common/use-now";
import { EventCancelDialog } from "./event-cancel-dialog";
import { EventFormPanel } from "./event-form-panel";
import { EventList } from "./event-list";
import { EventTimeline, type TimelineGroup } from "./event-timeline";

type EventBrowserProps = {
  events: readonly ScaleEventRecord[];
  /** Timeline rows: one per room on the events page, a single unlabelled one on a room's page. */
  groups: readonly TimelineGroup[];
  showRoom?: boolean;
  /** Where "New event" creates one (a room's page); absent: no creating here. */
  newIn?: { roomId: string; baseCapacity: number };
  /** The base capacity of an event's room, for the edit form's hint, when known. */
  baseCapacityOf?: (roomId: string) => number | null;
};

type Editing = { kind: "new" } | { kind: "edit"; event: ScaleEventRecord };

// Timeline, list, and the forms that change them: shared by a room's page and the events page.
export function EventBrowser({ events, groups, showRoom, newIn, baseCapacityOf }: EventBrowserProps) {
  const mayChange = useCan("operator");
  const now = useNow(30_000);
  const editor = useEditor<Editing>();
  const editing = editor.editing;
  const [cancelling, setCancelling] = useState<ScaleEventRecord | null>(null);
  const editedRoom = editing?.kind === "edit" ? editing.event.roomId : newIn?.roomId;

  return (
    <div className={styles.form}>
      {newIn && mayChange && editing === null ? (
        <div className={styles.formActions}>
          <button type="button" className={`button ${styles.compact}`} onClick={() => editor.open({ kind: "new" })}>
            New event
          </button>
          <span className={styles.note}>Raise capacity for a known peak: a sale, a ticket drop.</span>
        </div>
      ) : null}
      {!mayChange ? <p className={styles.note}>Operators can schedule, change and cancel events.</p> : null}
      {editing && editedRoom ? (
        <EventFormPanel
          key={editing.kind === "edit" ? editing.event.id : "new"}
          roomId={editedRoom}
          baseCapacity={editing.kind === "new" ? (newIn?.baseCapacity ?? null) : (baseCapacityOf?.(editedRoom) ?? null)}
          event={editing.kind === "edit" ? editing.event : null}
          onClose={editor.close}
          onSaved={editor.saved}
        />
      ) : null}
      <FormMessages success={editor.done} />
      <EventTimeline groups={groups} />
      <EventList
        events={events}
        nowMs={now}
        showRoom={showRoom}
        onEdit={mayChange ? (event) => editor.open({ kind: "edit", event }) : undefined}
        onCancel={
          mayChange
            ? (event) => {
                editor.report(null);
                setCancelling(event);
              }
            : undefined
        }
      />
      <EventCancelDialog
        event={cancelling}
        onClose={() => setCancelling(null)}
        onCancelled={(event) => {
          setCancelling(null);
          if (editing?.kind === "edit" && editing.event.id === event.id) editor.close();
          editor.report(`Cancelled “${event.name}”.`);
        }}
      />
    </div>
  );
}
