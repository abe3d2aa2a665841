// Where to send a visitor once admitted: only a path on this site (no open redirect).
// Plain module so both the gate and the waiting page use the very same rule.
// Browsers treat "\" like "/" and drop tabs and newlines, so "/\evil" or "/<tab>/evil"
// would become the protocol-relative "//evil": control characters and backslashes are refused.

export const defaultNextPath = "/shop";

export function safeNextPath(value: string | string[] | null | undefined, fallback = defaultNextPath): string {
  if (typeof value !== "string" || value.length === 0 || value.length > 2048) return fallback;
  // One leading slash, then no slash or backslash (protocol-relative "//evil", "/\evil").
  if (!/^\/(?![/\\])/.test(value)) return fallback;
  // No control characters or backslashes anywhere; browsers treat "\" like "/".
  for (let i = 0; i < value.length; i++) {
    const code = value.charCodeAt(i);
    if (code < 0x20 || code === 0x7f || code === 0x5c) return fallback;
  }
  try {
    const url = new URL(value, "http://floodgate.invalid");
    if (url.origin !== "http://floodgate.invalid") return fallback;
    return `${url.pathname}${url.search}${url.hash}`;
  } catch {
    return fallback;
  }
}
