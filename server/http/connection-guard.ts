import "server-only";
import fs from "node:fs";
import type { Server } from "node:http";
import type { Socket } from "node:net";
import type { Logger } from "@/server/log";

// Bounds what sockets can cost. Without it the server held every connection it was given: 1,100
// idle sockets under a 1,024 file limit starved the process of descriptors and a real visitor's
// heartbeats failed until its place expired, with nothing logged.
// - a cap on open connections, kept below the process's file limit with headroom for the
//   database, outgoing calls and Next's own files;
// - a cap per client address (the socket peer: behind a proxy or load balancer the proxy is one
//   peer, so raise the cap or set it to 0 there);
// - a socket must deliver its first complete request head within `firstRequestTimeoutMs`, or it
//   is closed: Node's own headersTimeout only starts once a first byte arrives, so a socket that
//   never sends anything would be held forever (later requests on a kept-alive socket are bounded
//   by Node's headersTimeout and keepAliveTimeout);
// - when the total cap is reached, the oldest socket that has not yet sent a request makes room
//   for the newcomer: an attacker's idle sockets cannot lock out a visitor (whose sockets have
//   sent requests and are never the ones closed).
// All accounting runs per connection; per request there is one property check (noteRequest).

export type ConnectionLimits = {
  /** Most sockets open at once (after the file-limit headroom: see effectiveMaxConnections). */
  maxConnections: number;
  /** Most sockets open at once from one peer address; 0 = no per-address cap. */
  maxPerAddress: number;
  /** A new socket must complete its first request head within this, or it is closed. */
  firstRequestTimeoutMs: number;
};

export type RefusalReason = "total" | "per_address" | "evicted_idle" | "idle_timeout";

export type ConnectionCounts = { open: number; refused: Record<RefusalReason, number> };

export type ConnectionGuard = {
  /** Call for every request (first thing in the request handler): marks its socket as in use. */
  noteRequest(socket: Socket): void;
  counts(): ConnectionCounts;
  /** Stops the log timer (tests, shutdown). */
  close(): void;
};

// Set while a socket has not delivered a request head: the timer that closes it.
const firstRequestTimer = Symbol("floodgate.firstRequestTimer");
const addressKey = Symbol("floodgate.peer");
type TrackedSocket = Socket & { [firstRequestTimer]?: NodeJS.Timeout; [addressKey]?: string };

/** One warning line per interval at most, with the counts of what was refused in it. */
const logIntervalMs = 10_000;

export function guardConnections(server: Server, limits: ConnectionLimits, logger: Logger): ConnectionGuard {
  const perAddress = new Map<string, number>();
  // Sockets that have not sent a request yet, oldest first (Set keeps insertion order).
  const fresh = new Set<TrackedSocket>();
  const refused: Record<RefusalReason, number> = { total: 0, per_address: 0, evicted_idle: 0, idle_timeout: 0 };
  let open = 0;
  let sinceLog: Record<RefusalReason, number> | null = null;
  let logTimer: NodeJS.Timeout | null = null;

  const count = (reason: RefusalReason, address: string | undefined) => {
    refused[reason]++;
    if (!sinceLog) {
      sinceLog = { total: 0, per_address: 0, evicted_idle: 0, idle_timeout: 0 };
      logTimer = setTimeout(flushLog, logIntervalMs);
      logTimer.unref();
      // The first bite of an interval is logged at once, so an operator sees it start.
      logger.warn(
        { reason, address, open, limits },
        "connection limit reached; further refusals are summed every 10 s",
      );
    }
    sinceLog[reason]++;
  };
  function flushLog() {
    const counts = sinceLog;
    sinceLog = null;
    logTimer = null;
    if (counts) logger.warn({ ...counts, open, limits, intervalMs: logIntervalMs }, "connections refused or closed");
  }

  const forget = (socket: TrackedSocket) => {
    fresh.delete(socket);
    clearTimeout(socket[firstRequestTimer]);
    socket[firstRequestTimer] = undefined;
    const address = socket[addressKey];
    if (address === undefined) return;
    socket[addressKey] = undefined;
    open--;
    const left = (perAddress.get(address) ?? 1) - 1;
    if (left > 0) perAddress.set(address, left);
    else perAddress.delete(address);
  };

  server.on("connection", (socket: TrackedSocket) => {
    const address = socket.remoteAddress;
    if (address === undefined) {
      // Already gone (reset before it was handed to us).
      socket.destroy();
      return;
    }
    const fromAddress = perAddress.get(address) ?? 0;
    if (limits.maxPerAddress > 0 && fromAddress >= limits.maxPerAddress) {
      count("per_address", address);
      socket.destroy();
      return;
    }
    if (open >= limits.maxConnections) {
      const oldest = fresh.values().next().value;
      if (!oldest) {
        count("total", address);
        socket.destroy();
        return;
      }
      count("evicted_idle", oldest[addressKey]);
      forget(oldest);
      oldest.destroy();
    }
    open++;
    perAddress.set(address, fromAddress + 1);
    socket[addressKey] = address;
    fresh.add(socket);
    // A deadline, not an inactivity timeout: a head trickled a byte at a time must not renew it.
    socket[firstRequestTimer] = setTimeout(() => {
      count("idle_timeout", address);
      socket.destroy();
    }, limits.firstRequestTimeoutMs);
    socket.once("close", () => forget(socket));
  });

  return {
    noteRequest(socket: TrackedSocket) {
      const timer = socket[firstRequestTimer];
      if (timer === undefined) return;
      // From here the server's keep-alive, headers and request timeouts govern the socket.
      clearTimeout(timer);
      socket[firstRequestTimer] = undefined;
      fresh.delete(socket);
    },
    counts: () => ({ open, refused: { ...refused } }),
    close() {
      if (logTimer) clearTimeout(logTimer);
      flushLog();
    },
  };
}

export type FileLimit = { soft: number; openAtStart: number };

/** The process's open-file limit and how many are open now (Linux /proc); null elsewhere. */
export function readFileLimit(): FileLimit | null {
  try {
    const limits = fs.readFileSync("/proc/self/limits", "utf8");
    const line = limits.split("\n").find((l) => l.startsWith("Max open files"));
    const soft = line ? Number(line.slice("Max open files".length).trim().split(/\s+/)[0]) : Number.NaN;
    if (!Number.isFinite(soft)) return null;
    return { soft, openAtStart: fs.readdirSync("/proc/self/fd").length };
  } catch {
    return null;
  }
}

/**
 * The connection cap that fits the file limit: what is open already plus headroom (an eighth of
 * the limit, at least 64) stays free for the database, outgoing calls, Next's files and logs.
 */
export function effectiveMaxConnections(configured: number, fileLimit: FileLimit | null): number {
  if (!fileLimit) return configured;
  const headroom = fileLimit.openAtStart + Math.max(64, Math.floor(fileLimit.soft / 8));
  return Math.max(1, Math.min(configured, fileLimit.soft - headroom));
}
