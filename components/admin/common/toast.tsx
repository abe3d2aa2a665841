"use client";

import { createContext, type ReactNode, useCallback, useContext, useEffect, useRef, useState } from "react";
import styles from "./toast.module.css";

// Short confirmations of what an action did ("Evicted K7QF-2M — …"), in one polite live region
// that is always in the page (a region added together with its text is often not read out).
// A toast stays 10 s (long enough to read twice) and can be dismissed sooner.

export type ToastTone = "ok" | "danger";
type Toast = { id: number; message: string; tone: ToastTone };
type Show = (message: string, tone?: ToastTone) => void;

const visibleMs = 10_000;
/** Older ones give way: a burst of actions shows the latest few, not a wall. */
const maxShown = 3;

const ToastContext = createContext<Show>(() => undefined);

/** Shows a toast from anywhere inside the console shell. */
export function useToast(): Show {
  return useContext(ToastContext);
}

export function ToastProvider({ children }: { children: ReactNode }) {
  const [toasts, setToasts] = useState<Toast[]>([]);
  const nextId = useRef(1);
  const dismiss = useCallback((id: number) => setToasts((list) => list.filter((toast) => toast.id !== id)), []);
  const show = useCallback<Show>((message, tone = "ok") => {
    const id = nextId.current++;
    setToasts((list) => [...list.slice(-(maxShown - 1)), { id, message, tone }]);
  }, []);

  return (
    <ToastContext.Provider value={show}>
      {children}
      <div className={styles.region} role="status" aria-live="polite" data-testid="toasts">
        {toasts.map((toast) => (
          <ToastItem key={toast.id} toast={toast} onDismiss={dismiss} />
        ))}
      </div>
    </ToastContext.Provider>
  );
}

function ToastItem({ toast, onDismiss }: { toast: Toast; onDismiss: (id: number) => void }) {
  useEffect(() => {
    const timer = window.setTimeout(() => onDismiss(toast.id), visibleMs);
    return () => window.clearTimeout(timer);
  }, [onDismiss, toast.id]);

  return (
    <div className={styles.toast} data-tone={toast.tone}>
      <span className={styles.mark} aria-hidden="true">
        {toast.tone === "ok" ? "✓" : "!"}
      </span>
      <p className={styles.message} data-testid="toast">
        {toast.message}
      </p>
      <button type="button" className={styles.close} aria-label="Dismiss" onClick={() => onDismiss(toast.id)}>
        ×
      </button>
    </div>
  );
}
