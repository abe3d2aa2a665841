"use client";

import Link from "next/link";
import { useId, useState } from "react";
import { FinishVisit } from "./finish-visit";
import { SIZES_MM } from "./products";
import styles from "./shop.module.css";
import { type ShopLang, shopMessages } from "./shop-messages";

function demoOrderNumber(): string {
  return `FG-${Math.floor(100_000 + Math.random() * 900_000)}`;
}

/** Size choice and a "buy" that only confirms on the page: the shop is a demo. */
export function BuyPanel({ lang, room }: { lang: ShopLang; room: string }) {
  const messages = shopMessages[lang];
  const [size, setSize] = useState<number | null>(null);
  const [showSizeHint, setShowSizeHint] = useState(false);
  const [order, setOrder] = useState<{ number: string; size: number } | null>(null);
  // The visit was ended on purpose: the shop is behind the line again, so no "back to the drop".
  const [finished, setFinished] = useState(false);
  const hintId = useId();

  if (order) {
    return (
      <>
        <div className={styles.confirmation} role="status" data-testid="shop-confirmation">
          <h2 className={styles.confirmationHeading}>{messages.confirmedHeading}</h2>
          <p>{messages.confirmedBody(order.number, order.size)}</p>
          {finished ? null : (
            <p>
              <Link className="button button-secondary" href="/shop">
                {messages.buyAnother}
              </Link>
            </p>
          )}
        </div>
        <FinishVisit room={room} lang={lang} onEnded={() => setFinished(true)} />
      </>
    );
  }

  return (
    <form
      className={styles.buyForm}
      onSubmit={(event) => {
        event.preventDefault();
        if (size === null) setShowSizeHint(true);
        else setOrder({ number: demoOrderNumber(), size });
      }}
    >
      <fieldset className={styles.sizes} aria-describedby={showSizeHint ? hintId : undefined}>
        <legend className={styles.sizesLegend}>{messages.size}</legend>
        {SIZES_MM.map((mm) => (
          <label key={mm} className={styles.sizeChip}>
            <input
              type="radio"
              name="size"
              value={mm}
              checked={size === mm}
              onChange={() => {
                setSize(mm);
                setShowSizeHint(false);
              }}
            />
            <span>{mm}</span>
          </label>
        ))}
      </fieldset>
      {showSizeHint ? (
        <p id={hintId} className={styles.sizeHint} role="alert">
          {messages.chooseSize}
        </p>
      ) : null}
      <button type="submit" className={`button ${styles.buyButton}`} data-testid="shop-buy">
        {messages.buy}
      </button>
    </form>
  );
}
