// An audit record's before/after values as readable lines: "capacity 0 → 1", only what
// changed. Records hold arbitrary JSON (a room, a user, a number), so this stays generic.

export type ChangeLine = { key: string | null; before: string | null; after: string | null };

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

export function formatValue(value: unknown): string {
  if (value === null || value === undefined) return "none";
  if (typeof value === "string") return value === "" ? "(empty)" : value;
  if (typeof value === "number") return value.toLocaleString();
  if (typeof value === "boolean") return value ? "yes" : "no";
  if (Array.isArray(value)) return value.length === 0 ? "none" : value.map(formatValue).join(", ");
  return JSON.stringify(value);
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

export function describeChange(before: unknown, after: unknown): ChangeLine[] {
  const hasBefore = before !== null && before !== undefined;
  const hasAfter = after !== null && after !== undefined;
  if (!hasBefore && !hasAfter) return [];
  if ((isRecord(before) || !hasBefore) && (isRecord(after) || !hasAfter)) {
    const b = isRecord(before) ? before : {};
    const a = isRecord(after) ? after : {};
    const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])];
    return keys
      .filter((key) => !same(b[key], a[key]))
      .map((key) => ({
        key,
        before: hasBefore && key in b ? formatValue(b[key]) : null,
        after: hasAfter && key in a ? formatValue(a[key]) : null,
      }));
  }
  return [{ key: null, before: hasBefore ? formatValue(before) : null, after: hasAfter ? formatValue(after) : null }];
}
