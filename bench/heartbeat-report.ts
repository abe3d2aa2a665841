import type { HeartbeatReport } from "@/bench/heartbeat";
import type { Check } from "@/bench/report";

// The heartbeat scenario's live room and pinning in the report: what the room did in the
// measured window, and on which CPUs each process really ran.

const fmt = (n: number | null | undefined, digits = 0) =>
  n === null || n === undefined || Number.isNaN(n)
    ? "n/a"
    : n.toLocaleString("en-US", { minimumFractionDigits: digits, maximumFractionDigits: digits });

/** The window must have seen the room work: admissions and expiries, or the figure is a paused room's. */
export function heartbeatLiveChecks(h: HeartbeatReport): Check[] {
  const l = h.live;
  return [
    {
      name: "heartbeat window in a live room (admissions / expiries in the window)",
      value: `${fmt(l.admissions)} / ${fmt(l.expiries)}`,
      goal: "both > 0",
      pass: (l.admissions ?? 0) > 0 && (l.expiries ?? 0) > 0,
      correctness: true,
    },
  ];
}

export function pinningLine(h: HeartbeatReport): string {
  const p = h.pinning;
  const o = p.observed;
  const seen =
    `allowed CPUs read back: generator ${o.generator ?? "?"}, bare server ${o.bareBefore ?? "?"}/${o.bareAfter ?? "?"}, ` +
    `app ${o.app ?? "?"}`;
  return p.plan.pinned
    ? `  pinned with taskset: server on CPU ${p.plan.serverCpus}, generator on CPU ${p.plan.generatorCpus} (${seen})`
    : `  NOT pinned: ${p.plan.reason}; server and generator share the cores (${seen})`;
}

/** Requests per second of the server's own CPU time: less moved by what else runs on its core. */
const perCpuSecond = (run: { requestsPerSecond: number; serverCpuPercent: number | null }) =>
  run.serverCpuPercent && run.serverCpuPercent > 0 ? run.requestsPerSecond / (run.serverCpuPercent / 100) : null;

/** heartbeat ÷ bare in requests per server CPU-second (mean of the two bare runs); null when unread. */
export function cpuNormalisedRatio(h: HeartbeatReport): number | null {
  const app = perCpuSecond(h.heartbeat);
  const before = perCpuSecond(h.baseline.before);
  const after = perCpuSecond(h.baseline.after);
  return app !== null && before !== null && after !== null ? app / ((before + after) / 2) : null;
}

export function heartbeatLiveLines(h: HeartbeatReport): string[] {
  const l = h.live;
  const w = l.window;
  const s = h.settings.live;
  return [
    pinningLine(h),
    `  requests per second of server CPU: app ${fmt(perCpuSecond(h.heartbeat))}, bare ${fmt(perCpuSecond(h.baseline.before))} / ` +
      `${fmt(perCpuSecond(h.baseline.after))}: ratio ${fmt(cpuNormalisedRatio(h), 2)} (the server's CPU time from /proc; ` +
      `less moved than req/s when other processes take the server's core)`,
    `  live room: capacity ${fmt(l.capacity)} (${fmt(s.capacityShare * 100, 1)}% of the line), heartbeat ` +
      `${s.heartbeatIntervalMs / 1000} s / timeout ${fmt(l.timeoutMs / 1000)} s (opened after a ${fmt(l.firstRoundMs / 1000, 1)} s ` +
      `round in the paused room), live warm-up ${fmt(l.warmupMs / 1000, 1)} s; ` +
      `in the window (server counters): ${fmt(l.admissions)} admissions, ${fmt(l.expiries)} expiries, ${fmt(l.leaves)} leaves; ` +
      `generator: ${fmt(w.heartbeats)} heartbeats + ${fmt(w.leaves)} leaves, ${fmt(w.admittedSeen)} told admitted ` +
      `(${fmt(w.wentSilentAdmitted)} went silent), ${fmt(w.gaveUp)} waiting gave up, ${fmt(w.expiredWhileHeartbeating)} ` +
      `heartbeating visitors told they expired; ${fmt(l.heartbeatingAtEnd)} still heartbeating, each every ` +
      `${fmt(l.roundSeconds, 1)} s`,
  ];
}

/**
 * The enter floor beside the app's enter: the floor's ratio to bare is the most any durable
 * enter reaches on this machine; the app's ratio to the floor is what its own work costs.
 */
export function enterFloorText(h: HeartbeatReport): string | null {
  const floor = h.enterFloor;
  if (!floor || floor.requestsPerSecond <= 0) return null;
  const bare = h.baseline.requestsPerSecond;
  return (
    `enter floor ${fmt(floor.requestsPerSecond)} req/s (p99 ${fmt(floor.latency.p99Ms, 1)} ms): floor ÷ bare ` +
    `${fmt(floor.requestsPerSecond / bare, 2)}, enter ÷ floor ${fmt(h.enter.requestsPerSecond / floor.requestsPerSecond, 2)}`
  );
}

/** Enter with the proof-of-work challenge on, beside plain enters on the same app. */
export function enterPowText(h: HeartbeatReport): string | null {
  const pow = h.enterPow;
  if (!pow || pow.plain.requestsPerSecond <= 0) return null;
  return (
    `enter with proof of work (${fmt(pow.arrivals)} arrivals, same app): plain ${fmt(pow.plain.requestsPerSecond)} req/s, ` +
    `with a solved challenge ${fmt(pow.enter.requestsPerSecond)} req/s (p99 ${fmt(pow.enter.latency.p99Ms, 1)} ms, ` +
    `${fmt(pow.enter.accepted)} places): ÷ plain ${fmt(pow.enter.requestsPerSecond / pow.plain.requestsPerSecond, 2)}; ` +
    `challenges issued ${fmt(pow.challenge.requestsPerSecond)} req/s; solving took the generator ${fmt(pow.solveMs / 1000, 1)} s ` +
    `(difficulty ${fmt(pow.difficulty)}; the gate's check costs the same at any difficulty); CPU server / generator / ` +
    `others: plain ${cpu(pow.plain)}, challenged ${cpu(pow.enter)}`
  );
}

const cpu = (phase: { serverCpuPercent: number | null; generatorCpuPercent: number; otherCpuPercent: number | null }) =>
  `${fmt(phase.serverCpuPercent)}/${fmt(phase.generatorCpuPercent)}/${fmt(phase.otherCpuPercent)}%`;
