"use client";

import { type FormEvent, useState } from "react";
import { ApiRequestError, errorMessage } from "@/components/queries/api";
import { type CreateUserInput, useCreateUser } from "@/components/queries/use-create-user";
import type { Role } from "@/server/admin/admin-types";
import styles from "./admin.module.css";
import { Field } from "./form-field";
import { roleDescriptions, roleLabels, roleOptions } from "./roles";

type Errors = Partial<Record<keyof CreateUserInput, string>>;

const empty: CreateUserInput = { email: "", name: "", role: "viewer", password: "" };

function validate(input: CreateUserInput): Errors {
  const errors: Errors = {};
  if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(input.email.trim())) errors.email = "Enter an email address.";
  if (input.name.trim() === "") errors.name = "Enter a name.";
  if (input.password.length < 12) errors.password = "At least 12 characters.";
  return errors;
}

// POST /api/admin/users
export function CreateUserForm({ onClose }: { onClose: () => void }) {
  const createUser = useCreateUser();
  const [values, setValues] = useState<CreateUserInput>(empty);
  const [errors, setErrors] = useState<Errors>({});
  const [created, setCreated] = useState<string | null>(null);
  const set = (key: keyof CreateUserInput, value: string) => setValues({ ...values, [key]: value });

  function submit(event: FormEvent) {
    event.preventDefault();
    setCreated(null);
    const found = validate(values);
    setErrors(found);
    if (Object.keys(found).length > 0) return;
    const input = { ...values, email: values.email.trim(), name: values.name.trim() };
    createUser.mutate(input, {
      onSuccess: () => {
        setCreated(`${input.email} can now sign in as ${roleLabels[input.role].toLowerCase()}.`);
        setValues(empty);
      },
      onError: (error) => {
        if (error instanceof ApiRequestError && error.code === "user_exists") setErrors({ email: error.message });
      },
    });
  }

  const serverError = createUser.error && !errors.email ? errorMessage(createUser.error) : null;
  return (
    <section className={styles.panel} aria-labelledby="create-user-title">
      <div className={styles.panelHeader}>
        <h2 id="create-user-title" className={styles.panelTitle}>
          New user
        </h2>
        <button type="button" className={`button button-secondary ${styles.compact}`} onClick={onClose}>
          Close
        </button>
      </div>
      <form className={styles.form} onSubmit={submit} noValidate>
        <div className={styles.formGrid}>
          <Field id="new-user-email" label="Email" error={errors.email}>
            {(control) => (
              <input
                {...control}
                className={styles.input}
                type="email"
                autoComplete="off"
                value={values.email}
                onChange={(event) => set("email", event.target.value)}
              />
            )}
          </Field>
          <Field id="new-user-name" label="Name" error={errors.name}>
            {(control) => (
              <input
                {...control}
                className={styles.input}
                autoComplete="off"
                value={values.name}
                onChange={(event) => set("name", event.target.value)}
              />
            )}
          </Field>
          <Field
            id="new-user-password"
            label="Password"
            hint="At least 12 characters. Share it with them privately."
            error={errors.password}
          >
            {(control) => (
              <input
                {...control}
                className={styles.input}
                type="password"
                autoComplete="new-password"
                value={values.password}
                onChange={(event) => set("password", event.target.value)}
              />
            )}
          </Field>
        </div>
        <fieldset className={styles.choiceGroup}>
          <legend>Role</legend>
          {roleOptions.map((role: Role) => (
            <label key={role} className={styles.choice}>
              <input
                type="radio"
                name="new-user-role"
                value={role}
                checked={values.role === role}
                onChange={() => setValues({ ...values, role })}
              />
              <span className={styles.choiceTitle}>{roleLabels[role]}</span>
              <span className={styles.choiceText}>{roleDescriptions[role]}</span>
            </label>
          ))}
        </fieldset>
        {serverError ? (
          <p className={styles.alert} role="alert">
            {serverError}
          </p>
        ) : null}
        {created ? (
          <p className={styles.success} role="status">
            {created}
          </p>
        ) : null}
        <div className={styles.formActions}>
          <button type="submit" className="button" disabled={createUser.isPending}>
            {createUser.isPending ? "Creating…" : "Create user"}
          </button>
        </div>
      </form>
    </section>
  );
}
