import { ProgressBar } from "@/components/ui/progress-bar";
import type { QueueStatus } from "@/server/queue/types";
import { formatEta } from "./format-eta";
import { formatCount, formatPercent, type WaitingMessages } from "./messages";
import type { DisplayState } from "./queue-view";
import styles from "./waiting.module.css";

type QueueStatsProps = { status: QueueStatus; state: DisplayState; messages: WaitingMessages };

/** Place in line, people ahead, ETA and progress for a visitor who holds a place. */
export function QueueStats({ status, state, messages }: QueueStatsProps) {
  const inLine = status.state !== "admitted" && status.position !== null;
  const onHold = state === "paused" || state === "closed";
  const eta = formatEta(status.etaSeconds);
  const progress = progressShown(status);
  const percent = progress === null ? "" : formatPercent(messages, Math.floor(progress * 100));

  if (status.state === "prequeue" && status.startsAt !== null) {
    return <PreQueueStats startsAt={status.startsAt} waiting={status.waiting} messages={messages} />;
  }

  return (
    <div className={styles.stats}>
      {inLine ? (
        <dl className={styles.statGrid}>
          <div className={`${styles.stat} ${styles.statPosition}`}>
            <dt>{messages.labels.position}</dt>
            <dd>
              {messages.positionPrefix ? (
                <span className={styles.positionPrefix}>{messages.positionPrefix}</span>
              ) : null}
              <span className={styles.positionValue} data-testid="wait-position">
                {formatCount(messages, status.position ?? 0)}
              </span>
              {messages.positionSuffix ? (
                <span className={styles.positionSuffix}>{messages.positionSuffix}</span>
              ) : null}
            </dd>
          </div>
          <div className={styles.stat}>
            <dt>{messages.labels.ahead}</dt>
            <dd>
              <span className={styles.statValue} data-testid="wait-ahead">
                {formatCount(messages, status.ahead ?? 0)}
              </span>
              {messages.unitGap}
              <span className={styles.statUnit}>{messages.aheadUnit(status.ahead ?? 0)}</span>
            </dd>
          </div>
          <div className={styles.stat}>
            <dt>{messages.labels.eta}</dt>
            <dd>
              <span className={styles.statValue} data-testid="wait-eta" data-eta-kind={onHold ? "on-hold" : eta.kind}>
                {onHold ? messages.etaOnHold : messages.eta(eta)}
              </span>
              {!onHold && eta.kind === "unknown" ? (
                <span className={styles.statHint}>{messages.etaNotEnoughData}</span>
              ) : null}
            </dd>
          </div>
        </dl>
      ) : null}

      {progress === null ? null : (
        <div className={styles.progressBlock}>
          <div className={styles.progressHead} aria-hidden="true">
            <span>{messages.labels.progress}</span>
            <span className={styles.progressPercent} data-testid="wait-progress-percent">
              {percent}
            </span>
          </div>
          <ProgressBar
            value={progress}
            label={messages.labels.progress}
            valueText={messages.progressText(percent)}
            testId="wait-progress"
          />
        </div>
      )}

      {inLine ? (
        <p className={styles.basis}>
          {messages.admissionsPerMinute(formatCount(messages, status.admissionsPerMinute))}
        </p>
      ) : null}
    </div>
  );
}

/**
 * The share of the line ahead at arrival that has gone in, exactly as the server measures it
 * (0 on joining), with no minimum that would look like movement. Floored, so the page never
 * claims 100% before the visitor is in. null when there is nothing to measure: at the front
 * with nobody gone ahead means nobody was ahead on arrival (had anyone been, and all gone in,
 * the figure would be 1).
 */
export function progressShown(status: QueueStatus): number | null {
  if (status.state === "admitted") return 1;
  const value = Number.isFinite(status.progress) ? Math.min(1, Math.max(0, status.progress)) : 0;
  if (status.ahead === 0 && value === 0) return null;
  return Math.min(value, 0.99);
}

/** Held before the start: when the order is drawn, and how many are here so far. */
function PreQueueStats({
  startsAt,
  waiting,
  messages,
}: {
  startsAt: number;
  waiting: number;
  messages: WaitingMessages;
}) {
  const time = new Intl.DateTimeFormat(messages.locale, { hour: "numeric", minute: "2-digit" }).format(startsAt);
  const inMinutes = Math.max(0, Math.ceil((startsAt - Date.now()) / 60_000));
  return (
    <div className={styles.stats}>
      <dl className={styles.statGrid}>
        <div className={styles.stat}>
          <dt>{messages.labels.startsAt}</dt>
          <dd>
            <span className={styles.statValue} data-testid="wait-starts-at">
              {messages.startsAt(time, inMinutes)}
            </span>
          </dd>
        </div>
        <div className={styles.stat}>
          <dt>{messages.labels.waitingNow}</dt>
          <dd>
            <span className={styles.statValue}>{formatCount(messages, waiting)}</span>
            {messages.unitGap}
            <span className={styles.statUnit}>{messages.aheadUnit(waiting)}</span>
          </dd>
        </div>
      </dl>
    </div>
  );
}
