// Where to send a visitor once admitted (and where sign-in returns to): only a path on this
// site, so no open redirect. Plain module (no "server-only"): the gate, the proxy, the pages,
// next-auth and the browser code all use this one rule.
//
// The rule never rewrites: the value returned is the value checked, byte for byte, or the
// fallback. An earlier version checked the input and then returned its WHATWG-normalised form,
// so "/.//evil.com" passed the check as a path and came out as "//evil.com" (issue 11, item 2).
// Here a value is accepted only if resolving it changes nothing: it is already what a browser
// would send, so whatever resolves it next (a Location header, location.assign, a link, a server
// that decodes once more) sees exactly what was checked.

export const defaultNextPath = "/shop";

/** Longer than any path a page of this site has; keeps a Location header small. */
const maxLength = 2048;
const checkBase = "https://floodgate.invalid";

// Printable ASCII only, no space and no backslash (browsers read "\" as "/", and drop tabs and
// newlines, so "/\evil" and "/<tab>/evil" would become "//evil"). Non-ASCII, unicode slashes and
// full-width dots included, arrives percent-encoded from a browser; raw, it is refused.
const printableAscii = /^[\x21-\x5b\x5d-\x7e]+$/;
// One leading slash: "//host" and "/\host" are another site.
const pathAbsolute = /^\/(?!\/)/;
// Escapes that someone decoding once more would turn into a slash, backslash, dot (a dot
// segment: "%2e%2e") or control character; and broken escapes, which decoders disagree on.
const riskyEscapeInPath = /%(?:2f|5c|2e|[01][0-9a-f]|7f)|%(?![0-9a-f]{2})/i;
const riskyEscape = /%(?:[01][0-9a-f]|7f)|%(?![0-9a-f]{2})/i;

/** `value` itself when it is a safe path of this site, else `fallback`. Idempotent. */
export function safeNextPath(value: unknown, fallback: string = defaultNextPath): string {
  return isSafeNextPath(value) ? value : fallback;
}

export function isSafeNextPath(value: unknown): value is string {
  if (typeof value !== "string" || value.length === 0 || value.length > maxLength) return false;
  if (!printableAscii.test(value) || !pathAbsolute.test(value)) return false;
  const pathEnd = value.search(/[?#]/);
  const path = pathEnd < 0 ? value : value.slice(0, pathEnd);
  if (riskyEscapeInPath.test(path) || riskyEscape.test(value)) return false;
  let url: URL;
  try {
    url = new URL(value, checkBase);
  } catch {
    return false;
  }
  // A fixed point of URL resolution: no dot segments, nothing re-encoded, nothing dropped
  // (an empty "?" or "#"), and still this origin.
  return url.origin === checkBase && `${url.pathname}${url.search}${url.hash}` === value;
}

/**
 * The `next` of a query string: exactly one value, checked. Two values are refused rather
 * than picking one, as the page (which gets an array from Next.js) refuses them too.
 */
export function nextPathFromQuery(params: URLSearchParams, fallback: string = defaultNextPath): string {
  const all = params.getAll("next");
  return all.length === 1 ? safeNextPath(all[0], fallback) : fallback;
}

/**
 * An absolute URL of exactly this origin as its path, anything else unchanged, for callers
 * handed full URLs (next-auth's callbackUrl). The result still has to pass safeNextPath.
 */
export function pathOnOrigin(value: string, origin: string): string {
  return value.startsWith(`${origin}/`) ? value.slice(origin.length) : value;
}
