"use client";

import { useEffect, useState } from "react";
import type { WaitingMessages } from "./messages";
import styles from "./waiting.module.css";

type RetryCountdownProps = {
  /** When the page's next try goes out (epoch ms): the session has already scheduled it. */
  retryAtMs?: number;
  /** Without retryAtMs (a preview): this long from when it is first shown. */
  retryInMs: number;
  messages: WaitingMessages;
  onTryNow: () => void;
};

/** Whole seconds until `retryAtMs`, never below 0. */
export function secondsUntil(retryAtMs: number, nowMs: number): number {
  return Math.max(0, Math.ceil((retryAtMs - nowMs) / 1000));
}

/**
 * "Trying again in 12 s" and a "Try now" button, for a newcomer the room cannot take now: the
 * same line the gate's own page shows (server/gate/full-page.ts), so the two look alike.
 */
export function RetryCountdown({ retryAtMs, retryInMs, messages, onTryNow }: RetryCountdownProps) {
  const [nowMs, setNowMs] = useState(() => Date.now());
  const [shownAtMs] = useState(nowMs);
  useEffect(() => {
    setNowMs(Date.now());
    const timer = setInterval(() => setNowMs(Date.now()), 1_000);
    return () => clearInterval(timer);
  }, []);
  const seconds = secondsUntil(retryAtMs ?? shownAtMs + retryInMs, nowMs);
  return (
    <div className={styles.retry}>
      <p className={styles.countdown} role="timer" aria-live="off" data-testid="retry-countdown">
        {seconds > 0 ? messages.retryIn(seconds) : messages.retrying}
      </p>
      <button type="button" className="button" onClick={onTryNow} data-testid="retry-now">
        {messages.tryNow}
      </button>
    </div>
  );
}
