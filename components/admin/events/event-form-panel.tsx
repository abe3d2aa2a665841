"use client";

import { type FormEvent, useState } from "react";
import { errorMessage } from "@/components/queries/api";
import { useCreateEvent } from "@/components/queries/use-create-event";
import { useUpdateEvent } from "@/components/queries/use-update-event";
import type { ScaleEventRecord } from "@/server/admin/admin-types";
import styles from "../common/admin.module.css";
import { ConfirmDialog } from "../common/confirm-dialog";
import { Field, FormMessages, SaveCancel } from "../common/form-field";
import { formatCount, formatTimeRange, formatWhen, timeZoneName } from "../common/format";
import { formatZoneOffset } from "../common/local-time";
import { useNow } from "../common/use-now";
import { EventFields } from "./event-fields";
import {
  type EventFormErrors,
  type EventFormValues,
  emptyEventForm,
  eventFormFrom,
  eventPatch,
  leadBegunAt,
  leadTimeNote,
  phaseOf,
  validateEventForm,
} from "./event-form";
import { type Pending, RaiseNowDetails } from "./raise-now-details";

/** A room the events page may schedule in: its id, name and base capacity. */
export type RoomChoice = { id: string; name: string; capacity: number };

type EventFormPanelProps = {
  /** The event's room; null on the events page's "New event" (the form asks which). */
  roomId: string | null;
  /** The rooms to choose from when roomId is null. */
  roomChoices?: readonly RoomChoice[];
  /** The choice to start from (the events page's room filter). */
  preferredRoom?: string;
  /** The room's own capacity, when known (the hint compares against it). */
  baseCapacity: number | null;
  /** The event to edit; null creates one. */
  event: ScaleEventRecord | null;
  onClose: () => void;
  /** After a save: what happened, for the panel above to say. */
  onSaved: (message: string) => void;
};

