"use client";

import { type CSSProperties, useState } from "react";
import type { ScaleEventRecord } from "@/server/admin/admin-types";
import adminStyles from "./admin.module.css";
import { formatCount, formatTimeRange, timeZoneName } from "./format";
import { Segmented } from "./segmented";
import { eventStatusLabels } from "./status-labels";
import {
  layoutBars,
  percentOf,
  type TimelineBar,
  type TimelineTick,
  type TimelineWindow,
  timelineTicks,
  timelineWindows,
  windowAround,
} from "./timeline";
import styles from "./timeline.module.css";
import { useNow } from "./use-now";

/** A row of the timeline: one room (the events page) or the whole chart (a room's page). */
export type TimelineGroup = { id: string; label: string | null; events: readonly ScaleEventRecord[] };

/** How much of the window a label needs: its bar keeps the lane that long. */
const LABEL_SHARE = 0.14;

const clock = new Intl.DateTimeFormat(undefined, { hour: "2-digit", minute: "2-digit" });
const weekday = new Intl.DateTimeFormat(undefined, { weekday: "short", day: "numeric" });
const monthDay = new Intl.DateTimeFormat(undefined, { month: "short", day: "numeric" });

function tickLabel(tick: TimelineTick, view: TimelineWindow): string {
  if (view.tickStep === "week") return monthDay.format(tick.epochMs);
  if (view.tickStep === "day" || tick.newDay) return weekday.format(tick.epochMs);
  return clock.format(tick.epochMs);
}

function Bar({ bar, labelShare }: { bar: TimelineBar; labelShare: number }) {
  const { event } = bar;
  const width = Math.max(bar.endLeft - bar.leadLeft, 0.4);
  const leadShare = width > 0 ? ((bar.startLeft - bar.leadLeft) / width) * 100 : 0;
  const title = `${event.name}: ${formatCount(event.capacity)} from ${formatTimeRange(event.startsAt, event.endsAt)}${
    event.leadMinutes > 0 ? ` (raised ${event.leadMinutes} min before)` : ""
  } · ${eventStatusLabels[event.status]}`;
  return (
    <div
      className={styles.bar}
      data-status={event.status}
      data-past={bar.past || undefined}
      data-clipped-start={bar.clippedStart || undefined}
      data-clipped-end={bar.clippedEnd || undefined}
      data-testid={`timeline-bar-${event.id}`}
      style={{ left: `${bar.leadLeft}%`, width: `${width}%`, top: `calc(${bar.lane} * var(--lane))` } as CSSProperties}
      title={title}
    >
      {leadShare > 0 ? <span className={styles.lead} style={{ width: `${leadShare}%` }} /> : null}
      <span className={styles.run} />
      <span className={styles.label} style={{ minWidth: `${(labelShare / width) * 100}%` }}>
        <span className={styles.name}>{event.name}</span>
        <span className={styles.capacity}>{formatCount(event.capacity)}</span>
      </span>
    </div>
  );
}

// A calendar-like strip: one bar per event from lead start (hatched: capacity already raised)
// to end, a line at now, past events greyed. Plain CSS positioned by percentages, so it scales
// to any width; the list beside it carries the same facts for screen readers.
export function EventTimeline({ groups, title = "Timeline" }: { groups: readonly TimelineGroup[]; title?: string }) {
  const [windowKey, setWindowKey] = useState<TimelineWindow["key"]>("7d");
  const now = useNow(30_000);
  const view = timelineWindows.find((option) => option.key === windowKey) ?? timelineWindows[0];
  if (!view) return null;
  const range = windowAround(now, view);
  const ticks = timelineTicks(range, view.tickStep, timeZoneName());
  const nowLeft = percentOf(range, now);
  const labelMs = (range.toMs - range.fromMs) * LABEL_SHARE;
  const rows = groups.map((group) => ({ group, ...layoutBars(group.events, range, now, labelMs) }));
  const shown = rows.reduce((sum, row) => sum + row.bars.length, 0);
  const labelled = groups.some((group) => group.label !== null);

  return (
    <figure className={styles.timeline} data-testid="event-timeline">
      <div className={styles.head}>
        <figcaption className={adminStyles.panelTitle}>{title}</figcaption>
        <ul className={styles.legend} aria-hidden="true">
          <li>
            <span className={styles.swatch} data-kind="lead" /> Lead time
          </li>
          <li>
            <span className={styles.swatch} data-kind="upcoming" /> Upcoming
          </li>
          <li>
            <span className={styles.swatch} data-kind="running" /> Running
          </li>
          <li>
            <span className={styles.swatch} data-kind="past" /> Past or cancelled
          </li>
        </ul>
        <Segmented
          legend="Time window"
          options={timelineWindows.map((option) => ({ value: option.key, label: option.label }))}
          value={view.key}
          onChange={setWindowKey}
        />
      </div>
      <p className="visually-hidden">
        {shown === 0
          ? `No events in the ${view.label} around now.`
          : `${shown} ${shown === 1 ? "event" : "events"} in the ${view.label} around now; the list below has them all.`}
      </p>
      <div className={styles.chart} data-labelled={labelled || undefined} aria-hidden="true">
        <div className={styles.rowLabel} />
        <div className={styles.axis}>
          {ticks.map((tick) => (
            <span
              key={tick.epochMs}
              className={styles.tick}
              data-major={tick.newDay || undefined}
              style={{ left: `${tick.left}%` }}
            >
              {tickLabel(tick, view)}
            </span>
          ))}
          <span className={styles.nowTag} style={{ left: `${nowLeft}%` }}>
            Now
          </span>
        </div>
        {rows.map(({ group, bars, lanes }) => (
          <div key={group.id} className={styles.row}>
            <div className={styles.rowLabel} title={group.label ?? undefined}>
              {group.label}
            </div>
            <div className={styles.track} style={{ "--lanes": Math.max(1, lanes) } as CSSProperties}>
              {ticks.map((tick) => (
                <span
                  key={tick.epochMs}
                  className={styles.gridLine}
                  data-major={tick.newDay || undefined}
                  style={{ left: `${tick.left}%` }}
                />
              ))}
              {bars.map((bar) => (
                <Bar key={bar.event.id} bar={bar} labelShare={LABEL_SHARE * 100} />
              ))}
              {bars.length === 0 ? <span className={styles.none}>No events in this window</span> : null}
              <span className={styles.nowLine} style={{ left: `${nowLeft}%` }} />
            </div>
          </div>
        ))}
      </div>
    </figure>
  );
}
