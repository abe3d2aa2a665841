import { decodeJwt } from "jose";

// Capacity counted from outside the engine: which admissions does the protected path itself
// accept, and how many at once? The engine's own `maxActiveObserved` is the high-water mark of
// the very set that enforces the limit, so it cannot see an admission token that still opens
// the shop after its slot went to someone else. The census holds every admission cookie the
// test's visitors were given (those who left or went silent included) and keeps asking the
// protected path, with that cookie alone and without following redirects, which it lets in.
//
// Probes go one at a time, never two in flight: the server then handles them in the order they
// were sent, so "A accepted at probe i and k, B accepted at probe j, i < j < k" means the origin
// accepted both A and B at the moment of probe j. An admission counts from its first accepted
// probe to its last; the most admissions counted at one probe is the figure to hold against
// capacity.

/** A probe not answered within this long counts as unanswered. */
const probeTimeoutMs = 5_000;

export type CensusAdmission = {
  /** Whose admission (the test's name for the visitor). */
  label: string;
  /** visitor id and admission number from the token: one admission, however often it was re-issued. */
  key: string;
  acceptedProbes: number;
  refusedProbes: number;
  firstAcceptedAtMs: number | null;
  lastAcceptedAtMs: number | null;
};

export type CensusReport = {
  probes: number;
  /** Probes that got no answer (server down, connection reset): neither accepted nor refused. */
  unanswered: number;
  admissions: CensusAdmission[];
  /** The most distinct admissions the origin accepted at one moment. */
  maxAccepted: number;
  /** Who they were, at the first moment that many were accepted. */
  maxAcceptedLabels: string[];
  maxAcceptedAtMs: number | null;
};

type Tracked = CensusAdmission & { token: string; firstSeq: number; lastSeq: number };

export type OriginCensus = {
  /** Adds an admission cookie (a re-issued token of a known admission replaces the older one). */
  add(label: string, admissionToken: string | null | undefined): void;
  /** Called before every round: where the census reads cookies it cannot be handed (a browser's). */
  watch(label: string, read: () => Promise<string | null | undefined>): void;
  /** One round now: read the watched cookies, probe every admission once. */
  probeAll(): Promise<void>;
  /**
   * Probes in rounds until stop(), pausing `pauseMs` between rounds; gives up by itself after
   * `maxRunMs`, so a test that failed before stop() does not leave it probing the next test's server.
   */
  start(pauseMs?: number, maxRunMs?: number): void;
  stop(): Promise<CensusReport>;
  report(): CensusReport;
  /** The admission's probes so far (by label; the latest admission of that label). */
  admission(label: string): CensusAdmission | undefined;
};

