"use client";

import { type FormEvent, useState } from "react";
import { ApiRequestError, errorMessage } from "@/components/queries/api";
import { useUpdateRoom } from "@/components/queries/use-update-room";
import type { AdminRoom, RoomSettingsInput } from "@/server/admin/admin-types";
import type { RoomConfig } from "@/server/queue/types";
import styles from "../common/admin.module.css";
import { ConfirmDialog } from "../common/confirm-dialog";
import { FormMessages } from "../common/form-field";
import { formatCount, formatDuration } from "../common/format";
import { useCan } from "../common/session-context";
import { RoomFields } from "./room-fields";
import {
  type RoomFormErrors,
  type RoomFormRoom,
  type RoomFormValues,
  roomFormFrom,
  validateRoomForm,
} from "./room-form";
import { roomModeLabels, roomModeOptions } from "./room-modes";

type Change = { label: string; before: string; after: string; note?: string };

const settingKeys = [
  "name",
  "mode",
  "heartbeatIntervalMs",
  "heartbeatTimeoutMs",
  "maxQueueLength",
  "newUsersPerMinute",
  "sessionDurationSeconds",
  "sessionRenewal",
  "typicalVisitSeconds",
  "bypassCidrs",
  "bypassApiKeys",
  "bypassUncounted",
  "challenge",
  "challengeDifficulty",
  "blockedCidrs",
  "infiniteLine",
  "protectedPaths",
] as const;

function describeSetting(key: (typeof settingKeys)[number], value: RoomConfig[(typeof settingKeys)[number]]): string {
  if (key === "mode") return roomModeLabels[value as RoomConfig["mode"]];
  if (key === "protectedPaths") return (value as string[]).join(", ") || "none";
  if (key === "heartbeatIntervalMs" || key === "heartbeatTimeoutMs") return formatDuration((value as number) / 1000);
  if (key === "maxQueueLength") return formatCount(value as number);
  if (key === "newUsersPerMinute") return value === null ? "no limit" : `${formatCount(value as number)} a minute`;
  if (key === "sessionDurationSeconds") return value === null ? "no limit" : formatDuration(value as number);
  if (key === "typicalVisitSeconds") return value === null ? "measured only" : formatDuration(value as number);
  if (key === "sessionRenewal" || key === "bypassApiKeys" || key === "bypassUncounted" || key === "infiniteLine")
    return value ? "on" : "off";
  if (key === "bypassCidrs" || key === "blockedCidrs") return (value as string[]).join(", ") || "none";
  if (key === "challenge") return value === "pow" ? "proof of work" : "none";
  if (key === "challengeDifficulty") return `${formatCount(value as number)} tries at most`;
  return String(value);
}

const labels: Record<(typeof settingKeys)[number], string> = {
  name: "Name",
  mode: "Mode",
  heartbeatIntervalMs: "Heartbeat interval",
  heartbeatTimeoutMs: "Heartbeat timeout",
  maxQueueLength: "Maximum line length",
  newUsersPerMinute: "New visitors per minute",
  sessionDurationSeconds: "Session limit",
  sessionRenewal: "Renew sessions at the limit",
  typicalVisitSeconds: "Typical visit",
  bypassCidrs: "Addresses that skip the line",
  bypassApiKeys: "API keys skip the line",
  bypassUncounted: "Bypass beyond capacity",
  challenge: "Bot challenge",
  challengeDifficulty: "Challenge work",
  blockedCidrs: "Blocked addresses",
  infiniteLine: "Infinite line for suspicious arrivals",
  protectedPaths: "Protected paths",
};

function changesBetween(current: RoomConfig, next: RoomFormRoom): { changes: Change[]; patch: RoomSettingsInput } {
  const changes: Change[] = [];
  const patch: Record<string, unknown> = {};
  for (const key of settingKeys) {
    if (JSON.stringify(current[key]) === JSON.stringify(next[key])) continue;
    patch[key] = next[key];
    const note = key === "mode" ? roomModeOptions.find((option) => option.value === next.mode)?.description : undefined;
    changes.push({
      label: labels[key],
      before: describeSetting(key, current[key]),
      after: describeSetting(key, next[key]),
      note,
    });
  }
  return { changes, patch: patch as RoomSettingsInput };
}

// PATCH /api/admin/rooms/:room. Edits stay local until saved; saving lists every change
// (and what a new mode means) before it goes live.
export function RoomSettingsForm({ room }: { room: AdminRoom }) {
  const mayEdit = useCan("operator");
  const updateRoom = useUpdateRoom(room.id);
  const [values, setValues] = useState<RoomFormValues>(() => roomFormFrom(room));
  const [errors, setErrors] = useState<RoomFormErrors>({});
  const [pending, setPending] = useState<{ changes: Change[]; patch: RoomSettingsInput } | null>(null);
  const [saved, setSaved] = useState(false);
  const [serverError, setServerError] = useState<string | null>(null);

  function submit(event: FormEvent) {
    event.preventDefault();
    setSaved(false);
    setServerError(null);
    const result = validateRoomForm({ ...values, capacity: String(room.capacity) });
    setErrors(result.errors);
    if (!result.room) return;
    const diff = changesBetween(room, result.room);
    if (diff.changes.length === 0) {
      setServerError("Nothing to save: these are the current settings.");
      return;
    }
    updateRoom.reset();
    setPending(diff);
  }

  function confirm(reason: string) {
    if (!pending) return;
    updateRoom.mutate(
      { ...pending.patch, reason: reason || undefined },
      {
        onSuccess: (data) => {
          setPending(null);
          setValues(roomFormFrom(data.room));
          setSaved(true);
        },
        onError: (error) => {
          // Validation failures belong beside the form, where the fields are.
          if (error instanceof ApiRequestError && (error.status === 422 || error.status === 400)) {
            setPending(null);
            setServerError(error.message);
          }
        },
      },
    );
  }

  return (
    <section className={styles.panel} aria-labelledby="settings-title">
      <div className={styles.panelHeader}>
        <h2 id="settings-title" className={styles.panelTitle}>
          Settings
        </h2>
        {!mayEdit ? <span className={styles.note}>Operators can change settings</span> : null}
      </div>
      <form className={styles.form} onSubmit={submit} noValidate>
        <RoomFields
          idPrefix="settings"
          values={values}
          errors={errors}
          onChange={setValues}
          disabled={!mayEdit}
          isNew={false}
        />
        <FormMessages error={serverError} success={saved ? "Settings saved." : null} />
        {mayEdit ? (
          <div className={styles.formActions}>
            <button type="submit" className="button" disabled={updateRoom.isPending}>
              Save settings
            </button>
            <button
              type="button"
              className="button button-secondary"
              onClick={() => {
                setValues(roomFormFrom(room));
                setErrors({});
                setServerError(null);
              }}
            >
              Reset
            </button>
          </div>
        ) : null}
      </form>
      <ConfirmDialog
        open={pending !== null}
        title={`Save ${pending?.changes.length === 1 ? "1 change" : `${pending?.changes.length ?? 0} changes`} to ${room.name}?`}
        confirmLabel="Save"
        reason="optional"
        pending={updateRoom.isPending}
        error={updateRoom.error ? errorMessage(updateRoom.error) : null}
        onConfirm={confirm}
        onCancel={() => setPending(null)}
      >
        <ul>
          {pending?.changes.map((change) => (
            <li key={change.label}>
              <strong>{change.label}</strong>: {change.before} → {change.after}
              {change.note ? <> ({change.note})</> : null}
            </li>
          ))}
        </ul>
        <p>Changes apply to live traffic at once.</p>
      </ConfirmDialog>
    </section>
  );
}
