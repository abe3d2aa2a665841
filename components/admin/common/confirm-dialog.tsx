"use client";

import { type FormEvent, type ReactNode, useEffect, useId, useRef, useState } from "react";
import styles from "./admin.module.css";
import dialogStyles from "./confirm-dialog.module.css";
import { Field, FormMessages } from "./form-field";

type ConfirmDialogProps = {
  open: boolean;
  /** The question, naming the effect: "Evict 1 203 waiting visitors from Demo shop?" */
  title: string;
  /** What happens next, in plain words. */
  children?: ReactNode;
  confirmLabel?: string;
  tone?: "danger" | "default";
  /** Ask for a reason (recorded in the audit log). */
  reason?: "none" | "optional" | "required";
  /** The operator must type this exact text before confirming (e.g. the room id). */
  typeToConfirm?: string;
  pending?: boolean;
  /** The server's answer when the action failed; shown inside the dialog. */
  error?: string | null;
  onConfirm: (reason: string) => void;
  onCancel: () => void;
};

// A native modal <dialog>: the page behind is inert (focus stays inside) and Esc cancels.
export function ConfirmDialog({
  open,
  title,
  children,
  confirmLabel = "Confirm",
  tone = "default",
  reason = "none",
  typeToConfirm,
  pending = false,
  error,
  onConfirm,
  onCancel,
}: ConfirmDialogProps) {
  const dialogRef = useRef<HTMLDialogElement>(null);
  const firstFieldRef = useRef<HTMLInputElement & HTMLTextAreaElement>(null);
  const cancelRef = useRef<HTMLButtonElement>(null);
  const openRef = useRef(open);
  const [reasonText, setReasonText] = useState("");
  const [typed, setTyped] = useState("");
  const id = useId();

  useEffect(() => {
    openRef.current = open;
    const dialog = dialogRef.current;
    if (!dialog) return;
    if (open && !dialog.open) {
      setReasonText("");
      setTyped("");
      dialog.showModal();
      // A destructive action starts on Cancel, so a stray Enter does nothing harmful.
      (firstFieldRef.current ?? cancelRef.current)?.focus();
    } else if (!open && dialog.open) {
      dialog.close();
    }
  }, [open]);

  const trimmedReason = reasonText.trim();
  const blocked =
    pending ||
    (reason === "required" && trimmedReason === "") ||
    (typeToConfirm !== undefined && typed.trim() !== typeToConfirm);

  function submit(event: FormEvent) {
    event.preventDefault();
    if (!blocked) onConfirm(trimmedReason);
  }

  return (
    <dialog
      ref={dialogRef}
      className={dialogStyles.dialog}
      aria-labelledby={`${id}-title`}
      onCancel={(event) => {
        event.preventDefault();
        if (!pending) onCancel();
      }}
      // Closed by the browser (a second Esc) while the parent still thinks it is open.
      onClose={() => {
        if (openRef.current) onCancel();
      }}
    >
      {open ? (
        <form className={dialogStyles.body} onSubmit={submit} aria-busy={pending || undefined}>
          <h2 id={`${id}-title`} className={dialogStyles.title}>
            {title}
          </h2>
          {children ? <div className={dialogStyles.details}>{children}</div> : null}
          {typeToConfirm !== undefined ? (
            <Field
              id={`${id}-type`}
              label={
                <>
                  Type <code>{typeToConfirm}</code> to confirm
                </>
              }
            >
              {(control) => (
                <input
                  {...control}
                  ref={firstFieldRef}
                  className={styles.input}
                  value={typed}
                  onChange={(event) => setTyped(event.target.value)}
                  autoComplete="off"
                  spellCheck={false}
                />
              )}
            </Field>
          ) : null}
          {reason !== "none" ? (
            <Field
              id={`${id}-reason`}
              label={<>Reason {reason === "optional" ? <span className={styles.muted}>(optional)</span> : null}</>}
              hint="Recorded in the audit log."
            >
              {(control) => (
                <textarea
                  {...control}
                  ref={typeToConfirm === undefined ? firstFieldRef : undefined}
                  className={styles.textarea}
                  value={reasonText}
                  maxLength={500}
                  required={reason === "required"}
                  onChange={(event) => setReasonText(event.target.value)}
                />
              )}
            </Field>
          ) : null}
          <FormMessages error={error} />
          <div className={dialogStyles.actions}>
            <button
              ref={cancelRef}
              type="button"
              className={`button button-secondary ${styles.compact}`}
              onClick={onCancel}
              disabled={pending}
            >
              Cancel
            </button>
            <button
              type="submit"
              className={`button ${styles.compact} ${tone === "danger" ? styles.danger : ""}`}
              disabled={blocked}
            >
              {pending ? "Working…" : confirmLabel}
            </button>
          </div>
        </form>
      ) : null}
    </dialog>
  );
}