export function createOriginCensus(options: {
  baseUrl: string;
  cookieName: string;
  /** A protected path (default /shop). */
  path?: string;
}): OriginCensus {
  const url = new URL(options.path ?? "/shop", options.baseUrl).toString();
  const tracked = new Map<string, Tracked>();
  const watchers: { label: string; read: () => Promise<string | null | undefined> }[] = [];
  let seq = 0;
  let probes = 0;
  let unanswered = 0;
  let running: Promise<void> | null = null;
  let stopping = false;
  let failure: unknown = null;

  function add(label: string, token: string | null | undefined): void {
    if (!token) return;
    const claims = decodeJwt(token);
    const key = `${claims.sub}#${claims.adm}`;
    const known = tracked.get(key);
    if (known) {
      if ((decodeJwt(known.token).exp ?? 0) <= (claims.exp ?? 0)) known.token = token;
      return;
    }
    tracked.set(key, {
      label,
      key,
      token,
      acceptedProbes: 0,
      refusedProbes: 0,
      firstAcceptedAtMs: null,
      lastAcceptedAtMs: null,
      firstSeq: -1,
      lastSeq: -1,
    });
  }

  async function probe(admission: Tracked): Promise<void> {
    const at = ++seq;
    const sentAtMs = Date.now();
    probes++;
    // Bounded: probes run one after another, and one that never comes back (a socket the load
    // balancer had open to a node killed mid-request) would stall the census for the rest of
    // the test (a CI run saw 107 probes in 4 minutes). Such a probe counts as unanswered.
    const response = await fetch(url, {
      headers: { cookie: `${options.cookieName}=${admission.token}` },
      redirect: "manual",
      signal: AbortSignal.timeout(probeTimeoutMs),
    }).catch(() => null);
    if (!response) {
      unanswered++;
      return;
    }
    // Only the verdict matters, but the page is read to its end: a client hanging up halfway
    // through every answer is not what is being measured (and strains whatever is in between).
    await response.arrayBuffer().catch(() => undefined);
    if (response.status === 200) {
      admission.acceptedProbes++;
      admission.firstAcceptedAtMs ??= sentAtMs;
      admission.lastAcceptedAtMs = sentAtMs;
      if (admission.firstSeq < 0) admission.firstSeq = at;
      admission.lastSeq = at;
    } else if (response.status === 307) {
      admission.refusedProbes++;
    } else {
      // A 5xx from a node in trouble says nothing about the token; anything else is a finding.
      if (response.status < 500) throw new Error(`census: GET ${url} answered ${response.status}`);
      unanswered++;
    }
  }

  async function probeAll(): Promise<void> {
    for (const watcher of watchers) add(watcher.label, await watcher.read().catch(() => null));
    for (const admission of tracked.values()) await probe(admission);
  }

  function report(): CensusReport {
    const all = [...tracked.values()];
    // Sweep over probe numbers: an admission is counted from its first accepted probe to its last.
    const events: { seq: number; delta: 1 | -1; admission: Tracked }[] = [];
    for (const a of all) {
      if (a.firstSeq < 0) continue;
      events.push({ seq: a.firstSeq, delta: 1, admission: a }, { seq: a.lastSeq, delta: -1, admission: a });
    }
    // Both ends are inclusive: at one probe number, arrivals count before departures.
    events.sort((x, y) => x.seq - y.seq || y.delta - x.delta);
    const open = new Set<Tracked>();
    let maxAccepted = 0;
    let maxAcceptedLabels: string[] = [];
    let maxAcceptedAtMs: number | null = null;
    for (const event of events) {
      if (event.delta === 1) {
        open.add(event.admission);
        if (open.size > maxAccepted) {
          maxAccepted = open.size;
          maxAcceptedLabels = [...open].map((a) => a.label);
          maxAcceptedAtMs = event.admission.firstAcceptedAtMs;
        }
      } else open.delete(event.admission);
    }
    return {
      probes,
      unanswered,
      admissions: all.map(({ token: _token, firstSeq: _f, lastSeq: _l, ...rest }) => ({ ...rest })),
      maxAccepted,
      maxAcceptedLabels,
      maxAcceptedAtMs,
    };
  }

  return {
    add,
    watch(label, read) {
      watchers.push({ label, read });
    },
    probeAll,
    start(pauseMs = 50, maxRunMs = 300_000) {
      if (running) return;
      stopping = false;
      const deadline = Date.now() + maxRunMs;
      running = (async () => {
        while (!stopping && Date.now() < deadline) {
          await probeAll();
          await new Promise((resolve) => setTimeout(resolve, pauseMs));
        }
      })().catch((error: unknown) => {
        // Kept for stop(), so the test fails there with the census's own message.
        failure = error;
      });
    },
    async stop() {
      stopping = true;
      await running;
      running = null;
      if (failure) throw failure;
      await probeAll();
      return report();
    },
    report,
    admission(label) {
      return [...tracked.values()].reverse().find((a) => a.label === label);
    },
  };
}

/** A line for the test output: the figure and who made it. */
export function describeCensus(report: CensusReport): string {
  const who = report.maxAcceptedLabels.join(", ") || "nobody";
  return `origin census: at most ${report.maxAccepted} admissions accepted at once (${who}); ${report.admissions.length} admissions, ${report.probes} probes, ${report.unanswered} unanswered`;
}
