"use client";

import { type FormEvent, useState } from "react";
import { errorMessage } from "@/components/queries/api";
import { useSetCapacity } from "@/components/queries/use-set-capacity";
import type { AdminRoom } from "@/server/admin/admin-types";
import styles from "../common/admin.module.css";
import { ConfirmDialog } from "../common/confirm-dialog";
import { FormMessages, TextField } from "../common/form-field";
import { formatCount, plural } from "../common/format";
import { useCan } from "../common/session-context";

/** What a capacity change will do, in the words the confirmation uses. */
function capacityEffect(room: AdminRoom, next: number): string {
  const { active, waiting } = room.stats;
  if (room.mode === "passthrough")
    return "The room is in pass-through mode: capacity takes effect once it queues again.";
  if (room.mode === "closed")
    return "The room is closed: nobody is admitted until it opens again; the new capacity applies then.";
  // An event or surge holding capacity higher: the base only matters again once it ends.
  if (room.stats.capacity > Math.max(next, room.capacity))
    return `An event or surge holds capacity at ${formatCount(room.stats.capacity)} for now; the new base applies once nothing raises it.`;
  if (next === 0)
    return `Admission pauses. The ${plural(active, "visitor", "visitors")} inside stay; people can still join the line.`;
  if (next > room.capacity) {
    const admitted = Math.min(waiting, Math.max(0, next - active));
    return admitted > 0
      ? `Up to ${plural(admitted, "waiting visitor", "waiting visitors")} will be admitted right away.`
      : "Nobody is waiting, so nobody is admitted right away.";
  }
  if (next < active)
    return `Nobody is removed: the ${formatCount(active)} inside stay, and admission waits until fewer than ${formatCount(next)} are inside.`;
  return `Fewer visitors will be inside at once; nobody currently inside is removed.`;
}

// PUT /api/admin/rooms/:room/capacity. The single most used control during a peak, so it
// confirms with the effect spelled out, and a viewer sees it but cannot use it.
export function CapacityControl({ room }: { room: AdminRoom }) {
  const mayChange = useCan("operator");
  const setCapacity = useSetCapacity(room.id);
  const [draft, setDraft] = useState<string | null>(null);
  const [confirming, setConfirming] = useState<number | null>(null);
  const [inputError, setInputError] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const value = draft ?? String(room.capacity);
  const raised = room.stats.capacity !== room.capacity;

  function submit(event: FormEvent) {
    event.preventDefault();
    setDone(null);
    const next = Number(value);
    if (value.trim() === "" || !Number.isInteger(next) || next < 0 || next > 10_000_000) {
      setInputError("Enter a whole number from 0 to 10,000,000.");
      return;
    }
    if (next === room.capacity) {
      setInputError(`Capacity is already ${formatCount(next)}.`);
      return;
    }
    setInputError(null);
    setCapacity.reset();
    setConfirming(next);
  }

  function confirm(reason: string) {
    if (confirming === null) return;
    const next = confirming;
    setCapacity.mutate(
      { capacity: next, reason: reason || undefined },
      {
        onSuccess: () => {
          setConfirming(null);
          setDraft(null);
          setDone(`Capacity set to ${formatCount(next)}.`);
        },
      },
    );
  }

  const errorId = "capacity-error";
  // The section is "Capacity control", not "Capacity": the input alone carries that name.
  return (
    <section className={styles.panel} aria-label="Capacity control">
      <h2 className={styles.panelTitle}>Admission capacity</h2>
      <form className={styles.form} onSubmit={submit}>
        <div className={styles.filters}>
          <TextField
            id="capacity-input"
            label="Capacity"
            type="number"
            inputMode="numeric"
            min={0}
            max={10_000_000}
            value={value}
            disabled={!mayChange}
            aria-invalid={inputError ? true : undefined}
            aria-describedby={inputError ? errorId : "capacity-hint"}
            onValueChange={(next) => {
              setDraft(next);
              setInputError(null);
            }}
          />
          {mayChange ? (
            <button type="submit" className="button" disabled={setCapacity.isPending}>
              Set capacity
            </button>
          ) : null}
        </div>
        {inputError ? (
          <p id={errorId} className={styles.fieldError}>
            {inputError}
          </p>
        ) : null}
        <p id="capacity-hint" className={styles.note}>
          {mayChange
            ? `Base ${formatCount(room.capacity)}${raised ? ` (raised to ${formatCount(room.stats.capacity)} for now)` : ""}, with ${formatCount(room.stats.active)} inside. 0 pauses admission.`
            : "Operators can change capacity"}
        </p>
        <FormMessages success={done} />
      </form>
      <ConfirmDialog
        open={confirming !== null}
        title={`Change capacity of ${room.name} from ${formatCount(room.capacity)} to ${formatCount(confirming ?? 0)}?`}
        reason="optional"
        pending={setCapacity.isPending}
        error={setCapacity.error ? errorMessage(setCapacity.error) : null}
        onConfirm={confirm}
        onCancel={() => setConfirming(null)}
      >
        <p>{confirming !== null ? capacityEffect(room, confirming) : null}</p>
      </ConfirmDialog>
    </section>
  );
}
