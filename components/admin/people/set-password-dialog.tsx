"use client";

import { useEffect, useRef, useState } from "react";
import { errorMessage } from "@/components/queries/api";
import { useUpdateUser } from "@/components/queries/use-update-user";
import type { AdminUser } from "@/server/admin/admin-types";
import styles from "../common/admin.module.css";
import { ConfirmDialog } from "../common/confirm-dialog";
import { Field } from "../common/form-field";
import { newPasswordHint, newPasswordProblem } from "./password-rules";

type SetPasswordDialogProps = {
  /** Whose password to set; null keeps the dialog closed. */
  user: AdminUser | null;
  onCancel: () => void;
  onDone: (user: AdminUser) => void;
};

// PATCH /api/admin/users/:id { password }: an admin sets someone else's password (one's own
// goes through /admin/account, which asks for the current one).
export function SetPasswordDialog({ user, onCancel, onDone }: SetPasswordDialogProps) {
  const update = useUpdateUser();
  const [password, setPassword] = useState("");
  const [problem, setProblem] = useState<string | undefined>();
  const inputRef = useRef<HTMLInputElement>(null);
  const open = user !== null;

  // A password is kept no longer than the dialog is open. ConfirmDialog puts focus on Cancel as
  // it opens; this effect runs after its (a parent's effects follow its children's), so typing
  // can start at once. A stray Enter only asks for a longer password.
  useEffect(() => {
    setPassword("");
    setProblem(undefined);
    if (open) inputRef.current?.focus();
  }, [open]);

  function close() {
    update.reset();
    onCancel();
  }

  function confirm() {
    if (!user) return;
    const found = newPasswordProblem(password);
    setProblem(found);
    if (found) return inputRef.current?.focus();
    update.mutate({ id: user.id, password }, { onSuccess: () => onDone(user) });
  }

  return (
    <ConfirmDialog
      open={open}
      title={user ? `Set password for ${user.email}` : ""}
      confirmLabel="Set password"
      pending={update.isPending}
      error={update.error ? errorMessage(update.error) : null}
      onConfirm={confirm}
      onCancel={close}
    >
      <p>
        Their old password stops working and every session they have ends at once: they sign in again with the new one.
      </p>
      <Field
        id="set-password-new"
        label="New password"
        hint={`${newPasswordHint} Share it with them privately.`}
        error={problem}
      >
        {(control) => (
          <input
            {...control}
            ref={inputRef}
            className={styles.input}
            type="password"
            autoComplete="new-password"
            value={password}
            onChange={(event) => {
              setPassword(event.target.value);
              setProblem(undefined);
            }}
          />
        )}
      </Field>
    </ConfirmDialog>
  );
}
