import "server-only";

// base64url's last character of a segment carries unused bits, and decoders (Node's, jose's)
// read every choice of them as the same bytes: without this check one signed token has up to
// 16 spellings per segment. Identity never comes from a token's string, but the engine's index
// is a cache keyed by it, and one token must have one spelling.

/** True when every dot-separated segment is exactly how base64url (no padding) encodes its bytes. */
export function isCanonicalJwt(token: string): boolean {
  let start = 0;
  for (;;) {
    const end = token.indexOf(".", start);
    const segment = token.slice(start, end < 0 ? undefined : end);
    if (Buffer.from(segment, "base64url").toString("base64url") !== segment) return false;
    if (end < 0) return true;
    start = end + 1;
  }
}
