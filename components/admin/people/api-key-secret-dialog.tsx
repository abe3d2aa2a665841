"use client";

import { useEffect, useRef, useState } from "react";
import type { ApiKeyCreatedResponse } from "@/server/admin/admin-types";
import styles from "../common/admin.module.css";
import dialogStyles from "../common/confirm-dialog.module.css";

// The one time a new key's secret is shown. A native modal <dialog>; Esc does not close it (a
// stray key press would lose the secret for good): "Done" does, once it has been copied.
export function ApiKeySecretDialog({ created, onDone }: { created: ApiKeyCreatedResponse | null; onDone: () => void }) {
  const dialogRef = useRef<HTMLDialogElement>(null);
  const copyRef = useRef<HTMLButtonElement>(null);
  const secretRef = useRef<HTMLInputElement>(null);
  const [copied, setCopied] = useState<"yes" | "failed" | null>(null);
  const open = created !== null;

  useEffect(() => {
    const dialog = dialogRef.current;
    if (!dialog) return;
    if (open && !dialog.open) {
      setCopied(null);
      dialog.showModal();
      copyRef.current?.focus();
    } else if (!open && dialog.open) {
      dialog.close();
    }
  }, [open]);

  async function copy() {
    if (!created) return;
    try {
      await navigator.clipboard.writeText(created.secret);
      setCopied("yes");
    } catch {
      // No clipboard (an http page, a locked-down browser): select it for a manual copy.
      secretRef.current?.select();
      setCopied("failed");
    }
  }

  return (
    <dialog
      ref={dialogRef}
      className={dialogStyles.dialog}
      aria-labelledby="api-key-secret-title"
      onCancel={(event) => event.preventDefault()}
      data-testid="api-key-secret"
    >
      {created ? (
        <div className={dialogStyles.body}>
          <h2 id="api-key-secret-title" className={dialogStyles.title}>
            API key “{created.key.name}” created
          </h2>
          <p className={styles.alert}>Copy it now: you will not see it again. Floodgate keeps only a hash of it.</p>
          <label className={styles.label} htmlFor="api-key-secret-value">
            The key
          </label>
          <input
            id="api-key-secret-value"
            ref={secretRef}
            className={`${styles.input} ${styles.mono}`}
            value={created.secret}
            readOnly
            spellCheck={false}
            onFocus={(event) => event.target.select()}
          />
          <p className={styles.note}>
            It may surge {created.key.rooms.join(", ")}. Send it as <code>Authorization: Bearer …</code>; keep it in
            your push server's secret store.
          </p>
          <p role="status" className={copied === "yes" ? styles.success : styles.note}>
            {copied === "yes"
              ? "Copied to the clipboard."
              : copied === "failed"
                ? "Selected: press Ctrl+C (⌘C) to copy."
                : ""}
          </p>
          <div className={dialogStyles.actions}>
            <button ref={copyRef} type="button" className={`button button-secondary ${styles.compact}`} onClick={copy}>
              Copy key
            </button>
            <button type="button" className={`button ${styles.compact}`} onClick={onDone}>
              Done, I have stored it
            </button>
          </div>
        </div>
      ) : null}
    </dialog>
  );
}
