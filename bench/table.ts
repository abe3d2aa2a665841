import type { LatencySummary } from "@/bench/load";

// A plain-text table with a title, a header row, a rule and columns padded to fit.
export function table(title: string, rows: string[][]): string {
  const widths: number[] = [];
  for (const row of rows) {
    row.forEach((cell, i) => {
      widths[i] = Math.max(widths[i] ?? 0, cell.length);
    });
  }
  const line = (row: string[]) => `  ${row.map((cell, i) => cell.padEnd(widths[i] ?? 0)).join("  ")}`.trimEnd();
  const [head, ...body] = rows;
  const rule = `  ${widths.map((w) => "-".repeat(w)).join("  ")}`;
  return [`\n${title}`, head ? line(head) : "", rule, ...body.map(line)].join("\n");
}

// Number formats the reports share.
export const fmt = (n: number | null | undefined, digits = 0) =>
  n === null || n === undefined || Number.isNaN(n)
    ? "n/a"
    : n.toLocaleString("en-US", { minimumFractionDigits: digits, maximumFractionDigits: digits });
export const ms = (n: number | null | undefined) =>
  n === null || n === undefined ? "n/a" : `${fmt(n, n < 10 ? 2 : 1)} ms`;
export const pct = (n: number | null | undefined) => (n === null || n === undefined ? "n/a" : `${fmt(n, 0)}%`);

/** A latency table's header and rows: count, rate, p50, p90, p99, max. */
export const latencyHead = ["", "requests", "req/s", "p50", "p90", "p99", "max"];
export const latencyRow = (label: string, l: LatencySummary, rate?: number) => [
  label,
  fmt(l.count),
  rate === undefined ? "" : fmt(rate),
  ms(l.p50Ms),
  ms(l.p90Ms),
  ms(l.p99Ms),
  ms(l.maxMs),
];
