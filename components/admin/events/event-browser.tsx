"use client";

import { useState } from "react";
import type { ScaleEventRecord } from "@/server/admin/admin-types";
import styles from "../common/admin.module.css";
import { FormMessages } from "../common/form-field";
import { useCan } from "../common/session-context";
import { useEditor } from "../common/use-editor";
import { EventCancelDialog } from "./event-cancel-dialog";
import { EventFormPanel, type RoomChoice } from "./event-form-panel";
import { EventList } from "./event-list";
import { EventTimeline, type TimelineGroup } from "./event-timeline";

type EventBrowserProps = {
  events: readonly ScaleEventRecord[];
  /** The instant every part judges "running" and "past" by: the same as the page header's. */
  nowMs: number;
  /** Timeline rows: one per room on the events page, a single unlabelled one on a room's page. */
  groups: readonly TimelineGroup[];
  showRoom?: boolean;
  /**
   * Where "New event" creates one: a room (its page), or a choice of rooms (the events page,
   * the form asks which); absent: no creating here.
   */
  newIn?: { roomId: string; baseCapacity: number } | { choices: readonly RoomChoice[]; preferred?: string };
  /** The base capacity of an event's room, for the edit form's hint, when known. */
  baseCapacityOf?: (roomId: string) => number | null;
};

/** How often the events' phases and "in 5 min" texts are judged again. */
export const EVENT_CLOCK_MS = 5_000;

type Editing = { kind: "new" } | { kind: "edit"; event: ScaleEventRecord };

// Timeline, list, and the forms that change them: shared by a room's page and the events page.
export function EventBrowser({ events, nowMs, groups, showRoom, newIn, baseCapacityOf }: EventBrowserProps) {
  const mayChange = useCan("operator");
  const editor = useEditor<Editing>();
  const editing = editor.editing;
  const [cancelling, setCancelling] = useState<ScaleEventRecord | null>(null);
  const fixedRoom = newIn && "roomId" in newIn ? newIn : null;
  const editedRoom = editing?.kind === "edit" ? editing.event.roomId : (fixedRoom?.roomId ?? null);

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
      {editing && (editedRoom || newIn) ? (
        <EventFormPanel
          key={editing.kind === "edit" ? editing.event.id : "new"}
          roomId={editedRoom}
          roomChoices={newIn && "choices" in newIn ? newIn.choices : undefined}
          preferredRoom={newIn && "choices" in newIn ? newIn.preferred : undefined}
          baseCapacity={
            editing.kind === "new"
              ? (fixedRoom?.baseCapacity ?? null)
              : editedRoom
                ? (baseCapacityOf?.(editedRoom) ?? null)
                : null
          }
          event={editing.kind === "edit" ? editing.event : null}
          onClose={editor.close}
          onSaved={editor.saved}
        />
      ) : null}
      <FormMessages success={editor.done} />
      <EventTimeline groups={groups} nowMs={nowMs} />
      <EventList
        events={events}
        nowMs={nowMs}
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
        nowMs={nowMs}
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
