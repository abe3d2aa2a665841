"use client";

import { type FormEvent, useState } from "react";
import { errorMessage } from "@/components/queries/api";
import { useCreateEvent } from "@/components/queries/use-create-event";
import { useUpdateEvent } from "@/components/queries/use-update-event";
import type { ScaleEventInput, ScaleEventRecord } from "@/server/admin/admin-types";
import styles from "../common/admin.module.css";
import { ConfirmDialog } from "../common/confirm-dialog";
import { FormMessages, SaveCancel } from "../common/form-field";
import { formatCount, formatTimeRange, formatWhen, timeZoneName } from "../common/format";
import { formatZoneOffset } from "../common/local-time";
import { EventFields } from "./event-fields";
import {
  type EventFormErrors,
  type EventFormValues,
  emptyEventForm,
  eventFormFrom,
  eventPatch,
  phaseOf,
  validateEventForm,
} from "./event-form";

type EventFormPanelProps = {
  roomId: string;
  /** The room's own capacity, when known (the hint compares against it). */
  baseCapacity: number | null;
  /** The event to edit; null creates one. */
  event: ScaleEventRecord | null;
  onClose: () => void;
  /** After a save: what happened, for the panel above to say. */
  onSaved: (message: string) => void;
};

/** A change that takes effect at once waits for a confirmation (with a reason for the audit log). */
type Pending = { kind: "create"; input: ScaleEventInput } | { kind: "update"; patch: Partial<ScaleEventInput> };

// POST or PATCH /api/admin/rooms/:room/events. Checks what the server checks before sending;
// whatever the server still refuses (an overlapping pre-queue, say) is shown above the buttons.
export function EventFormPanel({ roomId, baseCapacity, event, onClose, onSaved }: EventFormPanelProps) {
  const zone = timeZoneName();
  const phase = phaseOf(event);
  const create = useCreateEvent(roomId);
  const update = useUpdateEvent(roomId);
  const mutation = event ? update : create;
  const [values, setValues] = useState<EventFormValues>(() =>
    event ? eventFormFrom(event, zone) : emptyEventForm(Date.now(), zone),
  );
  const [errors, setErrors] = useState<EventFormErrors>({});
  const [notice, setNotice] = useState<string | null>(null);
  const [pending, setPending] = useState<Pending | null>(null);
  const zoneLabel = `${zone} (${formatZoneOffset(Date.now(), zone)})`;

  function send(next: Pending, reason?: string) {
    const done = (saved: ScaleEventRecord) => {
      setPending(null);
      onSaved(
        `${next.kind === "create" ? "Scheduled" : "Saved"} “${saved.name}”: ${formatCount(saved.capacity)} from ${formatTimeRange(saved.startsAt, saved.endsAt)}.`,
      );
    };
    if (next.kind === "create") create.mutate({ ...next.input, reason }, { onSuccess: (data) => done(data.event) });
    else if (event) update.mutate({ id: event.id, ...next.patch, reason }, { onSuccess: (data) => done(data.event) });
  }

  function submit(formEvent: FormEvent) {
    formEvent.preventDefault();
    setNotice(null);
    mutation.reset();
    const result = validateEventForm(values, { nowMs: Date.now(), timeZone: zone, phase, event });
    setErrors(result.errors);
    if (!result.input) return;
    if (!event) {
      const next: Pending = { kind: "create", input: result.input };
      return result.input.startsAt === "now" ? setPending(next) : send(next);
    }
    const patch = eventPatch(event, result.input);
    if (Object.keys(patch).length === 0) return setNotice("Nothing to save: the event already reads like this.");
    const next: Pending = { kind: "update", patch };
    return phase === "live" ? setPending(next) : send(next);
  }

  const confirmTitle =
    pending?.kind === "create"
      ? `Start “${pending.input.name}” now?`
      : `Change “${event?.name ?? ""}” while it ${event?.status === "lead" ? "is in its lead time" : "runs"}?`;
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
        <EventFields
          idPrefix={event ? `edit-event-${event.id}` : "new-event"}
          values={values}
          errors={errors}
          onChange={setValues}
          phase={phase}
          baseCapacity={baseCapacity}
          zoneLabel={zoneLabel}
        />
        <FormMessages error={notice ?? (mutation.error && !pending ? errorMessage(mutation.error) : null)} />
        <SaveCancel label={event ? "Save event" : "Schedule event"} pending={mutation.isPending} onCancel={onClose} />
      </form>
      <ConfirmDialog
        open={pending !== null}
        title={confirmTitle}
        confirmLabel={pending?.kind === "create" ? "Start now" : "Save"}
        reason="optional"
        pending={mutation.isPending}
        error={mutation.error ? errorMessage(mutation.error) : null}
        onConfirm={(reason) => pending && send(pending, reason || undefined)}
        onCancel={() => {
          mutation.reset();
          setPending(null);
        }}
      >
        {pending?.kind === "create" ? (
          <p>
            The room's capacity goes to at least {formatCount(pending.input.capacity)} at once, until{" "}
            {formatWhen(pending.input.endsAt)}. Waiting visitors may be admitted right away.
          </p>
        ) : (
          <p>
            The change applies to live traffic at once
            {pending?.kind === "update" && pending.patch.capacity !== undefined
              ? `: capacity ${formatCount(event?.capacity ?? 0)} → ${formatCount(pending.patch.capacity)}`
              : ""}
            {pending?.kind === "update" && pending.patch.endsAt !== undefined
              ? `; it now ends at ${formatWhen(pending.patch.endsAt)}`
              : ""}
            .
          </p>
        )}
      </ConfirmDialog>
    </section>
  );
}
