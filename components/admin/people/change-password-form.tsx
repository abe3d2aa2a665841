"use client";

import { signOut } from "next-auth/react";
import { type FormEvent, useState } from "react";
import { errorMessage } from "@/components/queries/api";
import { useChangeOwnPassword } from "@/components/queries/use-change-own-password";
import styles from "../common/admin.module.css";
import { FormMessages, TextField } from "../common/form-field";
import type { FormErrors } from "../common/use-create-form";
import { checkPasswordChange, newPasswordHint, type PasswordChangeValues } from "./password-rules";

const empty: PasswordChangeValues = { currentPassword: "", newPassword: "", repeatPassword: "" };

const fields: readonly { key: keyof PasswordChangeValues; label: string; autoComplete: string; hint?: string }[] = [
  { key: "currentPassword", label: "Current password", autoComplete: "current-password" },
  { key: "newPassword", label: "New password", autoComplete: "new-password", hint: newPasswordHint },
  { key: "repeatPassword", label: "Repeat new password", autoComplete: "new-password" },
];

// A new password ends every session issued before it (the server checks each session's epoch),
// this one included: say so, and offer the way back in.
const changedMessage =
  "Password changed. Every session of yours has ended, this one too: sign in again with the new password.";

// PUT /api/admin/me/password. `email` feeds the hidden username field password managers pair the new password with.
export function ChangePasswordForm({ email }: { email: string }) {
  const change = useChangeOwnPassword();
  const [values, setValues] = useState(empty);
  const [errors, setErrors] = useState<FormErrors<PasswordChangeValues>>({});
  const [changed, setChanged] = useState(false);

  function submit(event: FormEvent) {
    event.preventDefault();
    setChanged(false);
    const { errors, input } = checkPasswordChange(values);
    setErrors(errors);
    if (!input) return change.reset();
    change.mutate(input, {
      onSuccess: () => {
        setValues(empty);
        setChanged(true);
      },
    });
  }

  return (
    <section className={styles.panel} aria-labelledby="change-password-title">
      <h2 id="change-password-title" className={styles.panelTitle}>
        Change password
      </h2>
      <form className={styles.form} onSubmit={submit} noValidate data-testid="change-password-form">
        <input type="text" name="username" autoComplete="username" value={email} readOnly hidden />
        <div className={styles.formGrid}>
          {fields.map((field) => (
            <TextField
              key={field.key}
              id={`account-${field.key}`}
              label={field.label}
              hint={field.hint}
              error={errors[field.key]}
              type="password"
              autoComplete={field.autoComplete}
              value={values[field.key]}
              onValueChange={(value) => setValues({ ...values, [field.key]: value })}
            />
          ))}
        </div>
        <FormMessages
          error={change.error ? errorMessage(change.error) : null}
          success={changed ? changedMessage : null}
        />
        <div className={styles.formActions}>
          {changed ? (
            <button type="button" className="button" onClick={() => signOut({ callbackUrl: "/admin/sign-in" })}>
              Sign in again
            </button>
          ) : (
            <button type="submit" className="button" disabled={change.isPending}>
              {change.isPending ? "Changing…" : "Change password"}
            </button>
          )}
        </div>
      </form>
    </section>
  );
}
