// Numbers typed into console forms: a number, or the message to show beside the field. Limits
// mirror the server's; the server checks again and its 422 message is shown too.

/** A whole number from min to max; `what` names it in the message ("a capacity"). */
export function parseWhole(text: string, min: number, max: number, what: string): number | string {
  const trimmed = text.trim();
  if (trimmed === "") return `Enter ${what}.`;
  const value = Number(trimmed);
  if (!Number.isInteger(value)) return `${what[0]?.toUpperCase()}${what.slice(1)} must be a whole number.`;
  if (value < min || value > max) return `Must be between ${min.toLocaleString()} and ${max.toLocaleString()}.`;
  return value;
}

/** Any finite number from min to max (thresholds compare rates and percentages). */
export function parseDecimal(text: string, min: number, max: number, what: string): number | string {
  const trimmed = text.trim();
  if (trimmed === "") return `Enter ${what}.`;
  const value = Number(trimmed);
  if (!Number.isFinite(value)) return `${what[0]?.toUpperCase()}${what.slice(1)} must be a number.`;
  if (value < min || value > max) return `Must be between ${min.toLocaleString()} and ${max.toLocaleString()}.`;
  return value;
}
