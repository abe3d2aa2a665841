// Capacity counted from outside the component that enforces it: what the protected origin
// accepted, as its clients saw it, and what a JWKS verifier (another origin, checking only
// signature and expiry) would accept. Pure functions over observations; the scenarios make
// the requests (bench/origin.ts, bench/flash-crowd.ts).

/** One request to the protected path with one admission: when it left, when it was answered, the verdict. */
export type OriginProbe = { admission: string; sentAtMs: number; answeredAtMs: number; accepted: boolean };

export type OverlapReport = {
  /** Distinct admissions the origin accepted at least once. */
  admissionsAccepted: number;
  /** The most admissions surely accepted at one moment. */
  maxConcurrent: number;
  /** A moment at which that many were accepted (ms, the probes' clock). */
  atMs: number | null;
  /** Admissions accepted again after the origin had refused them (a revoked admission came back). */
  resurrected: string[];
};

/**
 * The most distinct admissions the origin surely accepted at one moment. An origin decides
 * somewhere between a request's send and its answer, and an admission, once refused, must stay
 * refused; so an admission was surely valid from its first acceptance's answer to its last
 * acceptance's send. Counting only those spans never blames the origin for the probe's own
 * latency: a maximum above capacity is a real breach.
 */
export function originOverlap(probes: readonly OriginProbe[]): OverlapReport {
  const byAdmission = new Map<string, OriginProbe[]>();
  for (const probe of probes) {
    const list = byAdmission.get(probe.admission);
    if (list) list.push(probe);
    else byAdmission.set(probe.admission, [probe]);
  }
  const spans: [number, number][] = [];
  const resurrected: string[] = [];
  for (const [admission, list] of byAdmission) {
    list.sort((a, b) => a.sentAtMs - b.sentAtMs);
    let firstAnswer: number | null = null;
    let lastSend: number | null = null;
    let refusedAnswerAt: number | null = null;
    for (const probe of list) {
      if (probe.accepted) {
        firstAnswer ??= probe.answeredAtMs;
        lastSend = probe.sentAtMs;
        // Sent after a refusal was already answered, and accepted: it came back.
        if (refusedAnswerAt !== null && probe.sentAtMs > refusedAnswerAt && !resurrected.includes(admission)) {
          resurrected.push(admission);
        }
      } else if (firstAnswer !== null) {
        refusedAnswerAt ??= probe.answeredAtMs;
      }
    }
    if (firstAnswer !== null && lastSend !== null) spans.push([firstAnswer, Math.max(firstAnswer, lastSend)]);
  }
  const { max, atMs } = maxOverlap(spans);
  return { admissionsAccepted: spans.length, maxConcurrent: max, atMs, resurrected };
}

/** What one visitor held, for the JWKS count: its admission tokens' validity and when it was known gone. */
export type HeldAdmission = {
  /** iat of its first admission token, ms (whole seconds: what a verifier sees). */
  firstIssuedAtMs: number;
  /** When its first admission token arrived (after it was issued: a late start, never an early one). */
  firstTokenAtMs: number;
  /** exp of its last admission token, ms. */
  lastExpiresAtMs: number;
  /**
   * When, by the client's own account, it surely no longer held a slot: an early bound (leave
   * sent; or its last heartbeat sent plus the timeout), so that a count of the rest never
   * blames the server for the client's ignorance. Null if it still did at the end.
   */
  goneAtMs: number | null;
  /** When it last received an admission token (the answer's arrival). */
  lastTokenAtMs: number;
};

export type JwksReport = {
  /** Most admissions a JWKS verifier would accept at one moment. */
  maxConcurrent: number;
  /** Same, leaving out visitors already gone by then: at most capacity. */
  maxHeldConcurrent: number;
  /** Longest a gone visitor's last token outlived its last token's arrival, ms (the stated bound: one heartbeat timeout). */
  longestAfterLastTokenMs: number;
};

/**
 * A JWKS verifier accepts an admission token from its iat to its exp. A visitor gets a fresh
 * token with each heartbeat, so it accepts a visitor from its first token until its last one
 * expires. At any moment that is at most: the visitors holding a slot (≤ capacity) plus those
 * gone whose last token has not expired yet (each at most one token lifetime after it was
 * handed out). Both parts are computed here; the caller compares them with capacity and the
 * token lifetime.
 */
export function jwksOverlap(held: readonly HeldAdmission[]): JwksReport {
  const all: [number, number][] = [];
  const holding: [number, number][] = [];
  let longestAfterLastTokenMs = 0;
  for (const h of held) {
    if (h.lastExpiresAtMs <= h.firstIssuedAtMs) continue;
    all.push([h.firstIssuedAtMs, h.lastExpiresAtMs]);
    // Gone visitors counted only until they were known gone; what is left must fit in capacity.
    // From the first token's arrival (iat is rounded down to the second: it could start a span
    // before the slot was given), until the visitor was surely gone.
    const heldUntil = h.goneAtMs === null ? h.lastExpiresAtMs : Math.min(h.lastExpiresAtMs, h.goneAtMs);
    if (heldUntil > h.firstTokenAtMs) holding.push([h.firstTokenAtMs, heldUntil]);
    if (h.goneAtMs !== null)
      longestAfterLastTokenMs = Math.max(longestAfterLastTokenMs, h.lastExpiresAtMs - h.lastTokenAtMs);
  }
  return {
    maxConcurrent: maxOverlap(all, true).max,
    maxHeldConcurrent: maxOverlap(holding, true).max,
    longestAfterLastTokenMs,
  };
}

/**
 * The most intervals covering one moment. Closed intervals [a, b] by default; half-open
 * [a, b) when `halfOpen` (a token is no longer valid at its exp).
 */
export function maxOverlap(spans: readonly [number, number][], halfOpen = false): { max: number; atMs: number | null } {
  const events: [number, number][] = [];
  for (const [start, end] of spans) {
    events.push([start, 1], [end, -1]);
  }
  // At equal times: half-open ends close before starts open; closed ends after.
  events.sort((a, b) => a[0] - b[0] || (halfOpen ? a[1] - b[1] : b[1] - a[1]));
  let current = 0;
  let max = 0;
  let atMs: number | null = null;
  for (const [time, delta] of events) {
    current += delta;
    if (current > max) {
      max = current;
      atMs = time;
    }
  }
  return { max, atMs };
}
