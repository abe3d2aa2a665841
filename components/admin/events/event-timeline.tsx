"use client";

import { type CSSProperties, useState } from "react";
import type { ScaleEventRecord } from "@/server/admin/admin-types";
import { formatCount, formatTimeRange, timeZoneName } from "../common/format";
import { Segmented } from "../common/segmented";
import { useElementWidth } from "../common/use-element-width";
import { eventPhase, phaseLabel, skippedLead } from "./event-phase";
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

/** A row of the timeline: one room (the events page) or the whole chart (a room's page). */
export type TimelineGroup = { id: string; label: string | null; events: readonly ScaleEventRecord[] };

/** Room a label needs ("Concert presale" / "2,000"): its bar keeps the lane that wide. */
const LABEL_PX = 150;
/** Before the track is measured (first render), a guess for a laptop screen. */
const DEFAULT_TRACK_PX = 1000;

const clock = new Intl.DateTimeFormat(undefined, { hour: "2-digit", minute: "2-digit" });
const weekday = new Intl.DateTimeFormat(undefined, { weekday: "short", day: "numeric" });
const monthDay = new Intl.DateTimeFormat(undefined, { month: "short", day: "numeric" });

function tickLabel(tick: TimelineTick, view: TimelineWindow): string {
  if (view.tickStep === "week") return monthDay.format(tick.epochMs);
  if (view.tickStep === "day" || tick.newDay) return weekday.format(tick.epochMs);
  return clock.format(tick.epochMs);
}

function Bar({ bar, labelShare, nowMs }: { bar: TimelineBar; labelShare: number; nowMs: number }) {
  const { event } = bar;
  const phase = eventPhase(event, nowMs);
  const width = Math.max(bar.endLeft - bar.leadLeft, 0.4);
  const leadShare = ((bar.startLeft - bar.leadLeft) / width) * 100;
  const title = `${event.name}: ${formatCount(event.capacity)} from ${formatTimeRange(event.startsAt, event.endsAt)}${
    event.leadMinutes > 0 && !skippedLead(event) ? ` (raised ${event.leadMinutes} min before)` : ""
  } · ${phaseLabel(phase)}`;
  const top = `calc(${bar.lane} * var(--lane))`;
  return (
    <>
      <div
        className={styles.bar}
        data-status={phase}
        data-past={bar.past || undefined}
        data-clipped-start={bar.clippedStart || undefined}
        data-clipped-end={bar.clippedEnd || undefined}
        data-testid={`timeline-bar-${event.id}`}
        style={{ left: `${bar.leadLeft}%`, width: `${width}%`, top }}
        title={title}
      >
        {leadShare > 0 ? <span className={styles.lead} style={{ width: `${leadShare}%` }} /> : null}
      </div>
      {/* Beside the bar, not in it: a short bar is narrower than its name (its lane is kept free). */}
      <span
        className={styles.label}
        data-status={phase}
        data-past={bar.past || undefined}
        style={{ left: `${bar.leadLeft}%`, width: `${Math.max(width, labelShare)}%`, top }}
      >
        <span className={styles.name}>{event.name}</span>
        <span className={styles.capacity}>{formatCount(event.capacity)}</span>
      </span>
    </>
  );
}

/** Widths in px of a tick label ("Thu 26", "09:00 PM": it starts at its line) and half the "Now" tag. */
const TICK_LABEL_PX = 66;
const NOW_TAG_HALF_PX = 22;

/** A tick label is left out where it would run under the "Now" tag or off the right edge. */
function labelFits(tick: TimelineTick, nowLeft: number, trackPx: number): boolean {
  const start = (tick.left / 100) * trackPx;
  const now = (nowLeft / 100) * trackPx;
  const clearOfNow = start + TICK_LABEL_PX < now - NOW_TAG_HALF_PX || start > now + NOW_TAG_HALF_PX;
  return clearOfNow && start + TICK_LABEL_PX <= trackPx;
}

// A calendar-like strip: one bar per event from lead start (hatched: capacity already raised)
// to end, a line at now, past events greyed. Plain CSS positioned by percentages, so it scales
// to any width; the list beside it carries the same facts for screen readers.
export function EventTimeline({
  groups,
  nowMs: now,
  title = "Timeline",
}: {
  groups: readonly TimelineGroup[];
  /** The same instant the list and the header judge by. */
  nowMs: number;
  title?: string;
}) {
  const [windowKey, setWindowKey] = useState<TimelineWindow["key"]>("7d");
  const [axisRef, trackPx] = useElementWidth<HTMLDivElement>(DEFAULT_TRACK_PX);
  const view = timelineWindows.find((option) => option.key === windowKey) ?? timelineWindows[0];
  if (!view) return null;
  const range = windowAround(now, view);
  const ticks = timelineTicks(range, view.tickStep, timeZoneName());
  const nowLeft = percentOf(range, now);
  const labelShare = Math.min(0.5, LABEL_PX / Math.max(1, trackPx));
  const labelMs = (range.toMs - range.fromMs) * labelShare;
  const rows = groups.map((group) => ({ group, ...layoutBars(group.events, range, now, labelMs) }));
  const shown = rows.reduce((sum, row) => sum + row.bars.length, 0);
  const labelled = groups.some((group) => group.label !== null);

  return (
    <figure className={styles.timeline} data-testid="event-timeline">
      <div className={styles.head}>
        <figcaption className={styles.caption}>{title}</figcaption>
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
        <div ref={axisRef} className={styles.axis}>
          {ticks.map((tick) => (
            <span
              key={tick.epochMs}
              className={styles.tick}
              data-major={tick.newDay || undefined}
              style={{ left: `${tick.left}%` }}
            >
              {labelFits(tick, nowLeft, trackPx) ? tickLabel(tick, view) : null}
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
                <Bar key={bar.event.id} bar={bar} labelShare={labelShare * 100} nowMs={now} />
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
