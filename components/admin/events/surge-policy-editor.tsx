"use client";

import { type FormEvent, type InputHTMLAttributes, useState } from "react";
import { errorMessage } from "@/components/queries/api";
import { useSaveSurgePolicy } from "@/components/queries/use-save-surge-policy";
import type { AdminRoom, SurgePolicyRecord } from "@/server/admin/admin-types";
import styles from "../common/admin.module.css";
import { CheckField, FormMessages, TextField } from "../common/form-field";
import { formatCount, formatMinutes } from "../common/format";
import { useCan } from "../common/session-context";
import capacityStyles from "../rooms/capacity.module.css";
import {
  MAX_HOLD_MINUTES,
  type SurgePolicyErrors,
  type SurgePolicyValues,
  surgePolicyFormFrom,
  validateSurgePolicy,
} from "./surge-policy-form";

type Spec = {
  key: "capacity" | "holdMinutes" | "endBelowArrivalsPerMin" | "endAfterLowMinutes" | "newUsersPerMinute";
  label: string;
};

const whole = { type: "number", inputMode: "numeric" } as const;

// PUT /api/admin/rooms/:room/surge-policy: what a surge trigger does to this room. Saved as
// is: it changes nothing until the next trigger.
export function SurgePolicyEditor({ room, policy }: { room: AdminRoom; policy: SurgePolicyRecord | null }) {
  const mayEdit = useCan("operator");
  const save = useSaveSurgePolicy(room.id);
  const [values, setValues] = useState<SurgePolicyValues>(() => surgePolicyFormFrom(policy, room.capacity));
  const [errors, setErrors] = useState<SurgePolicyErrors>({});
  const [saved, setSaved] = useState<string | null>(null);
  const set = <K extends keyof SurgePolicyValues>(key: K, value: SurgePolicyValues[K]) =>
    setValues({ ...values, [key]: value });

  function submit(event: FormEvent) {
    event.preventDefault();
    setSaved(null);
    const result = validateSurgePolicy(values);
    setErrors(result.errors);
    if (!result.input) return;
    const input = result.input;
    save.mutate(input, {
      onSuccess: () =>
        setSaved(
          `Saved: a trigger raises ${room.name} to ${formatCount(input.capacity)} for ${formatMinutes(input.holdMinutes)}.`,
        ),
    });
  }

  const field = (
    { key, label }: Spec,
    hint: string,
    extra: Omit<InputHTMLAttributes<HTMLInputElement>, "value" | "onChange"> = {},
  ) => (
    <TextField
      id={`surge-${key}`}
      label={label}
      hint={hint}
      error={errors[key]}
      value={values[key]}
      disabled={!mayEdit}
      onValueChange={(value) => set(key, value)}
      {...whole}
      {...extra}
    />
  );

  return (
    <form className={`${styles.form} ${capacityStyles.block}`} onSubmit={submit} noValidate data-testid="surge-policy">
      <h3 className={capacityStyles.subTitle}>Surge policy</h3>
      {!policy ? (
        <p className={styles.note}>No policy yet: a trigger must name capacity and hold itself, or it is refused.</p>
      ) : null}
      <div className={styles.formGrid}>
        {field({ key: "capacity", label: "Surge capacity" }, "Visitors inside at once during a surge.", { min: 1 })}
        {field({ key: "holdMinutes", label: "Hold (minutes)" }, "A repeated trigger extends the hold.", {
          min: 1,
          max: MAX_HOLD_MINUTES,
        })}
        {field(
          { key: "newUsersPerMinute", label: "New visitors per minute" },
          "During a surge; empty: the room's own limit.",
          { min: 1, placeholder: "Room's own" },
        )}
      </div>
      <CheckField
        id="surge-end-early"
        label="End early when traffic falls off"
        description="Without this, a surge always lasts its full hold."
        checked={values.endEarly}
        disabled={!mayEdit}
        onChange={(checked) => set("endEarly", checked)}
      />
      {values.endEarly ? (
        <div className={styles.formGrid}>
          {field(
            { key: "endBelowArrivalsPerMin", label: "Arrivals / min below" },
            "The surge ends once arrivals stay under this…",
            { inputMode: "decimal", step: "any", min: 0 },
          )}
          {field({ key: "endAfterLowMinutes", label: "For (minutes)" }, "…for this many minutes in a row.", {
            min: 1,
          })}
        </div>
      ) : null}
      <FormMessages error={save.error ? errorMessage(save.error) : null} success={saved} />
      {mayEdit ? (
        <div className={styles.formActions}>
          <button type="submit" className={`button ${styles.compact}`} disabled={save.isPending}>
            {save.isPending ? "Saving…" : "Save policy"}
          </button>
        </div>
      ) : (
        <p className={styles.note}>Operators can change the surge policy.</p>
      )}
    </form>
  );
}
