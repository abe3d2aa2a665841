"use client";

import { useEffect, useState } from "react";
import { bindPageLifecycle } from "@/components/waiting/page-lifecycle";
import { sessionEndedEvent } from "@/components/waiting/queue-api";
import { QueueSession } from "@/components/waiting/queue-session";
import styles from "./shop.module.css";
import { type ShopLang, shopMessages } from "./shop-messages";

type AdmissionKeeperProps = { room: string; lang: ShopLang };

/**
 * Keeps an admitted visitor's place inside while a protected page is open: heartbeats at
 * the pace the server asks for, and sends the visitor back to the waiting page as soon as
 * the server no longer counts them as admitted. Closing the page frees the place for the
 * next person in line (after a short grace that covers reloads).
 */
export function AdmissionKeeper({ room, lang }: AdmissionKeeperProps) {
  const [reconnecting, setReconnecting] = useState(false);
  const [ended, setEnded] = useState(false);
  // Under the room's time limit: when the visit ends (epoch ms), and a clock to count down to it.
  const [sessionEndsAt, setSessionEndsAt] = useState<number | null>(null);
  const nowMs = useSecondClock(sessionEndsAt !== null && !ended);
  const messages = shopMessages[lang];

  useEffect(() => {
    let redirecting = false;
    const backToWaitingRoom = () => {
      if (redirecting) return;
      redirecting = true;
      session.stop();
      const here = window.location.pathname + window.location.search;
      window.location.assign(`/wait/${encodeURIComponent(room)}?next=${encodeURIComponent(here)}`);
    };

    const session = new QueueSession({
      room,
      onEvent: (event) => {
        if (event.type === "status" && event.status.state === "admitted") setSessionEndsAt(event.status.sessionEndsAt);
        if (event.type === "status" && event.status.state !== "admitted") backToWaitingRoom();
        else if (event.type === "gone") backToWaitingRoom();
        else if (event.type === "connection") setReconnecting(event.reconnecting);
        // "refused" only answers enter calls, which this page never makes.
      },
    });
    session.resume();
    // The visitor ended their visit on purpose (FinishVisit): no more heartbeats, no redirect.
    const onEnded = () => {
      redirecting = true;
      session.stop();
      setEnded(true);
    };
    window.addEventListener(sessionEndedEvent, onEnded);

    // Going back to the waiting room is not leaving: the visitor may still hold a place in line.
    const unbind = bindPageLifecycle(session, { movingOn: () => redirecting, onRestored: () => session.resume() });
    return () => {
      session.stop();
      unbind();
      window.removeEventListener(sessionEndedEvent, onEnded);
    };
  }, [room]);

  return (
    <div
      className={styles.banner}
      data-testid="shop-banner"
      data-reconnecting={reconnecting || undefined}
      role="status"
    >
      <span className={reconnecting ? styles.bannerDotWarn : styles.bannerDot} aria-hidden="true" />
      <span data-testid="shop-banner-text">
        {ended
          ? messages.bannerEnded
          : reconnecting
            ? messages.bannerReconnecting
            : sessionEndsAt !== null
              ? messages.bannerTimeLeft(formatTimeLeft(sessionEndsAt - nowMs))
              : messages.banner}
      </span>
    </div>
  );
}

/** The current time, refreshed every second while `running`. */
function useSecondClock(running: boolean): number {
  const [nowMs, setNowMs] = useState(() => Date.now());
  useEffect(() => {
    if (!running) return;
    setNowMs(Date.now());
    const timer = setInterval(() => setNowMs(Date.now()), 1_000);
    return () => clearInterval(timer);
  }, [running]);
  return nowMs;
}

/** m:ss (h:mm:ss past an hour), never below 0:00. */
export function formatTimeLeft(ms: number): string {
  const total = Math.max(0, Math.ceil(ms / 1000));
  const hours = Math.floor(total / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const seconds = String(total % 60).padStart(2, "0");
  return hours > 0 ? `${hours}:${String(minutes).padStart(2, "0")}:${seconds}` : `${minutes}:${seconds}`;
}
