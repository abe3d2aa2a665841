"use client";

import { useState } from "react";
import {
  CartesianGrid,
  type DotItemDotProps,
  Legend,
  Line,
  LineChart,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from "recharts";
import { formatClock, formatDateTime } from "@/components/admin/common/format";
import { type ChartRow, labelWidthPx, type TickLabel, tickLabels, ticksThatFit } from "./chart-data";
import styles from "./charts.module.css";

export type ChartSeries = {
  key: Exclude<keyof ChartRow, "t">;
  label: string;
  /** A CSS colour; design tokens (var(--ok)) keep light and dark schemes right. */
  color: string;
  /** Capacity changes in steps: drawn as a staircase, not a slope. */
  step?: boolean;
  dashed?: boolean;
};

export type TimeSeriesChartProps = {
  title: string;
  rows: ChartRow[];
  series: ChartSeries[];
  from: number;
  to: number;
  /** Candidate tick times; as many are shown as fit the chart's width. */
  ticks: number[];
  /** Every tick names its day (chart-data.ts ChartRange). */
  datedTicks: boolean;
  /** Value as the tooltip says it ("1,203", "3 min 05 s"). */
  formatValue: (value: number) => string;
  /** Value as the axis says it ("1.2K", "3m"). */
  formatTick: (value: number) => string;
  /** Spoken summary of the latest values, for people who cannot see the lines. */
  summary: string;
  /** The tooltip names the day too (ranges of hours). */
  showDates: boolean;
};

const initialWidth = 400;
const yAxisWidth = 48;
const marginRight = 26;

type TickProps = { x?: number | string; y?: number | string; payload?: { value?: unknown } };

/** An axis tick: the time, and under it the day when there is one to show. */
function timeTick(ticks: number[], labels: TickLabel[]) {
  const byTime = new Map(ticks.map((t, i) => [t, labels[i]]));
  // Recharts calls this as a render function for each tick, not as a component.
  return ({ x, y, payload }: TickProps) => {
    const t = Number(payload?.value);
    const label = byTime.get(t);
    if (!label) return <g key={`tick-${t}`} />;
    return (
      <text key={`tick-${t}`} x={x} y={y} textAnchor="middle" fill="var(--muted)" fontSize={12} data-testid="time-tick">
        <tspan x={x} dy="0.9em">
          {label.time}
        </tspan>
        {label.date ? (
          <tspan x={x} dy="1.25em" fontWeight={600}>
            {label.date}
          </tspan>
        ) : null}
      </text>
    );
  };
}

/** A value with no neighbour draws no line segment; without a dot it would not show at all. */
function isolatedDot(rows: ChartRow[], key: ChartSeries["key"], color: string) {
  // Recharts calls this as a render function for each point, not as a component.
  return ({ index, cx, cy }: DotItemDotProps) => {
    const lonely = rows[index - 1]?.[key] == null && rows[index + 1]?.[key] == null && rows[index]?.[key] != null;
    if (!lonely || cx === undefined || cy === undefined) return <g key={`dot-${key}-${index}`} />;
    return <circle key={`dot-${key}-${index}`} cx={cx} cy={cy} r={2.5} fill={color} />;
  };
}

// One time chart. No animation (polling would replay it every few seconds: flicker), and
// connectNulls off so a missing sample shows as a gap.
export function TimeSeriesChart({
  title,
  rows,
  series,
  from,
  to,
  ticks,
  formatValue,
  formatTick,
  summary,
  datedTicks,
  showDates,
}: TimeSeriesChartProps) {
  // The plot's width (the container less the y axis and margins) decides how many ticks fit.
  const [plotPx, setPlotPx] = useState(initialWidth - yAxisWidth - marginRight);
  const shown = ticksThatFit(ticks, from, to, plotPx, labelWidthPx(tickLabels(ticks, from, to, datedTicks)));
  const labels = tickLabels(shown, from, to, datedTicks);
  const dated = labels.some((label) => label.date !== null);
  const hasValues = rows.some((row) => series.some((line) => row[line.key] !== null));
  return (
    <figure className={styles.figure}>
      <figcaption className={styles.caption}>{title}</figcaption>
      <p className="visually-hidden">{summary}</p>
      {hasValues ? null : <p className={styles.noValues}>No values in this range: unknown, not zero.</p>}
      {hasValues ? (
        <div className={styles.plot} aria-hidden="true">
          <ResponsiveContainer
            width="100%"
            height="100%"
            minWidth={0}
            initialDimension={{ width: initialWidth, height: 220 }}
            onResize={(width) => setPlotPx(width - yAxisWidth - marginRight)}
          >
            <LineChart
              data={rows}
              margin={{ top: 6, right: marginRight, bottom: 0, left: 0 }}
              accessibilityLayer={false}
            >
              <CartesianGrid stroke="var(--border)" strokeDasharray="3 3" vertical={false} />
              <XAxis
                dataKey="t"
                type="number"
                scale="time"
                domain={[from, to]}
                ticks={shown}
                allowDataOverflow
                interval={0}
                height={dated ? 40 : 26}
                stroke="var(--border)"
                tick={timeTick(shown, labels)}
                tickLine={false}
              />
              <YAxis
                width={yAxisWidth}
                allowDecimals={false}
                tickFormatter={formatTick}
                stroke="var(--muted)"
                tick={{ fill: "var(--muted)", fontSize: 12 }}
                tickLine={false}
                axisLine={false}
              />
              <Tooltip
                isAnimationActive={false}
                labelFormatter={(t) => (showDates ? formatDateTime(Number(t)) : formatClock(Number(t)))}
                formatter={(value) => (typeof value === "number" ? formatValue(value) : "no data")}
                contentStyle={{
                  background: "var(--surface)",
                  border: "1px solid var(--border)",
                  borderRadius: 10,
                  color: "var(--text)",
                  fontSize: 13,
                }}
                labelStyle={{ color: "var(--muted)", marginBottom: 4 }}
              />
              <Legend iconType="plainline" wrapperStyle={{ fontSize: 13, color: "var(--muted)" }} />
              {series.map((line) => (
                <Line
                  key={line.key}
                  dataKey={line.key}
                  name={line.label}
                  type={line.step ? "stepAfter" : "monotone"}
                  stroke={line.color}
                  strokeWidth={line.step ? 1.75 : 2}
                  strokeDasharray={line.dashed ? "5 4" : undefined}
                  dot={isolatedDot(rows, line.key, line.color)}
                  activeDot={{ r: 3 }}
                  connectNulls={false}
                  isAnimationActive={false}
                />
              ))}
            </LineChart>
          </ResponsiveContainer>
        </div>
      ) : null}
    </figure>
  );
}
