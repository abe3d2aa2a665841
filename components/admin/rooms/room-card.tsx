"use client";

import Link from "next/link";
import type { ActiveAlarm, AdminRoom } from "@/server/admin/admin-types";
import { metricInfo } from "../alerts/threshold-form";
import adminStyles from "../common/admin.module.css";
import { formatClock, formatCount, formatDuration, formatRate } from "../common/format";
import { CapacityGauge, capacityLevel, capacityLevelText } from "./capacity-gauge";
import styles from "./room-card.module.css";
import { roomModeLabels, roomModeTone } from "./room-modes";
import { useCapacityRaise } from "./use-capacity-raise";

type Stat = {
  label: string;
  value: string;
  testId?: string;
  raw?: number | null;
  unknown?: boolean;
  /** Why a figure is unknown, for the operator hovering it. */
  hint?: string;
};

/**
 * The estimate a newcomer would be shown, and when there is none, why: nobody is let in (a
 * closed room, capacity 0), or too few visits have ended to know their length and the room has
 * no typical visit to start from (the waiting page says "Estimating…" then too).
 */
export function newcomerEta(room: AdminRoom): Pick<Stat, "value" | "unknown" | "hint"> {
  const seconds = room.stats.etaSecondsForNewcomer;
  if (seconds !== null) return { value: formatDuration(seconds) };
  if (room.mode === "closed" || room.stats.capacity === 0) {
    return { value: "on hold", unknown: true, hint: "Nobody is let in while the room is closed or at capacity 0." };
  }
  if (room.typicalVisitSeconds === null) {
    return {
      value: "estimating",
      unknown: true,
      hint: "Too few visits have ended to know how long they last. Set a typical visit on the room to estimate from the start.",
    };
  }
  return { value: formatDuration(null), unknown: true };
}

/** "Line over 50", or the metric when the rule has no name; "+ 1 more" when several. */
function alarmSummary(alarms: readonly ActiveAlarm[]): string {
  const [first] = alarms;
  if (!first) return "";
  const name = first.name || metricInfo[first.metric].short;
  return alarms.length > 1 ? `${name} + ${formatCount(alarms.length - 1)} more` : name;
}

// One room at a glance: how full it is, how long the line is, how fast it moves, and any
// threshold in ALARM (read from /api/admin/alarms by the page).
export function RoomCard({
  room,
  linked = true,
  stale = false,
  alarms = [],
}: {
  room: AdminRoom;
  linked?: boolean;
  stale?: boolean;
  alarms?: readonly ActiveAlarm[];
}) {
  const { stats } = room;
  const raise = useCapacityRaise(room);
  const level = capacityLevel(stats.active, stats.capacity, room.mode);
  const percent = stats.capacity > 0 ? Math.round((stats.active / stats.capacity) * 100) : null;
  const figures: Stat[] = [
    { label: "Waiting", value: formatCount(stats.waiting), testId: "waiting", raw: stats.waiting },
    { label: "Arrivals / min", value: formatRate(stats.arrivalsPerMinute), testId: "arrivals" },
    { label: "Admits / min", value: formatRate(stats.admissionsPerMinute), testId: "admissions" },
    {
      label: "Median wait",
      value: formatDuration(stats.medianWaitSeconds),
      testId: "median-wait",
      unknown: stats.medianWaitSeconds === null,
    },
    { label: "Newcomer ETA", testId: "eta", ...newcomerEta(room) },
  ];

  return (
    <article
      className={styles.card}
      data-level={level}
      data-alarm={alarms.length > 0 || undefined}
      data-stale={stale || undefined}
      data-testid={`room-card-${room.id}`}
      aria-labelledby={`room-${room.id}-name`}
    >
      <header className={styles.head}>
        <div className={styles.titles}>
          <h2 id={`room-${room.id}-name`} className={styles.name}>
            {linked ? (
              <Link href={`/admin/rooms/${room.id}`} className={styles.nameLink}>
                {room.name}
              </Link>
            ) : (
              "Right now"
            )}
          </h2>
          {linked ? <span className={`${adminStyles.mono} ${adminStyles.muted}`}>{room.id}</span> : null}
        </div>
        <span className={adminStyles.badge} data-tone={roomModeTone[room.mode]}>
          {roomModeLabels[room.mode]}
        </span>
      </header>

      {alarms.length > 0 ? (
        <p className={styles.alarm} data-testid="room-alarm" data-count={alarms.length}>
          <span className={`${adminStyles.badge} ${styles.alarmBadge}`} data-tone="danger">
            ALARM
          </span>
          <Link href={`/admin/rooms/${room.id}#alerts`} className={styles.alarmLink}>
            {alarmSummary(alarms)}
          </Link>
          {alarms[0]?.since ? <span className={styles.alarmSince}>since {formatClock(alarms[0].since)}</span> : null}
        </p>
      ) : null}

      <div className={styles.capacity}>
        <CapacityGauge active={stats.active} capacity={stats.capacity} level={level} />
        <div className={styles.capacityText}>
          <p className={styles.activeLine}>
            <span className={styles.big} data-testid="active" data-value={stats.active}>
              {formatCount(stats.active)}
            </span>
            <span className={styles.of}>
              {" "}
              of{" "}
              <span data-testid="capacity" data-value={stats.capacity}>
                {formatCount(stats.capacity)}
              </span>
              {raise.raised ? (
                <span className={styles.raisedBy} data-testid="capacity-source">
                  {" "}
                  ({raise.kind})
                </span>
              ) : null}{" "}
              active
            </span>
          </p>
          <p className={styles.level}>
            <span className={styles.levelMark} aria-hidden="true" />
            {capacityLevelText(level, percent)}
          </p>
          {stats.bypassBeyondCapacity > 0 ? (
            <p className={styles.raisedLine} data-testid="beyond-capacity" data-value={stats.bypassBeyondCapacity}>
              + {formatCount(stats.bypassBeyondCapacity)} bypass beyond capacity
            </p>
          ) : null}
          {raise.raised ? (
            <p className={styles.raisedLine} data-testid="capacity-raise">
              {raise.summary ?? `base ${formatCount(stats.baseCapacity)}`}
            </p>
          ) : null}
        </div>
      </div>

      <dl className={styles.figures}>
        {figures.map((figure) => (
          <div key={figure.label} className={styles.figure}>
            <dt>{figure.label}</dt>
            <dd
              data-testid={figure.testId}
              data-value={figure.raw ?? undefined}
              data-unknown={figure.unknown || undefined}
              title={figure.hint}
            >
              {figure.value}
            </dd>
          </div>
        ))}
      </dl>
    </article>
  );
}
