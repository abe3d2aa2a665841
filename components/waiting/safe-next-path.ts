// The waiting page sends the visitor to `next` once admitted, so `next` must never lead
// off-site: only a same-origin absolute path is accepted, anything else becomes the fallback.

export const DEFAULT_NEXT_PATH = "/shop";
export const MAX_NEXT_PATH_LENGTH = 2048;

const PROBE_ORIGIN = "https://floodgate.invalid";

export function safeNextPath(raw: string | string[] | undefined, fallback: string = DEFAULT_NEXT_PATH): string {
  if (typeof raw !== "string") return fallback;
  if (raw.length === 0 || raw.length > MAX_NEXT_PATH_LENGTH) return fallback;
  if (!raw.startsWith("/") || raw.startsWith("//")) return fallback;
  // Browsers treat "\" like "/" and drop tabs and newlines, so "/\evil.com" or
  // "/\t/evil.com" would become the protocol-relative "//evil.com".
  // biome-ignore lint/suspicious/noControlCharactersInRegex: rejecting control characters is the point
  if (/[\\\u0000-\u001f\u007f]/.test(raw)) return fallback;
  try {
    // Belt and braces: whatever the string is, resolved against a page it must stay there.
    if (new URL(raw, PROBE_ORIGIN).origin !== PROBE_ORIGIN) return fallback;
  } catch {
    return fallback;
  }
  return raw;
}
