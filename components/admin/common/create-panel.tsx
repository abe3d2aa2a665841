"use client";

import type { FormEvent, ReactNode } from "react";
import styles from "./admin.module.css";
import { FormMessages } from "./form-field";

type CreatePanelProps = {
  /** "room": titles the panel "New room", its button "Create room", its heading "create-room-title". */
  noun: string;
  /** From useCreateForm: whether the request is out, and the server's refusal to show. */
  form: { pending: boolean; serverError: string | null };
  success: ReactNode;
  onSubmit: (event: FormEvent) => void;
  onClose: () => void;
  /** The form's fields. */
  children: ReactNode;
  /** Inside the panel, after the form: a confirmation dialog, say. */
  after?: ReactNode;
};

// The panel a "New …" button opens: a heading with Close, the fields, the outcome, one action.
export function CreatePanel({ noun, form, success, onSubmit, onClose, children, after }: CreatePanelProps) {
  const titleId = `create-${noun}-title`;
  return (
    <section className={styles.panel} aria-labelledby={titleId}>
      <div className={styles.panelHeader}>
        <h2 id={titleId} className={styles.panelTitle}>
          {`New ${noun}`}
        </h2>
        <button type="button" className={`button button-secondary ${styles.compact}`} onClick={onClose}>
          Close
        </button>
      </div>
      <form className={styles.form} onSubmit={onSubmit} noValidate>
        {children}
        <FormMessages error={form.serverError} success={success} />
        <div className={styles.formActions}>
          <button type="submit" className="button" disabled={form.pending}>
            {form.pending ? "Creating…" : `Create ${noun}`}
          </button>
        </div>
      </form>
      {after}
    </section>
  );
}
