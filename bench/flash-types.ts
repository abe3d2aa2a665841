import type { LatencySummary, OutcomeCounter, PoolSettings } from "@/bench/load";
import type { ArrivalOrderVerdict } from "@/bench/ordering";
import type { JwksReport } from "@/bench/origin-census";
import type { RefillReport } from "@/bench/refill";
import type { RequestKind, VisitorPhase } from "@/bench/sim-visitor";

// What the flash crowd is given and what it reports (bench/flash-crowd.ts runs it).

export type FlashSettings = {
  arrivals: number;
  arrivalWindowMs: number;
  /** From the first arrival until the generator stops sending. */
  runMs: number;
  capacity: number;
  heartbeatIntervalMs: number;
  heartbeatTimeoutMs: number;
  leaveGraceMs: number;
  tickMs: number;
  sessionMinMs: number;
  sessionMaxMs: number;
  /** Share of admitted visitors who stop heartbeating without leaving. */
  silentFraction: number;
  /** A freed slot must go to the next in line within this (the refill goal). */
  refillGoalMs: number;
  /** A silent visitor sends one more heartbeat this long after its slot should have freed: it must be expired. */
  expiryCheckAfterMs: number;
  pool: PoolSettings;
  enterConnections: number;
  seed: number;
  metricsEveryMs: number;
  profileDir: string | undefined;
};

export type WarmUp = { visitors: number; slowestMs: number; requests: number };

export type FlashReport = {
  settings: FlashSettings;
  /** A few visitors who entered, heartbeated and left before the crowd (cold-start cost). */
  warmUp?: WarmUp;
  elapsedMs: number;
  arrivals: { scheduled: number; accepted: number; rejected: number; failed: number };
  admissions: { observedByVisitors: number; serverAdmittedTotal: number | null };
  /**
   * Admission -> the page knows: when a visitor received the first answer saying it was admitted
   * (enter, heartbeat or held heartbeat) minus the server's admittedAt (same machine clock).
   * `seen`: admitted visitors who learned of it before the run ended (the others are not known
   * to the bench); `viaHeld`: by a held heartbeat; `heldRequests`: held heartbeats sent.
   */
  admissionSeen?: { seen: number; viaHeld: number; heldRequests: number; latency: LatencySummary };
  capacity: {
    capacity: number;
    maxActiveObservedMetric: number | null;
    maxActiveSampled: number | null;
    samples: number;
    withinCapacity: boolean;
  };
  fifo: {
    admittedCompared: number;
    inversions: number;
    duplicateAdmissionNumbers: number;
    /** Against the order clients really arrived (enter answered before another's was sent). */
    arrivalOrder: ArrivalOrderVerdict;
  };
  latency: Record<RequestKind | "all", LatencySummary>;
  requests: { total: number; perSecond: number; outcomes: Record<RequestKind, ReturnType<OutcomeCounter["toJSON"]>> };
  /** peakHeapUsedMb: only when the server exports prom-client default metrics (nodejs_*). */
  memory: { peakRssMb: number | null; hwmMb: number | null; peakHeapUsedMb: number | null };
  refill: RefillReport & {
    /** Share of metric samples with people waiting but a slot free (slot not yet refilled). */
    underfilledSampleShare: number | null;
    longestUnderfilledMs: number | null;
  };
  /** Every silent visitor's one late heartbeat: it must have been expired. */
  expiry: {
    silentVisitors: number;
    confirmedExpired: number;
    notExpired: number;
    /** Went silent too late in the run to check, or the check request failed. */
    unchecked: number;
    serverExpiredTotal: number | null;
  };
  /** Admissions counted as another origin verifying by JWKS would accept them (from the tokens the visitors got). */
  jwks: JwksReport & {
    tokenLifetimeMs: number;
    /** Last admission tokens checked against the app's JWKS: good / refused. */
    verified: number;
    refused: number;
  };
  visitorsAtEnd: Record<VisitorPhase, number>;
  expiredWhileWaiting: number;
  expiredWhileAdmitted: number;
  abandonedAtEnd: Record<RequestKind, number>;
  /** GET /healthz on its own connection every sample: how long the server's event loop kept callers waiting. */
  serverResponsiveness: LatencySummary;
  /** Probes answered after more than 100 ms: [seconds into the run, ms]. */
  serverStalls: [number, number][];
  generator: {
    dispatchLagP99Ms: number;
    dispatchLagMaxMs: number;
    eventLoopDelayP99Ms: number;
    cpuPercent: number;
    maxQueuedRequests: number;
    keptUp: boolean;
  };
  serverCpuPercent: number | null;
  /** CPU used by every other process on the box meanwhile (other people's work skews figures). */
  otherCpuPercent: number | null;
  serverErrorLogLines: number;
  /** The last lines the server logged (warn and above), for diagnosis. */
  serverLogTail: string[];
};
