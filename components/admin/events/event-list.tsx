"use client";

import Link from "next/link";
import type { ScaleEventRecord } from "@/server/admin/admin-types";
import styles from "../common/admin.module.css";
import { DataTable } from "../common/data-table";
import { formatCount, formatWhen } from "../common/format";
import { eventStatusTones } from "../common/status-labels";
import listStyles from "./event-list.module.css";
import { eventPhase, isOver, phaseLabel } from "./event-phase";
import { describeEventTimes } from "./event-times";

type EventListProps = {
  events: readonly ScaleEventRecord[];
  nowMs: number;
  /** The events page lists every room's: each row names its room. */
  showRoom?: boolean;
  /** Operators may edit and cancel; absent for viewers. */
  onEdit?: (event: ScaleEventRecord) => void;
  onCancel?: (event: ScaleEventRecord) => void;
};

/** Running first, then upcoming by start; past ones (newest first) in a fold below. */
export function splitEvents(events: readonly ScaleEventRecord[], nowMs: number) {
  const past = events.filter((event) => isOver(eventPhase(event, nowMs)));
  const current = events.filter((event) => !isOver(eventPhase(event, nowMs)));
  const rank = (event: ScaleEventRecord) => (eventPhase(event, nowMs) === "scheduled" ? 1 : 0);
  current.sort((a, b) => rank(a) - rank(b) || Date.parse(a.startsAt) - Date.parse(b.startsAt));
  past.sort((a, b) => Date.parse(b.startsAt) - Date.parse(a.startsAt));
  return { current, past };
}

/** The browser's clock, with the date when not today. */
const clockTime = (epochMs: number) => formatWhen(epochMs);

function eventRows({ events, nowMs, showRoom, onEdit, onCancel }: EventListProps) {
  return events.map((event) => {
    const phase = eventPhase(event, nowMs);
    // What the server still lets change: it goes by the stored status, a tick behind the clock.
    const open = event.status !== "ended" && event.status !== "cancelled" && phase !== "ended";
    const times = describeEventTimes(event, phase, nowMs, clockTime);
    return (
      <tr key={event.id} data-testid={`event-row-${event.id}`}>
        <th scope="row">
          <div>{event.name}</div>
          <div className={styles.subline}>
            {showRoom ? <Link href={`/admin/rooms/${encodeURIComponent(event.roomId)}`}>{event.roomId}</Link> : null}
            <span className={styles.wideOnly}>
              {showRoom ? " · " : ""}by {event.createdBy}
            </span>
          </div>
        </th>
        <td data-testid="event-times">
          <div>{times.main}</div>
          <div className={`${styles.small} ${styles.muted}`}>
            {times.detail}
            {event.preQueue ? " · pre-queue" : ""}
          </div>
        </td>
        <td className={styles.num}>{formatCount(event.capacity)}</td>
        <td>
          <span
            className={styles.badge}
            data-tone={eventStatusTones[phase]}
            data-status={phase}
            data-testid="event-phase"
          >
            {phaseLabel(phase)}
          </span>
        </td>
        {onEdit || onCancel ? (
          <td>
            {open ? (
              <div className={styles.rowActions}>
                {onEdit ? (
                  <button
                    type="button"
                    className={`button button-secondary ${styles.compact}`}
                    aria-label={`Edit ${event.name}`}
                    onClick={() => onEdit(event)}
                  >
                    Edit
                  </button>
                ) : null}
                {onCancel ? (
                  <button
                    type="button"
                    className={`button ${styles.compact} ${styles.dangerOutline}`}
                    aria-label={`Cancel ${event.name}`}
                    onClick={() => onCancel(event)}
                  >
                    Cancel…
                  </button>
                ) : null}
              </div>
            ) : null}
          </td>
        ) : null}
      </tr>
    );
  });
}

function EventTable(props: EventListProps & { caption: string; testId: string }) {
  const actions = props.onEdit || props.onCancel;
  return (
    <div className={listStyles.stacked}>
      <DataTable
        testId={props.testId}
        caption={props.caption}
        columns={[
          { label: "Event" },
          { label: "When" },
          { label: "Capacity", className: styles.num },
          { label: "Status" },
          actions ? { label: "Actions", className: styles.num } : null,
        ]}
      >
        {eventRows(props)}
      </DataTable>
    </div>
  );
}

// Scale events as a table: what is running or coming first, the past folded away below.
export function EventList({ events, nowMs, ...rest }: EventListProps) {
  const { current, past } = splitEvents(events, nowMs);
  return (
    <div className={styles.form} data-testid="event-list">
      {current.length > 0 ? (
        <EventTable
          events={current}
          nowMs={nowMs}
          caption="Running and upcoming scale events"
          testId="event-table"
          {...rest}
        />
      ) : (
        <p className={styles.empty}>Nothing running or scheduled.</p>
      )}
      {past.length > 0 ? (
        <details className={styles.more}>
          <summary>
            {past.length === 1 ? "1 past or cancelled event" : `${formatCount(past.length)} past or cancelled events`}
          </summary>
          <EventTable
            events={past}
            nowMs={nowMs}
            caption="Past and cancelled scale events"
            testId="past-event-table"
            showRoom={rest.showRoom}
          />
        </details>
      ) : null}
    </div>
  );
}
