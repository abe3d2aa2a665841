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
