"use client";

import { type ReactNode, useState } from "react";
import adminStyles from "@/components/admin/common/admin.module.css";
import { formatCount, formatDuration, formatRate } from "@/components/admin/common/format";
import { QueryState } from "@/components/admin/common/query-state";
import { Segmented } from "@/components/admin/common/segmented";
import { LiveStamp, StaleBanner } from "@/components/admin/common/stale-banner";
import { useRoomSeries } from "@/components/queries/use-room-series";
import type { SeriesRange } from "@/server/admin/admin-types";
import { type ChartRow, chartRanges, compactNumber, compactSeconds, rowsWithGaps, timeTicks } from "./chart-data";
import styles from "./charts.module.css";
import { type ChartSeries, TimeSeriesChart, type TimeSeriesChartProps } from "./time-series-chart";

function latest(rows: ChartRow[], key: ChartSeries["key"]): number | null {
  for (let i = rows.length - 1; i >= 0; i--) {
    const value = rows[i]?.[key];
    if (value !== null && value !== undefined) return value;
  }
  return null;
}

const count = (rows: ChartRow[], key: ChartSeries["key"]) => formatCount(latest(rows, key) ?? 0);
const rate = (rows: ChartRow[], key: ChartSeries["key"]) => formatRate(latest(rows, key) ?? 0);
const wait = (rows: ChartRow[], key: ChartSeries["key"]) => formatDuration(latest(rows, key));

type ChartSpec = Pick<TimeSeriesChartProps, "title" | "series" | "formatValue" | "formatTick"> & {
  /** The spoken summary, from the latest values. */
  summary: (rows: ChartRow[]) => string;
};

const charts: readonly ChartSpec[] = [
  {
    title: "Queue depth",
    series: [{ key: "waiting", label: "Waiting", color: "var(--accent)" }],
    formatValue: formatCount,
    formatTick: compactNumber,
    summary: (rows) => `Waiting now: ${count(rows, "waiting")}.`,
  },
  {
    title: "Active vs capacity",
    series: [
      { key: "active", label: "Active", color: "var(--ok)" },
      { key: "capacity", label: "Capacity", color: "var(--warn)", step: true, dashed: true },
    ],
    formatValue: formatCount,
    formatTick: compactNumber,
    summary: (rows) => `Active ${count(rows, "active")} of capacity ${count(rows, "capacity")}.`,
  },
  {
    title: "Arrivals vs admissions per minute",
    series: [
      { key: "arrivalsPerMinute", label: "Arrivals / min", color: "var(--accent)" },
      { key: "admissionsPerMinute", label: "Admissions / min", color: "var(--ok)" },
      { key: "expiredPerMinute", label: "Expired / min", color: "var(--muted)", dashed: true },
    ],
    formatValue: formatRate,
    formatTick: compactNumber,
    summary: (rows) =>
      `Arrivals ${rate(rows, "arrivalsPerMinute")} and admissions ${rate(rows, "admissionsPerMinute")} per minute.`,
  },
  {
    // Each point: the visitors admitted in the 15 minutes before it (server/metrics/sampler.ts),
    // the same figure as the room card's "Median wait" (its latest point).
    title: "Wait before admission (last 15 min)",
    series: [
      // The median last, so it is drawn over the 95th percentile where they coincide.
      { key: "p95WaitSeconds", label: "95th percentile", color: "var(--warn)", dashed: true },
      { key: "medianWaitSeconds", label: "Median wait", color: "var(--accent)" },
    ],
    formatValue: (value) => formatDuration(value),
    formatTick: compactSeconds,
    summary: (rows) =>
      `Median wait ${wait(rows, "medianWaitSeconds")}, 95th percentile ${wait(rows, "p95WaitSeconds")}.`,
  },
];

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
  const common = {
    rows,
    from,
    to,
    ticks,
    datedTicks: current.datedTicks,
    showDates: range === "6h" || range === "24h",
  };

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
          <Segmented
            legend="Time range"
            options={chartRanges.map((option) => ({ value: option.range, label: option.label }))}
            value={range}
            onChange={setRange}
          />
        </div>
      </div>
      <StaleBanner queries={[series]} />
      {!data ? (
        <QueryState what="chart data" isPending={series.isPending} error={series.error} onRetry={series.refetch} />
      ) : rows.length === 0 ? (
        <p className={styles.empty}>No samples in the last {current.label} yet.</p>
      ) : (
        <div className={styles.grid}>
          {charts.map(({ summary, ...chart }) => (
            <TimeSeriesChart key={chart.title} {...common} {...chart} summary={summary(rows)} />
          ))}
        </div>
      )}
    </section>
  );
}
