import type { RoomSummary } from "@/server/queue/types";
import { formatEta } from "./format-eta";
import { formatCount, type WaitingMessages } from "./messages";
import { PlaceReference } from "./place-reference";
import { QueueStats } from "./queue-stats";
import { displayStateOf, type QueueView } from "./queue-view";
import { RetryCountdown } from "./retry-countdown";
import type { RoomBrand } from "./room-brand";
import { RoomBrandHeader, RoomNotice } from "./room-brand-view";
import { StateIcon } from "./state-icon";
import styles from "./waiting.module.css";

type StatusPanelProps = {
  view: QueueView;
  messages: WaitingMessages;
  room: string;
  /** The room's display name, logo and message in the page's language (room-brand.ts). */
  brand: RoomBrand;
  next: string;
  summary: RoomSummary;
  onNewPlace: () => void;
};

/** The card: what state the visitor is in, in words, and the numbers that go with it. */
export function StatusPanel({ view, messages, room, brand, next, summary, onNewPlace }: StatusPanelProps) {
  const state = displayStateOf(view);
  const copy = view.kind === "checking" ? messages.challenge : messages.states[state];
  const body =
    view.kind === "refused" && view.code !== "room_full"
      ? messages.closedWithoutPlaceBody
      : view.kind === "checking" && view.failed
        ? messages.challenge.failed
        : copy.body;

  return (
    <section className={styles.card} aria-labelledby="wait-heading" data-tone={toneOf(state)}>
      <RoomBrandHeader brand={brand} />
      <div
        className={styles.stateHead}
        data-testid="wait-state"
        data-state={view.kind === "checking" ? (view.failed ? "check-failed" : "checking") : state}
        aria-busy={view.kind === "checking" && !view.failed}
      >
        <span className={styles.stateIcon}>
          <StateIcon state={state} />
        </span>
        <div>
          <h1 id="wait-heading" className={styles.heading}>
            {copy.heading}
          </h1>
          <p className={styles.body}>{body}</p>
        </div>
      </div>

      <RoomNotice brand={brand} />

      {view.kind === "status" ? <QueueStats status={view.status} state={state} messages={messages} /> : null}

      {view.kind === "status" && view.status.reference ? (
        <PlaceReference reference={view.status.reference} messages={messages} />
      ) : null}

      {view.kind === "status" && view.status.state === "admitted" ? (
        <p className={styles.actions}>
          <a className="button button-secondary" href={next}>
            {messages.continueLink}
          </a>
        </p>
      ) : null}

      {view.kind === "joining" || view.kind === "checking" ? (
        <dl className={styles.statGrid}>
          <div className={styles.stat}>
            <dt>{messages.labels.waitingNow}</dt>
            <dd>
              <span className={styles.statValue}>{formatCount(messages, summary.waiting)}</span>
              {messages.unitGap}
              <span className={styles.statUnit}>{messages.aheadUnit(summary.waiting)}</span>
            </dd>
          </div>
          <div className={styles.stat}>
            <dt>{messages.labels.eta}</dt>
            <dd>
              <span className={styles.statValue}>{messages.eta(formatEta(summary.etaSeconds))}</span>
            </dd>
          </div>
        </dl>
      ) : null}

      {view.kind === "checking" && view.failed ? (
        <p className={styles.actions}>
          <button type="button" className="button" onClick={onNewPlace}>
            {messages.challenge.retry}
          </button>
        </p>
      ) : null}

      {view.kind === "refused" ? (
        <RetryCountdown
          retryAtMs={view.retryAtMs}
          retryInMs={view.retryInMs}
          messages={messages}
          onTryNow={onNewPlace}
        />
      ) : null}

      {view.kind === "expired" ? (
        // A plain GET form: without JavaScript the gate hands out a new place on the page
        // load itself; with it, enter() is called in place and the page never reloads.
        <form
          className={styles.actions}
          action={`/wait/${encodeURIComponent(room)}`}
          method="get"
          onSubmit={(event) => {
            event.preventDefault();
            onNewPlace();
          }}
        >
          <input type="hidden" name="next" value={next} />
          {/* Asked for on purpose: a new place even after the time limit ended the last one. */}
          <input type="hidden" name="rejoin" value="1" />
          <button type="submit" className="button" data-testid="new-place-button">
            {messages.newPlace}
          </button>
        </form>
      ) : null}
    </section>
  );
}

function toneOf(state: ReturnType<typeof displayStateOf>): "calm" | "good" | "hold" | "alert" {
  switch (state) {
    case "next":
    case "admitted":
      return "good";
    case "paused":
    case "closed":
    case "prequeue":
    case "full":
    case "lost":
    case "ended":
    case "removed":
    case "siteEnded":
      return "hold";
    case "expired":
      return "alert";
    default:
      return "calm";
  }
}
