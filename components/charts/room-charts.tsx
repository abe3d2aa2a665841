"use client";

import { type ReactNode, useState } from "react";
import adminStyles from "@/components/admin/admin.module.css";
import { formatCount, formatDuration, formatRate } from "@/components/admin/format";
import { QueryState } from "@/components/admin/query-state";
import { LiveStamp, StaleBanner } from "@/components/admin/stale-banner";
import { useRoomSeries } from "@/components/queries/use-room-series";
import type { SeriesRange } from "@/server/admin/admin-types";
import { type ChartRow, chartRanges, compactNumber, compactSeconds, rowsWithGaps, timeTicks } from "./chart-data";
import styles from "./charts.module.css";
import { type ChartSeries, TimeSeriesChart } from "./time-series-chart";

const depthSeries: ChartSeries[] = [{ key: "waiting", label: "Waiting", color: "var(--accent)" }];
const activeSeries: ChartSeries[] = [
  { key: "active", label: "Active", color: "var(--ok)" },
  { key: "capacity", label: "Capacity", color: "var(--warn)", step: true, dashed: true },
];
const rateSeries: ChartSeries[] = [
  { key: "arrivalsPerMinute", label: "Arrivals / min", color: "var(--accent)" },
  { key: "admissionsPerMinute", label: "Admissions / min", color: "var(--ok)" },
  { key: "expiredPerMinute", label: "Expired / min", color: "var(--muted)", dashed: true },
];
const waitSeries: ChartSeries[] = [
  { key: "medianWaitSeconds", label: "Median wait", color: "var(--accent)" },
  { key: "p95WaitSeconds", label: "95th percentile", color: "var(--warn)", dashed: true },
];

function latest(rows: ChartRow[], key: ChartSeries["key"]): number | null {
  for (let i = rows.length - 1; i >= 0; i--) {
    const value = rows[i]?.[key];
    if (value !== null && value !== undefined) return value;
  }
  return null;
}

// The room's history: queue depth, active against capacity, flow rates and waits, over a
// chosen range. Polls on its own interval; old data stays up while a new range loads.
export function RoomCharts({
  room,
  title = "History",
  picker,
}: {
  room: string;
  title?: string;
  /** Shown beside the title, e.g. the dashboard's choice of room. */
  picker?: ReactNode;
}) {
  const [range, setRange] = useState<SeriesRange>("15m");
  const series = useRoomSeries(room, range);
  const current = chartRanges.find((option) => option.range === range) ?? chartRanges[1];
  if (!current) return null;

  const data = series.data;
  const to = series.dataUpdatedAt || Date.now();
  const from = to - current.ms;
  const rows = data ? rowsWithGaps(data.points, data.resolutionSeconds) : [];
  const ticks = timeTicks(from, to, current.tickMs);
  const common = { rows, from, to, ticks, showDates: range === "24h" };
  const waitText = (key: ChartSeries["key"]) => formatDuration(latest(rows, key));

  return (
    <section className={styles.panel} aria-label={`${title}: charts`}>
      <div className={styles.toolbar}>
        <div className={adminStyles.headerActions}>
          <h2 className={adminStyles.panelTitle}>{title}</h2>
          {picker}
        </div>
        <div className={adminStyles.headerActions}>
          <LiveStamp query={series} />
          {series.isPlaceholderData ? <span className={styles.loadingNote}>Loading {current.label}…</span> : null}
          <fieldset className={adminStyles.segmented}>
            <legend className="visually-hidden">Time range</legend>
            {chartRanges.map((option) => (
              <button
                key={option.range}
                type="button"
                aria-pressed={option.range === range}
                onClick={() => setRange(option.range)}
              >
                {option.label}
              </button>
            ))}
          </fieldset>
        </div>
      </div>
      <StaleBanner queries={[series]} />
      {!data ? (
        <QueryState what="chart data" isPending={series.isPending} error={series.error} onRetry={series.refetch} />
      ) : rows.length === 0 ? (
        <p className={styles.empty}>No samples in the last {current.label} yet.</p>
      ) : (
        <div className={styles.grid}>
          <TimeSeriesChart
            {...common}
            title="Queue depth"
            series={depthSeries}
            formatValue={formatCount}
            formatTick={compactNumber}
            summary={`Waiting now: ${formatCount(latest(rows, "waiting") ?? 0)}.`}
          />
          <TimeSeriesChart
            {...common}
            title="Active vs capacity"
            series={activeSeries}
            formatValue={formatCount}
            formatTick={compactNumber}
            summary={`Active ${formatCount(latest(rows, "active") ?? 0)} of capacity ${formatCount(latest(rows, "capacity") ?? 0)}.`}
          />
          <TimeSeriesChart
            {...common}
            title="Arrivals vs admissions per minute"
            series={rateSeries}
            formatValue={formatRate}
            formatTick={compactNumber}
            summary={`Arrivals ${formatRate(latest(rows, "arrivalsPerMinute") ?? 0)} and admissions ${formatRate(latest(rows, "admissionsPerMinute") ?? 0)} per minute.`}
          />
          <TimeSeriesChart
            {...common}
            title="Wait before admission"
            series={waitSeries}
            formatValue={(value) => formatDuration(value)}
            formatTick={compactSeconds}
            summary={`Median wait ${waitText("medianWaitSeconds")}, 95th percentile ${waitText("p95WaitSeconds")}.`}
          />
        </div>
      )}
    </section>
  );
}
