"use client";

import type { UseMutationResult } from "@tanstack/react-query";
import type { CreateApiKeyInput } from "@/components/queries/use-create-api-key";
import type { AdminRoom, ApiKeyCreatedResponse } from "@/server/admin/admin-types";
import styles from "../common/admin.module.css";
import { CreatePanel } from "../common/create-panel";
import { TextField } from "../common/form-field";
import { type FormErrors, useCreateForm } from "../common/use-create-form";

const empty: CreateApiKeyInput = { name: "", rooms: [] };

function checkKey(values: CreateApiKeyInput) {
  const errors: FormErrors<CreateApiKeyInput> = {};
  const name = values.name.trim();
  if (name === "") errors.name = "Name the caller, e.g. “push server”.";
  else if (name.length > 80) errors.name = "At most 80 characters.";
  if (values.rooms.length === 0) errors.rooms = "Pick at least one room the key may surge.";
  const valid = Object.keys(errors).length === 0;
  return { errors, input: valid ? { name, rooms: values.rooms } : null };
}

type CreateApiKeyFormProps = {
  rooms: readonly AdminRoom[];
  /** The page's mutation: its answer (the secret) is shown by the page, once. */
  mutation: UseMutationResult<ApiKeyCreatedResponse, Error, CreateApiKeyInput>;
  onClose: () => void;
};

// POST /api/admin/api-keys: a name for the caller and the rooms it may act on.
export function CreateApiKeyForm({ rooms, mutation, onClose }: CreateApiKeyFormProps) {
  const form = useCreateForm({
    empty,
    validate: checkKey,
    mutation,
    conflict: { code: "api_key_exists", field: "name" },
  });
  const { values, setValues, errors } = form;

  function toggle(room: string, checked: boolean) {
    const next = checked ? [...values.rooms, room] : values.rooms.filter((id) => id !== room);
    setValues({ ...values, rooms: next });
  }

  return (
    <CreatePanel
      noun="API key"
      form={form}
      success={null}
      onSubmit={form.submitWith((input) => form.create(input))}
      onClose={onClose}
    >
      <div className={styles.formGrid}>
        <TextField
          id="new-key-name"
          label="Name"
          hint="Who calls with it; shown in the audit log as api-key:<name>."
          error={errors.name}
          value={values.name}
          maxLength={80}
          autoComplete="off"
          onValueChange={(name) => setValues({ ...values, name })}
        />
      </div>
      <fieldset className={styles.choiceGroup} aria-describedby={errors.rooms ? "new-key-rooms-error" : undefined}>
        <legend>Rooms it may surge</legend>
        {rooms.map((room) => (
          <label key={room.id} className={styles.choice}>
            <input
              type="checkbox"
              checked={values.rooms.includes(room.id)}
              onChange={(event) => toggle(room.id, event.target.checked)}
            />
            <span className={styles.choiceTitle}>{room.name}</span>
            <span className={`${styles.choiceText} ${styles.mono}`}>{room.id}</span>
          </label>
        ))}
      </fieldset>
      {errors.rooms ? (
        <p id="new-key-rooms-error" className={styles.fieldError}>
          {errors.rooms}
        </p>
      ) : null}
    </CreatePanel>
  );
}
