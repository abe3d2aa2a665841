"use client";

import Link from "next/link";
import type { ScaleEventRecord } from "@/server/admin/admin-types";
import styles from "../common/admin.module.css";
import { DataTable } from "../common/data-table";
import { formatCount, formatMinutes, formatTimeRange, formatWhen } from "../common/format";
import { eventStatusLabels, eventStatusTones } from "../common/status-labels";
import { isPast, leadStartMs, skippedLead } from "./timeline";

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
  const past = events.filter((event) => isPast(event, nowMs));
  const current = events.filter((event) => !isPast(event, nowMs));
  const rank = (event: ScaleEventRecord) => (event.status === "scheduled" ? 1 : 0);
  current.sort((a, b) => rank(a) - rank(b) || Date.parse(a.startsAt) - Date.parse(b.startsAt));
  past.sort((a, b) => Date.parse(b.startsAt) - Date.parse(a.startsAt));
  return { current, past };
}

function eventRows({ events, showRoom, onEdit, onCancel }: Omit<EventListProps, "nowMs">) {
  return events.map((event) => {
    const open = event.status !== "ended" && event.status !== "cancelled";
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
        <td>
          <div className={styles.nowrap}>{formatTimeRange(event.startsAt, event.endsAt)}</div>
          <div className={`${styles.small} ${styles.muted}`}>
            {event.leadMinutes === 0
              ? "no lead time"
              : skippedLead(event)
                ? "raised at the start"
                : `raised from ${formatWhen(leadStartMs(event), new Date(event.startsAt))} (${formatMinutes(event.leadMinutes)} lead)`}
            {event.preQueue ? " · pre-queue" : ""}
          </div>
        </td>
        <td className={styles.num}>{formatCount(event.capacity)}</td>
        <td>
          <span className={styles.badge} data-tone={eventStatusTones[event.status]} data-status={event.status}>
            {eventStatusLabels[event.status]}
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

function EventTable(props: Omit<EventListProps, "nowMs"> & { caption: string; testId: string }) {
  const actions = props.onEdit || props.onCancel;
  return (
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
  );
}

// Scale events as a table: what is running or coming first, the past folded away below.
export function EventList({ events, nowMs, ...rest }: EventListProps) {
  const { current, past } = splitEvents(events, nowMs);
  return (
    <div className={styles.form} data-testid="event-list">
      {current.length > 0 ? (
        <EventTable events={current} caption="Running and upcoming scale events" testId="event-table" {...rest} />
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
            caption="Past and cancelled scale events"
            testId="past-event-table"
            showRoom={rest.showRoom}
          />
        </details>
      ) : null}
    </div>
  );
}