// POST or PATCH /api/admin/rooms/:room/events. Checks what the server checks before sending;
// whatever the server still refuses (an overlapping pre-queue, say) is shown above the buttons.
export function EventFormPanel({
  roomId,
  roomChoices,
  preferredRoom,
  baseCapacity,
  event,
  onClose,
  onSaved,
}: EventFormPanelProps) {
  const zone = timeZoneName();
  const phase = phaseOf(event);
  const now = useNow(15_000);
  const [chosenRoom, setChosenRoom] = useState(roomId ?? preferredRoom ?? "");
  const [roomError, setRoomError] = useState<string | undefined>();
  const room = roomId ?? chosenRoom;
  const create = useCreateEvent(room);
  const update = useUpdateEvent(room);
  const mutation = event ? update : create;
  const [values, setValues] = useState<EventFormValues>(() =>
    event ? eventFormFrom(event, zone) : emptyEventForm(Date.now(), zone),
  );
  const [errors, setErrors] = useState<EventFormErrors>({});
  const [notice, setNotice] = useState<string | null>(null);
  const [pending, setPending] = useState<Pending | null>(null);
  const zoneLabel = `${zone} (${formatZoneOffset(now, zone)})`;
  const base =
    roomId === null ? (roomChoices?.find((choice) => choice.id === chosenRoom)?.capacity ?? null) : baseCapacity;
  const leadNote = leadTimeNote(values, {
    nowMs: now,
    timeZone: zone,
    phase,
    event,
    formatTime: (ms) => formatWhen(ms),
  });

  function send(next: Pending, reason?: string) {
    const done = (saved: ScaleEventRecord) => {
      setPending(null);
      onSaved(
        `${next.kind === "create" ? "Scheduled" : "Saved"} “${saved.name}”: ${formatCount(saved.capacity)} from ${formatTimeRange(saved.startsAt, saved.endsAt)}.${
          saved.status === "lead" || saved.status === "running" ? " Capacity is raised now." : ""
        }`,
      );
    };
    if (next.kind === "create") create.mutate({ ...next.input, reason }, { onSuccess: (data) => done(data.event) });
    else if (event) update.mutate({ id: event.id, ...next.patch, reason }, { onSuccess: (data) => done(data.event) });
  }

  function submit(formEvent: FormEvent) {
    formEvent.preventDefault();
    setNotice(null);
    mutation.reset();
    const nowMs = Date.now();
    const result = validateEventForm(values, { nowMs, timeZone: zone, phase, event });
    setErrors(result.errors);
    const missingRoom = room === "" ? "Choose the room whose capacity the event raises." : undefined;
    setRoomError(missingRoom);
    if (!result.input || missingRoom) return;
    // Saved as it stands, its lead time would already be under way: capacity rises on saving.
    const leadBegunMs = leadBegunAt(result.input, nowMs);
    if (!event) {
      const next: Pending = { kind: "create", input: result.input, leadBegunMs };
      return result.input.startsAt === "now" || leadBegunMs !== null ? setPending(next) : send(next);
    }
    const patch = eventPatch(event, result.input);
    if (Object.keys(patch).length === 0) return setNotice("Nothing to save: the event already reads like this.");
    const raisesNow = event.status === "scheduled" ? leadBegunMs : null;
    const next: Pending = { kind: "update", patch, leadBegunMs: raisesNow };
    return phase === "live" || raisesNow !== null ? setPending(next) : send(next);
  }

  const name = pending?.kind === "create" ? pending.input.name : (event?.name ?? "");
  const confirmTitle =
    pending?.kind === "create" && pending.input.startsAt === "now"
      ? `Start “${name}” now?`
      : pending?.leadBegunMs != null
        ? `Capacity rises now: ${pending.kind === "create" ? "schedule" : "save"} “${name}”?`
        : `Change “${name}” while it ${event?.status === "lead" ? "is in its lead time" : "runs"}?`;
  const confirmLabel =
    pending?.kind === "create" && pending.input.startsAt === "now"
      ? "Start now"
      : pending?.leadBegunMs != null
        ? "Raise capacity now"
        : "Save";
  const titleId = event ? "edit-event-title" : "new-event-title";

  return (
    <section className={styles.panel} aria-labelledby={titleId} data-testid="event-form">
      <div className={styles.panelHeader}>
        <h3 id={titleId} className={styles.panelTitle}>
          {event ? `Edit “${event.name}”` : "New scale event"}
        </h3>
        <button type="button" className={`button button-secondary ${styles.compact}`} onClick={onClose}>
          Close
        </button>
      </div>
      {phase === "live" ? (
        <p className={styles.note}>This event has begun: only its end and its capacity can change now.</p>
      ) : null}
      <form className={styles.form} onSubmit={submit} noValidate>
        {roomId === null ? (
          // One column of the grid: the room's name fits, and the form below keeps its width.
          <div className={styles.formGrid}>
            <Field id="new-event-room" label="Room" hint="The room whose capacity the event raises." error={roomError}>
              {(control) => (
                <select
                  {...control}
                  className={styles.select}
                  value={chosenRoom}
                  onChange={(change) => setChosenRoom(change.target.value)}
                >
                  <option value="">Choose a room…</option>
                  {roomChoices?.map((choice) => (
                    <option key={choice.id} value={choice.id}>
                      {choice.name} ({choice.id}) · capacity {formatCount(choice.capacity)}
                    </option>
                  ))}
                </select>
              )}
            </Field>
          </div>
        ) : null}
        <EventFields
          idPrefix={event ? `edit-event-${event.id}` : "new-event"}
          values={values}
          errors={errors}
          onChange={setValues}
          phase={phase}
          baseCapacity={base}
          zoneLabel={zoneLabel}
          leadNote={leadNote}
        />
        <FormMessages error={notice ?? (mutation.error && !pending ? errorMessage(mutation.error) : null)} />
        <SaveCancel label={event ? "Save event" : "Schedule event"} pending={mutation.isPending} onCancel={onClose} />
      </form>
      <ConfirmDialog
        open={pending !== null}
        title={confirmTitle}
        confirmLabel={confirmLabel}
        reason="optional"
        pending={mutation.isPending}
        error={mutation.error ? errorMessage(mutation.error) : null}
        onConfirm={(reason) => pending && send(pending, reason || undefined)}
        onCancel={() => {
          mutation.reset();
          setPending(null);
        }}
      >
        {pending ? <RaiseNowDetails pending={pending} event={event} nowMs={now} /> : null}
      </ConfirmDialog>
    </section>
  );
}
