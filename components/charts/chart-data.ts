// Turns a series response into chart rows: missing samples become explicit null rows so the
// lines break there (a gap is a gap, not a straight line across an outage), and ticks fall on
// round local times.
import type { SeriesPoint, SeriesRange } from "@/server/admin/admin-types";

export type ChartRow = { t: number } & { [K in Exclude<keyof SeriesPoint, "t">]: number | null };

export type ChartRange = {
  range: SeriesRange;
  label: string;
  ms: number;
  tickMs: number;
  /** Every tick names its day (a day's span always reaches into another one). */
  datedTicks: boolean;
};

export const chartRanges: ReadonlyArray<ChartRange> = [
  { range: "15m", label: "15 min", ms: 15 * 60_000, tickMs: 3 * 60_000, datedTicks: false },
  { range: "1h", label: "1 hour", ms: 60 * 60_000, tickMs: 10 * 60_000, datedTicks: false },
  { range: "6h", label: "6 hours", ms: 6 * 60 * 60_000, tickMs: 60 * 60_000, datedTicks: false },
  { range: "24h", label: "24 hours", ms: 24 * 60 * 60_000, tickMs: 4 * 60 * 60_000, datedTicks: true },
];

const tickTime = new Intl.DateTimeFormat(undefined, { hour: "2-digit", minute: "2-digit" });
const tickDate = new Intl.DateTimeFormat(undefined, { month: "short", day: "numeric" });

export type TickLabel = { time: string; date: string | null };

/**
 * Axis labels in the browser's zone: the time under every tick, and the day under the ticks
 * where it matters: all of them when `datedTicks`, otherwise the first tick and each tick on a
 * new day, when the range [from, to] crosses midnight ("23:00", then "00:00 / Dec 3").
 */
export function tickLabels(ticks: readonly number[], from: number, to: number, datedTicks: boolean): TickLabel[] {
  const crossesMidnight = new Date(from).toDateString() !== new Date(to).toDateString();
  return ticks.map((t, i) => {
    const previous = ticks[i - 1];
    const newDay = previous === undefined || new Date(previous).toDateString() !== new Date(t).toDateString();
    const dated = datedTicks || (crossesMidnight && newDay);
    return { time: tickTime.format(t), date: dated ? tickDate.format(t) : null };
  });
}

/** Roughly how wide the widest label is at the axis's 12 px: ~7 px a character, and a gap. */
export function labelWidthPx(labels: readonly TickLabel[]): number {
  const chars = Math.max(0, ...labels.map((label) => Math.max(label.time.length, label.date?.length ?? 0)));
  return chars * 7 + 12;
}

/**
 * Every k-th tick, with k the least that gives each label `labelPx` of room on a plot `plotPx`
 * wide: a phone's chart shows fewer times, never times printed over each other.
 */
export function ticksThatFit(
  ticks: readonly number[],
  from: number,
  to: number,
  plotPx: number,
  labelPx: number,
): number[] {
  const [first, second] = ticks;
  if (first === undefined || second === undefined || !(plotPx > 0) || !(to > from)) return [...ticks];
  const spacingPx = ((second - first) / (to - from)) * plotPx;
  const stride = Math.max(1, Math.ceil(labelPx / spacingPx));
  return ticks.filter((_, i) => i % stride === 0);
}

const emptyValues = {
  active: null,
  waiting: null,
  capacity: null,
  arrivalsPerMinute: null,
  admissionsPerMinute: null,
  expiredPerMinute: null,
  medianWaitSeconds: null,
  p95WaitSeconds: null,
} as const;

/** Sorted rows with a null row wherever samples are missing for more than 1.5 intervals. */
export function rowsWithGaps(points: readonly SeriesPoint[], resolutionSeconds: number): ChartRow[] {
  const stepMs = Math.max(1, resolutionSeconds) * 1000;
  const sorted = [...points].sort((a, b) => a.t - b.t);
  const rows: ChartRow[] = [];
  let previous: SeriesPoint | undefined;
  for (const point of sorted) {
    if (previous && point.t - previous.t > stepMs * 1.5) rows.push({ t: previous.t + stepMs, ...emptyValues });
    rows.push(point);
    previous = point;
  }
  return rows;
}

/** Tick times at round local boundaries (every 3 min, 10 min, hour, 4 hours) within [from, to]. */
export function timeTicks(from: number, to: number, tickMs: number): number[] {
  const start = new Date(from);
  start.setSeconds(0, 0);
  if (tickMs >= 60 * 60_000) start.setMinutes(0);
  const stepUnits = tickMs >= 60 * 60_000 ? tickMs / (60 * 60_000) : tickMs / 60_000;
  // Align to a multiple of the step in local wall-clock units (minutes, or hours).
  if (tickMs >= 60 * 60_000) start.setHours(Math.ceil(start.getHours() / stepUnits) * stepUnits);
  else start.setMinutes(Math.ceil(start.getMinutes() / stepUnits) * stepUnits);
  const ticks: number[] = [];
  for (let t = start.getTime(); t <= to; t += tickMs) if (t >= from) ticks.push(t);
  return ticks;
}

const compact = new Intl.NumberFormat(undefined, { notation: "compact", maximumFractionDigits: 1 });

export function compactNumber(value: number): string {
  return compact.format(value);
}

/**
 * Axis label for a wait in seconds: "45s", "1m20s", "12m", "2h30m". Never rounded to a coarser
 * unit: the axis picks ticks in seconds (0, 40, 80, ...), and "80 s" must not read "1m".
 */
export function compactSeconds(value: number): string {
  const total = Math.round(value);
  if (total < 60) return `${total}s`;
  if (total < 3600) {
    const seconds = total % 60;
    return seconds ? `${Math.floor(total / 60)}m${seconds}s` : `${total / 60}m`;
  }
  const minutes = Math.round(total / 60) % 60;
  const hours = Math.floor(Math.round(total / 60) / 60);
  return minutes ? `${hours}h${minutes}m` : `${hours}h`;
}
