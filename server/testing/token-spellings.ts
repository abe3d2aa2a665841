// Other spellings of a JWT: base64url's last character of a segment carries unused bits
// (4 when the segment's length is 2 mod 4, 2 when it is 3 mod 4), and a lenient decoder reads
// every choice of them as the same bytes. Tests use these to check that nothing treats a
// re-spelled token as a second, different token.

const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/** Every other spelling of one base64url segment that decodes to the same bytes (the segment itself excluded). */
export function segmentRespellings(segment: string): string[] {
  const bytes = Buffer.from(segment, "base64url");
  const head = segment.slice(0, -1);
  const found: string[] = [];
  for (const char of alphabet) {
    const candidate = head + char;
    if (candidate !== segment && Buffer.from(candidate, "base64url").equals(bytes)) found.push(candidate);
  }
  return found;
}

/** The token with one segment (0 header, 1 payload, 2 signature) re-spelled, each way it can be. */
export function tokenRespellings(token: string, segmentIndex: number): string[] {
  const segments = token.split(".");
  const segment = segments[segmentIndex] ?? "";
  return segmentRespellings(segment).map((respelled) =>
    segments.map((s, i) => (i === segmentIndex ? respelled : s)).join("."),
  );
}

/** Every spelling of the token with exactly one segment re-spelled, over all three segments. */
export function allRespellings(token: string): string[] {
  return [0, 1, 2].flatMap((i) => tokenRespellings(token, i));
}
