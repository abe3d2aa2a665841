"use client";

import styles from "../common/admin.module.css";
import { CheckField, TextField } from "../common/form-field";
import { formatCount } from "../common/format";
import fieldStyles from "./event-fields.module.css";
import type { EventFormErrors, EventFormValues, EventPhase } from "./event-form";
import { MAX_CAPACITY, MAX_LEAD_MINUTES, MAX_NAME_LENGTH } from "./event-form";

type EventFieldsProps = {
  idPrefix: string;
  values: EventFormValues;
  errors: EventFormErrors;
  onChange: (values: EventFormValues) => void;
  phase: EventPhase;
  /** The room's own capacity, to say what the event's adds. */
  baseCapacity: number | null;
  /** "Asia/Seoul (UTC+09:00)": the zone the times are typed in. */
  zoneLabel: string;
  /** What the lead time is for, and when capacity rises with the times typed (leadTimeNote). */
  leadNote: string;
};

// The scale event's fields. Times are typed on the browser's clock (named in the hints) and
// sent as instants; a live event keeps everything but its end and capacity.
export function EventFields({
  idPrefix,
  values,
  errors,
  onChange,
  phase,
  baseCapacity,
  zoneLabel,
  leadNote,
}: EventFieldsProps) {
  const set = <K extends keyof EventFormValues>(key: K, value: EventFormValues[K]) =>
    onChange({ ...values, [key]: value });
  const id = (name: string) => `${idPrefix}-${name}`;
  const live = phase === "live";
  const startNow = phase === "new" && values.startNow;
  const capacityHint =
    baseCapacity === null
      ? "Visitors inside at once while it runs."
      : `Visitors inside at once while it runs; the room's base is ${formatCount(baseCapacity)} (the higher applies).`;

  return (
    <>
      <div className={styles.formGrid}>
        <TextField
          id={id("name")}
          label="Name"
          hint="Shown in the console and in notifications."
          error={errors.name}
          value={values.name}
          disabled={live}
          maxLength={MAX_NAME_LENGTH}
          autoComplete="off"
          onValueChange={(value) => set("name", value)}
        />
        <TextField
          id={id("capacity")}
          label="Capacity during the event"
          hint={capacityHint}
          error={errors.capacity}
          type="number"
          inputMode="numeric"
          min={1}
          max={MAX_CAPACITY}
          value={values.capacity}
          onValueChange={(value) => set("capacity", value)}
        />
        <TextField
          id={id("new-users")}
          label="New visitors per minute"
          hint="Empty: the room's own limit. Set it to pace the drop's admissions while the event is on."
          error={errors.newUsersPerMinute}
          type="number"
          inputMode="numeric"
          min={1}
          placeholder="Room's own"
          value={values.newUsersPerMinute}
          onValueChange={(value) => set("newUsersPerMinute", value)}
        />
      </div>
      <div className={`${styles.formGrid} ${fieldStyles.times}`}>
        <div className={styles.field}>
          <TextField
            id={id("start")}
            label="Starts"
            hint={live ? "It has begun: the start cannot move." : `Your time zone: ${zoneLabel}.`}
            error={errors.startsAt}
            type="datetime-local"
            step={1}
            value={values.startsAt}
            disabled={live || startNow}
            onValueChange={(value) => set("startsAt", value)}
          />
          {phase === "new" ? (
            <CheckField
              id={id("start-now")}
              label="Start now"
              description="Capacity goes up at once; no lead time, no pre-queue."
              checked={values.startNow}
              onChange={(checked) => set("startNow", checked)}
            />
          ) : null}
        </div>
        <TextField
          id={id("end")}
          label="Ends"
          hint="Capacity returns to what else applies then."
          error={errors.endsAt}
          type="datetime-local"
          step={1}
          value={values.endsAt}
          onValueChange={(value) => set("endsAt", value)}
        />
        <TextField
          id={id("lead")}
          label="Lead time (minutes)"
          hint={leadNote}
          error={errors.leadMinutes}
          type="number"
          inputMode="numeric"
          min={0}
          max={MAX_LEAD_MINUTES}
          value={startNow ? "0" : values.leadMinutes}
          disabled={live || startNow}
          onValueChange={(value) => set("leadMinutes", value)}
        />
      </div>
      <CheckField
        id={id("prequeue")}
        label="Pre-queue"
        description="From the lead time until the start, arrivals wait without being admitted; at the start they are shuffled into a random order (fair to those who did not refresh fastest), then first come, first served."
        checked={startNow ? false : values.preQueue}
        disabled={live || startNow}
        onChange={(checked) => set("preQueue", checked)}
      />
    </>
  );
}
