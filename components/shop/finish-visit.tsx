"use client";

import { useState } from "react";
import { endSession, sessionEndedEvent } from "@/components/waiting/queue-api";
import styles from "./shop.module.css";
import { type ShopLang, shopMessages } from "./shop-messages";

type FinishVisitProps = { room: string; lang: ShopLang; onEnded?: () => void };

/**
 * "I'm done": ends the visitor's session on purpose, so the next person in line gets the spot
 * now rather than when this page goes quiet. A real shop would do this from its server after
 * checkout (POST /api/triggers/end-session); the demo shop has no server of its own, so the page
 * does it, as Floodgate.endSession() in floodgate.js does for other sites.
 */
export function FinishVisit({ room, lang, onEnded }: FinishVisitProps) {
  const messages = shopMessages[lang];
  const [state, setState] = useState<"idle" | "ending" | "failed" | "ended">("idle");

  if (state === "ended") {
    return (
      <div className={styles.confirmation} role="status" data-testid="shop-finished">
        <h2 className={styles.confirmationHeading}>{messages.finishedHeading}</h2>
        <p>{messages.finishedBody}</p>
        <p>
          {/* A full page load: the shop is behind the waiting room again. */}
          <a className="button button-secondary" href="/shop">
            {messages.shopAgain}
          </a>
        </p>
      </div>
    );
  }

  return (
    <div className={styles.finish}>
      <button
        type="button"
        className="button"
        data-testid="shop-finish"
        disabled={state === "ending"}
        onClick={async () => {
          setState("ending");
          if (await endSession(room)) {
            window.dispatchEvent(new CustomEvent(sessionEndedEvent));
            setState("ended");
            onEnded?.();
          } else setState("failed");
        }}
      >
        {state === "ending" ? messages.finishing : messages.finish}
      </button>
      {state === "failed" ? (
        <p className={styles.sizeHint} role="alert">
          {messages.finishFailed}
        </p>
      ) : null}
    </div>
  );
}
