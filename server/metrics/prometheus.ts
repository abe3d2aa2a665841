import "server-only";
import { Counter, Gauge, Registry } from "prom-client";
import type { RoomStats } from "@/server/queue/types";

// Prometheus exposition of the engine's per-room counters. Values are read from the
// counters at scrape time (no work on the hot path, no scans).

type Source = { roomIds(): string[]; roomStats(roomId: string): RoomStats };

const gauges: { name: string; help: string; value: (s: RoomStats) => number }[] = [
  {
    name: "floodgate_room_capacity",
    help: "Effective room capacity (most admitted visitors at once), raised while a scale event or surge runs",
    value: (s) => s.capacity,
  },
  {
    name: "floodgate_room_base_capacity",
    help: "The room's own capacity, set by operators",
    value: (s) => s.baseCapacity,
  },
  { name: "floodgate_room_active", help: "Admitted visitors currently alive", value: (s) => s.active },
  { name: "floodgate_room_waiting", help: "Visitors waiting in line", value: (s) => s.waiting },
  {
    name: "floodgate_room_max_active_observed",
    help: "Highest active count since the process started",
    value: (s) => s.maxActiveObserved,
  },
  { name: "floodgate_room_arrived_total", help: "Arrivals ever", value: (s) => s.arrivedTotal },
  { name: "floodgate_room_admitted_total", help: "Admissions ever", value: (s) => s.admittedTotal },
  { name: "floodgate_room_expired_total", help: "Tokens dropped for silence", value: (s) => s.expiredTotal },
  { name: "floodgate_room_left_total", help: "Visitors who left explicitly", value: (s) => s.leftTotal },
  { name: "floodgate_room_evicted_total", help: "Visitors removed by an operator", value: (s) => s.evictedTotal },
  {
    name: "floodgate_room_sessions_ended_total",
    help: "Sessions ended at once by the protected site or the visitor's page (among those who left), since start",
    value: (s) => s.sessionsEndedTotal,
  },
  {
    name: "floodgate_room_sessions_timed_out_total",
    help: "Sessions the room's time limit ended (among those who left), since start",
    value: (s) => s.sessionsTimedOutTotal,
  },
  {
    name: "floodgate_room_bypassed_total",
    help: "Arrivals that skipped the line (a bypass address range or API key), since start",
    value: (s) => s.bypassedTotal,
  },
  {
    name: "floodgate_room_infinite_line",
    help: "Places in the room's infinite line heard from within the heartbeat timeout (never admitted; not in waiting)",
    value: (s) => s.infiniteLine.held,
  },
  {
    name: "floodgate_room_arrivals_per_minute",
    help: "Arrivals in the last minute",
    value: (s) => s.arrivalsPerMinute,
  },
  {
    name: "floodgate_room_admissions_per_minute",
    help: "Admissions in the last minute",
    value: (s) => s.admissionsPerMinute,
  },
];

export function createMetricsRegistry(source: Source): Registry {
  const registry = new Registry();
  for (const g of gauges) {
    new Gauge({
      name: g.name,
      help: g.help,
      labelNames: ["room"],
      registers: [registry],
      collect() {
        this.reset();
        for (const room of source.roomIds()) this.set({ room }, g.value(source.roomStats(room)));
      },
    });
  }
  labelledCounter(registry, source, {
    name: "floodgate_room_infinite_line_total",
    help: "Arrivals sent to the infinite line, by why (blocked, rate_limited, challenge_failed), since start",
    label: "reason",
    values: (s) => ({
      blocked: s.infiniteLine.blocked,
      rate_limited: s.infiniteLine.rate_limited,
      challenge_failed: s.infiniteLine.challenge_failed,
    }),
  });
  labelledCounter(registry, source, {
    name: "floodgate_room_challenges_total",
    help: "Proof-of-work challenges by outcome (issued, solved, stale: expired or reused, forged), since start",
    label: "outcome",
    values: (s) => s.challenges,
  });
  return registry;
}

/** A per-room counter with one more label, read from the room's stats at scrape time. */
function labelledCounter(
  registry: Registry,
  source: Source,
  spec: { name: string; help: string; label: string; values: (s: RoomStats) => Record<string, number> },
): void {
  new Counter({
    name: spec.name,
    help: spec.help,
    labelNames: ["room", spec.label],
    registers: [registry],
    collect() {
      this.reset();
      for (const room of source.roomIds()) {
        for (const [value, count] of Object.entries(spec.values(source.roomStats(room)))) {
          this.inc({ room, [spec.label]: value }, count);
        }
      }
    },
  });
}

const failOpenMetric = "floodgate_fail_open_admissions_total";

/**
 * Visitors let through without a place while the queue store was unreachable (fail-open), per
 * room, since the process started. Read from the failure policy's counts at scrape time.
 */
export function registerFailOpenAdmissions(registry: Registry, counts: () => ReadonlyMap<string, number>): void {
  if (registry.getSingleMetric(failOpenMetric)) return;
  new Counter({
    name: failOpenMetric,
    help: "Visitors let through without a place while the queue store was unreachable (fail-open)",
    labelNames: ["room"],
    registers: [registry],
    collect() {
      this.reset();
      for (const [room, count] of counts()) this.inc({ room }, count);
    },
  });
}

type ConnectionCounts = { open: number; refused: Record<string, number> };

/**
 * The connection guard's figures (server/http/connection-guard.ts): sockets open now, and sockets
 * refused or closed by a limit since the process started, by reason (total, per_address,
 * evicted_idle, idle_timeout). Read at scrape time.
 */
export function registerConnectionMetrics(registry: Registry, counts: () => ConnectionCounts): void {
  if (registry.getSingleMetric("floodgate_connections_open")) return;
  new Gauge({
    name: "floodgate_connections_open",
    help: "Client sockets open now",
    registers: [registry],
    collect() {
      this.set(counts().open);
    },
  });
  new Counter({
    name: "floodgate_connections_refused_total",
    help: "Sockets refused or closed by a connection limit: total, per_address, evicted_idle (made room), idle_timeout (no request in time)",
    labelNames: ["reason"],
    registers: [registry],
    collect() {
      this.reset();
      for (const [reason, count] of Object.entries(counts().refused)) this.inc({ reason }, count);
    },
  });
}

/**
 * Heartbeats held open now (long poll near the front of the line, server/queue/held-heartbeats.ts),
 * per room. Read at scrape time.
 */
export function registerHeldHeartbeats(registry: Registry, counts: () => ReadonlyMap<string, number>): void {
  if (registry.getSingleMetric("floodgate_held_heartbeats")) return;
  new Gauge({
    name: "floodgate_held_heartbeats",
    help: "Heartbeats held open now, answered the moment their visitor is admitted",
    labelNames: ["room"],
    registers: [registry],
    collect() {
      this.reset();
      for (const [room, count] of counts()) this.set({ room }, count);
    },
  });
}
