"use client";

import { useEffect, useState } from "react";
import type { WaitingMessages } from "./messages";
import styles from "./waiting.module.css";

type PlaceReferenceProps = { reference: string; messages: WaitingMessages };

/** The place's reference code, to read to support, with a button that copies it. */
export function PlaceReference({ reference, messages }: PlaceReferenceProps) {
  const [copied, setCopied] = useState(false);
  useEffect(() => {
    if (!copied) return;
    const timer = setTimeout(() => setCopied(false), 2_000);
    return () => clearTimeout(timer);
  }, [copied]);

  const copy = async () => {
    try {
      await navigator.clipboard.writeText(reference);
      setCopied(true);
    } catch {
      // No clipboard (an insecure origin, a refused permission): select the code to copy by hand.
      const code = document.querySelector<HTMLElement>("[data-testid=wait-reference]");
      const selection = window.getSelection();
      if (code && selection) {
        selection.selectAllChildren(code);
      }
    }
  };

  return (
    <div className={styles.reference}>
      <p className={styles.referenceLine}>
        <span className={styles.referenceLabel}>{messages.reference.label}</span>{" "}
        <code className={styles.referenceCode} data-testid="wait-reference">
          {reference}
        </code>
        <button
          type="button"
          className={styles.referenceCopy}
          onClick={copy}
          aria-label={`${messages.reference.copy}: ${reference}`}
          data-testid="wait-reference-copy"
        >
          {copied ? messages.reference.copied : messages.reference.copy}
        </button>
      </p>
      <p className={styles.referenceHint}>{messages.reference.hint}</p>
      <span className="visually-hidden" aria-live="polite">
        {copied ? messages.reference.copied : ""}
      </span>
    </div>
  );
}
