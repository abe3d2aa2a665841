"use client";

import styles from "./admin.module.css";
import { Field } from "./form-field";
import { formatDuration } from "./format";
import type { RoomFormErrors, RoomFormValues } from "./room-form";
import { roomModeOptions } from "./room-modes";

type RoomFieldsProps = {
  /** Prefix for element ids, unique per form on the page. */
  idPrefix: string;
  values: RoomFormValues;
  errors: RoomFormErrors;
  onChange: (values: RoomFormValues) => void;
  disabled?: boolean;
  /** A new room picks its id and first capacity here; an existing one has neither. */
  isNew: boolean;
};

function secondsHint(ms: string, base: string): string {
  const value = Number(ms);
  return ms.trim() !== "" && Number.isFinite(value) ? `${base} ${formatDuration(value / 1000)}.` : base;
}

export function RoomFields({ idPrefix, values, errors, onChange, disabled, isNew }: RoomFieldsProps) {
  const set = <K extends keyof RoomFormValues>(key: K, value: RoomFormValues[K]) =>
    onChange({ ...values, [key]: value });
  const id = (name: string) => `${idPrefix}-${name}`;
  return (
    <>
      <div className={styles.formGrid}>
        {isNew ? (
          <Field id={id("id")} label="Room id" hint="Used in URLs: /wait/<id>. Cannot change later." error={errors.id}>
            {(control) => (
              <input
                {...control}
                className={`${styles.input} ${styles.mono}`}
                value={values.id}
                disabled={disabled}
                autoComplete="off"
                spellCheck={false}
                onChange={(event) => set("id", event.target.value)}
              />
            )}
          </Field>
        ) : null}
        <Field id={id("name")} label="Name" hint="Shown to visitors on the waiting page." error={errors.name}>
          {(control) => (
            <input
              {...control}
              className={styles.input}
              value={values.name}
              disabled={disabled}
              onChange={(event) => set("name", event.target.value)}
            />
          )}
        </Field>
        {isNew ? (
          <Field
            id={id("capacity")}
            label="Capacity"
            hint="Visitors inside at once. 0 pauses admission."
            error={errors.capacity}
          >
            {(control) => (
              <input
                {...control}
                className={styles.input}
                type="number"
                inputMode="numeric"
                min={0}
                value={values.capacity}
                disabled={disabled}
                onChange={(event) => set("capacity", event.target.value)}
              />
            )}
          </Field>
        ) : null}
        <Field
          id={id("interval")}
          label="Heartbeat interval (ms)"
          hint={secondsHint(values.heartbeatIntervalMs, "How often a page checks in:")}
          error={errors.heartbeatIntervalMs}
        >
          {(control) => (
            <input
              {...control}
              className={styles.input}
              type="number"
              inputMode="numeric"
              min={500}
              step={500}
              value={values.heartbeatIntervalMs}
              disabled={disabled}
              onChange={(event) => set("heartbeatIntervalMs", event.target.value)}
            />
          )}
        </Field>
        <Field
          id={id("timeout")}
          label="Heartbeat timeout (ms)"
          hint={secondsHint(values.heartbeatTimeoutMs, "Silent this long, a visitor is dropped:")}
          error={errors.heartbeatTimeoutMs}
        >
          {(control) => (
            <input
              {...control}
              className={styles.input}
              type="number"
              inputMode="numeric"
              min={1000}
              step={1000}
              value={values.heartbeatTimeoutMs}
              disabled={disabled}
              onChange={(event) => set("heartbeatTimeoutMs", event.target.value)}
            />
          )}
        </Field>
        <Field
          id={id("max-queue")}
          label="Maximum line length"
          hint="Arrivals beyond this many waiting are turned away (room full)."
          error={errors.maxQueueLength}
        >
          {(control) => (
            <input
              {...control}
              className={styles.input}
              type="number"
              inputMode="numeric"
              min={1}
              value={values.maxQueueLength}
              disabled={disabled}
              onChange={(event) => set("maxQueueLength", event.target.value)}
            />
          )}
        </Field>
        <Field
          id={id("paths")}
          label="Protected paths"
          hint="One path prefix per line, e.g. /shop. Requests there need an admission."
          error={errors.protectedPaths}
        >
          {(control) => (
            <textarea
              {...control}
              className={`${styles.textarea} ${styles.mono}`}
              value={values.protectedPaths}
              disabled={disabled}
              spellCheck={false}
              onChange={(event) => set("protectedPaths", event.target.value)}
            />
          )}
        </Field>
      </div>
      <fieldset className={styles.choiceGroup} disabled={disabled}>
        <legend>Mode</legend>
        {roomModeOptions.map((option) => (
          <label key={option.mode} className={styles.choice}>
            <input
              type="radio"
              name={id("mode")}
              value={option.mode}
              checked={values.mode === option.mode}
              onChange={() => set("mode", option.mode)}
            />
            <span className={styles.choiceTitle}>{option.label}</span>
            <span className={styles.choiceText}>{option.description}</span>
          </label>
        ))}
      </fieldset>
    </>
  );
}
