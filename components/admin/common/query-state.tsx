"use client";

import { errorMessage } from "@/components/queries/api";
import styles from "./feedback.module.css";

type QueryStateProps = {
  /** What is loading, for the message: "rooms", "tokens". */
  what: string;
  isPending: boolean;
  error: unknown;
  onRetry: () => void;
};

// Shown only before the first data arrives: a loading line, or the error with a retry button.
// Once data exists, failures become the stale banner instead and the data stays on screen.
export function QueryState({ what, isPending, error, onRetry }: QueryStateProps) {
  if (error) {
    return (
      <div className={styles.failed} role="alert">
        <p>
          <strong>Could not load {what}.</strong> {errorMessage(error)}
        </p>
        <button type="button" className="button button-secondary" onClick={onRetry}>
          Try again
        </button>
      </div>
    );
  }
  if (isPending) {
    return (
      <p className={styles.loading} role="status">
        Loading {what}…
      </p>
    );
  }
  return null;
}
