"use client";

import type { InputHTMLAttributes } from "react";
import styles from "../common/admin.module.css";
import { CheckField, ChoiceGroup, Field, TextField } from "../common/form-field";
import { formatDuration } from "../common/format";
import { BotDefenceFields } from "./bot-defence-fields";
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

type InputSpec = {
  key: Exclude<
    keyof RoomFormValues,
    | "mode"
    | "protectedPaths"
    | "sessionRenewal"
    | "bypassCidrs"
    | "bypassApiKeys"
    | "bypassUncounted"
    | "challenge"
    | "blockedCidrs"
    | "infiniteLine"
  >;
  /** Suffix of the element id. */
  id: string;
  label: string;
  hint: (values: RoomFormValues) => string;
  /** Only a new room has it: the id is fixed once chosen, capacity has its own control later. */
  newOnly?: boolean;
  input: InputHTMLAttributes<HTMLInputElement>;
};

const wholeNumber = (min: number, step?: number): InputHTMLAttributes<HTMLInputElement> => ({
  type: "number",
  inputMode: "numeric",
  min,
  step,
});

const inputs: readonly InputSpec[] = [
  {
    key: "id",
    id: "id",
    label: "Room id",
    hint: () => "Used in URLs: /wait/<id>. Cannot change later.",
    newOnly: true,
    input: { className: `${styles.input} ${styles.mono}`, autoComplete: "off", spellCheck: false },
  },
  { key: "name", id: "name", label: "Name", hint: () => "Shown to visitors on the waiting page.", input: {} },
  {
    key: "capacity",
    id: "capacity",
    label: "Capacity",
    hint: () => "Visitors inside at once. 0 pauses admission.",
    newOnly: true,
    input: wholeNumber(0),
  },
  {
    key: "heartbeatIntervalMs",
    id: "interval",
    label: "Heartbeat interval (ms)",
    hint: (values) => secondsHint(values.heartbeatIntervalMs, "How often a page checks in:"),
    input: wholeNumber(500, 500),
  },
  {
    key: "heartbeatTimeoutMs",
    id: "timeout",
    label: "Heartbeat timeout (ms)",
    hint: (values) => secondsHint(values.heartbeatTimeoutMs, "Silent this long, a visitor is dropped:"),
    input: wholeNumber(1000, 1000),
  },
  {
    key: "maxQueueLength",
    id: "max-queue",
    label: "Maximum line length",
    hint: () => "Arrivals beyond this many waiting are turned away (room full).",
    input: wholeNumber(1),
  },
  {
    key: "newUsersPerMinute",
    id: "new-users",
    label: "New visitors per minute",
    hint: (values) =>
      values.newUsersPerMinute.trim() === ""
        ? "Empty: admit as fast as capacity allows. Set it when the site breaks on new sessions (logins, carts)."
        : `At most this many let in per minute, spread out (a sixth in any 10 s); capacity still applies.`,
    input: { ...wholeNumber(1), placeholder: "No limit" },
  },
  {
    key: "sessionMinutes",
    id: "session-minutes",
    label: "Session limit (minutes)",
    hint: (values) =>
      values.sessionMinutes.trim() === ""
        ? "Empty: an admission lasts while the visitor's page stays open."
        : "An admission ends after this long, even if the page stays open; the shop shows the time left.",
    input: { type: "number", inputMode: "decimal", min: 0.5, step: 0.5, placeholder: "No limit" },
  },
  {
    key: "typicalVisitMinutes",
    id: "typical-visit",
    label: "Typical visit (minutes)",
    hint: (values) =>
      values.typicalVisitMinutes.trim() === ""
        ? "Empty: wait estimates beyond the free slots start once the first visits have ended. Set it to estimate from the first minute."
        : "How long a visitor usually stays: the wait estimate starts from it and moves to the measured length as visits end.",
    input: { type: "number", inputMode: "decimal", min: 0.1, step: 0.5, placeholder: "Measure only" },
  },
];

export function RoomFields({ idPrefix, values, errors, onChange, disabled, isNew }: RoomFieldsProps) {
  const set = <K extends keyof RoomFormValues>(key: K, value: RoomFormValues[K]) =>
    onChange({ ...values, [key]: value });
  const id = (name: string) => `${idPrefix}-${name}`;
  return (
    <>
      <div className={styles.formGrid}>
        {inputs
          .filter((spec) => isNew || !spec.newOnly)
          .map((spec) => (
            <TextField
              key={spec.key}
              {...spec.input}
              id={id(spec.id)}
              label={spec.label}
              hint={spec.hint(values)}
              error={errors[spec.key]}
              value={values[spec.key]}
              disabled={disabled}
              onValueChange={(value) => set(spec.key, value)}
            />
          ))}
        <LinesField
          id={id("paths")}
          label="Protected paths"
          hint="One path prefix per line, e.g. /shop. Requests there need an admission."
          error={errors.protectedPaths}
          value={values.protectedPaths}
          disabled={disabled}
          onChange={(value) => set("protectedPaths", value)}
        />
      </div>
      <CheckField
        id={id("session-renewal")}
        label="Renew sessions at the limit"
        description="When the time is up and nobody is waiting, the session starts again; when people are waiting, the visitor goes to the back of the line. Off: the visitor is out, and may join the line again."
        checked={values.sessionRenewal}
        disabled={disabled || values.sessionMinutes.trim() === ""}
        onChange={(checked) => set("sessionRenewal", checked)}
      />
      <div className={styles.formGrid}>
        <LinesField
          id={id("bypass")}
          label="Skip the line from these addresses"
          hint="One range per line (CIDR), e.g. 10.0.0.0/8 for an office. They take a slot at once, or the next one."
          error={errors.bypassCidrs}
          value={values.bypassCidrs}
          placeholder="None"
          disabled={disabled}
          onChange={(value) => set("bypassCidrs", value)}
        />
      </div>
      <CheckField
        id={id("bypass-keys")}
        label="API keys for this room skip the line"
        description="A client that sends X-Floodgate-Api-Key with a key for this room is admitted like a bypass address."
        checked={values.bypassApiKeys}
        disabled={disabled}
        onChange={(checked) => set("bypassApiKeys", checked)}
      />
      <CheckField
        id={id("bypass-uncounted")}
        label="Let them in beyond capacity"
        description="On: bypass addresses and API keys go in at once even when the room is full, and do not take one of its slots (the room's own capacity stays exact for everyone else). Off: they take the next free slot."
        checked={values.bypassUncounted}
        disabled={disabled}
        onChange={(checked) => set("bypassUncounted", checked)}
      />
      <BotDefenceFields id={id} values={values} errors={errors} set={set} disabled={disabled} />
      <ChoiceGroup
        legend="Mode"
        name={id("mode")}
        choices={roomModeOptions}
        value={values.mode}
        onChange={(mode) => set("mode", mode)}
        disabled={disabled}
      />
    </>
  );
}

type LinesFieldProps = {
  id: string;
  label: string;
  hint: string;
  error: string | undefined;
  value: string;
  placeholder?: string;
  disabled?: boolean;
  onChange: (value: string) => void;
};

/** A textarea for a list, one item per line (paths, address ranges). */
export function LinesField({ id, label, hint, error, value, placeholder, disabled, onChange }: LinesFieldProps) {
  return (
    <Field id={id} label={label} hint={hint} error={error}>
      {(control) => (
        <textarea
          {...control}
          className={`${styles.textarea} ${styles.mono}`}
          value={value}
          disabled={disabled}
          spellCheck={false}
          placeholder={placeholder}
          onChange={(event) => onChange(event.target.value)}
        />
      )}
    </Field>
  );
}
