import { performance } from "node:perf_hooks";
import { setTimeout as sleep } from "node:timers/promises";
import { type Dispatcher, request } from "undici";
import { createPool, Exchange, LatencyRecorder, type LatencySummary, OutcomeCounter } from "@/bench/load";
import { type MixContext, memoryMix, mixTable } from "@/bench/memory-mix";
import {
  type ManagedProcess,
  type MemoryReading,
  type PhaseCpu,
  startApp,
  startCpuWatch,
} from "@/bench/server-process";
import { mulberry32 } from "@/server/testing/seeded-random";

// The memory scenario: an open loop of hostile and ordinary requests (bench/memory-mix.ts) at a
// fixed rate for minutes, while the server's resident memory is read from /proc every second.
// The goal is a bound, not a speed: RSS stays under 500 MB whatever the mix. The generator
// keeps at most `maxInflight` requests open; a request due while that many are open is
// counted as skipped rather than queued, so the generator's own memory stays flat and the
// rate it achieved is reported as it was.

export type MemorySettings = {
  requestsPerSecond: number;
  durationMs: number;
  connections: number;
  maxInflight: number;
  seed: number;
  sampleEveryMs: number;
  profileDir: string | undefined;
};

export type MemoryReport = {
  settings: MemorySettings;
  signedIn: boolean;
  requests: {
    scheduled: number;
    sent: number;
    skipped: number;
    completed: number;
    transportErrors: number;
    errorSamples: string[];
    perSecond: number;
  };
  byStatus: Record<string, number>;
  byKind: Record<string, Record<string, number>>;
  latency: LatencySummary;
  memory: {
    atStart: MemoryReading | null;
    peakRssMb: number | null;
    atEnd: MemoryReading | null;
    /** [seconds into the run, RSS MB], one point every 10 s. */
    timeline: [number, number][];
  };
  cpu: PhaseCpu;
  serverErrorLogLines: number;
  serverLogTail: string[];
};

const adminEmail = "bench-admin@floodgate.test";
const adminPassword = "bench-memory-password-0123";
/** The app's first admin, created at start; signIn() signs in as them. */
export const benchAdminEnv = { FLOODGATE_ADMIN_EMAIL: adminEmail, FLOODGATE_ADMIN_PASSWORD: adminPassword };

export async function runMemoryBench(settings: MemorySettings, log: (line: string) => void): Promise<MemoryReport> {
  const app = await startApp({
    capacity: 50,
    heartbeatIntervalMs: 5_000,
    heartbeatTimeoutMs: 20_000,
    maxQueueLength: 100_000,
    leaveGraceMs: 6_000,
    tickMs: 100,
    profileDir: settings.profileDir,
    env: benchAdminEnv,
  });
  try {
    const sessionCookie = await signIn(app.origin);
    log(sessionCookie ? "  signed in as the bench admin" : "  could not sign in: admin requests go without a session");
    return await drive(app, settings, sessionCookie, log);
  } finally {
    await app.stop();
  }
}

export async function signIn(origin: string): Promise<string | null> {
  const csrf = await request(`${origin}/api/auth/csrf`);
  const { csrfToken } = (await csrf.body.json()) as { csrfToken: string };
  const csrfCookie = cookiesOf(csrf.headers["set-cookie"]);
  const form = new URLSearchParams({ csrfToken, email: adminEmail, password: adminPassword, json: "true" });
  const res = await request(`${origin}/api/auth/callback/credentials`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", cookie: csrfCookie },
    body: form.toString(),
  });
  await res.body.dump();
  const session = cookiesOf(res.headers["set-cookie"])
    .split("; ")
    .find((c) => c.startsWith("next-auth.session-token="));
  return session ?? null;
}

function cookiesOf(header: string | string[] | undefined): string {
  const list = header === undefined ? [] : Array.isArray(header) ? header : [header];
  return list.map((c) => c.split(";")[0]).join("; ");
}

class MixExchange extends Exchange {
  constructor(
    private readonly kind: string,
    private readonly done: (kind: string, statusCode: number | null, latencyMs: number, error?: Error) => void,
  ) {
    super(false);
  }

  start(dispatcher: Dispatcher, options: Dispatcher.DispatchOptions): void {
    this.send(dispatcher, options);
  }

  protected completed(statusCode: number, latencyMs: number): void {
    this.done(this.kind, statusCode, latencyMs);
  }

  protected failed(error: Error, latencyMs: number): void {
    this.done(this.kind, null, latencyMs, error);
  }
}

export async function drive(
  app: ManagedProcess,
  settings: MemorySettings,
  sessionCookie: string | null,
  log: (line: string) => void,
): Promise<MemoryReport> {
  const pool = createPool(app.origin, { connections: settings.connections, pipelining: 1 });
  const ctx: MixContext = { sessionCookie, origin: app.origin, random: mulberry32(settings.seed) };
  const table = mixTable(memoryMix);
  const latency = new LatencyRecorder();
  const outcomes = new OutcomeCounter();
  const byKind = new Map<string, OutcomeCounter>();
  let inflight = 0;
  let sent = 0;
  let skipped = 0;
  let completed = 0;
  const done = (kind: string, statusCode: number | null, latencyMs: number, error?: Error) => {
    inflight--;
    completed++;
    latency.record(latencyMs);
    let counter = byKind.get(kind);
    if (!counter) {
      counter = new OutcomeCounter();
      byKind.set(kind, counter);
    }
    if (statusCode === null) {
      outcomes.transport(error as Error);
      counter.transport(error as Error);
    } else {
      outcomes.status(statusCode);
      counter.status(statusCode);
    }
  };

  const atStart = app.memory();
  let peakRssMb = atStart?.rssMb ?? 0;
  const timeline: [number, number][] = [];
  const startedAt = performance.now();
  const cpu = startCpuWatch(app);
  let lastSampleAt = 0;
  const sampler = setInterval(() => {
    const reading = app.memory();
    if (!reading) return;
    peakRssMb = Math.max(peakRssMb, reading.rssMb);
    const seconds = Math.round((performance.now() - startedAt) / 1000);
    if (seconds - lastSampleAt >= 10) {
      lastSampleAt = seconds;
      timeline.push([seconds, Math.round(reading.rssMb)]);
      log(
        `  ${seconds} s: RSS ${reading.rssMb.toFixed(0)} MB (VmHWM ${reading.hwmMb.toFixed(0)} MB), ` +
          `${completed.toLocaleString("en-US")} answered, ${inflight} in flight, ${skipped} skipped`,
      );
    }
  }, settings.sampleEveryMs);

  // Open loop: every 5 ms, send whatever the schedule says is due by now.
  let scheduled = 0;
  await new Promise<void>((resolve) => {
    const ticker = setInterval(() => {
      const elapsed = performance.now() - startedAt;
      const due = Math.floor((Math.min(elapsed, settings.durationMs) * settings.requestsPerSecond) / 1000);
      for (; scheduled < due; scheduled++) {
        if (inflight >= settings.maxInflight) {
          skipped++;
          continue;
        }
        const kind = table[Math.floor(ctx.random() * table.length)] ?? memoryMix[0];
        if (!kind) continue;
        inflight++;
        sent++;
        new MixExchange(kind.name, done).start(pool, kind.build(ctx));
      }
      if (elapsed >= settings.durationMs) {
        clearInterval(ticker);
        resolve();
      }
    }, 5);
  });
  const sendingMs = performance.now() - startedAt;
  // Let the last answers come in (bounded), then read memory once more.
  const drainUntil = performance.now() + 30_000;
  while (inflight > 0 && performance.now() < drainUntil) await sleep(100);
  clearInterval(sampler);
  const cpuUse = cpu.stop(performance.now() - startedAt);
  const atEnd = app.memory();
  if (atEnd) peakRssMb = Math.max(peakRssMb, atEnd.rssMb);
  await pool.destroy();
  const summary = outcomes.toJSON();
  return {
    settings,
    signedIn: sessionCookie !== null,
    requests: {
      scheduled,
      sent,
      skipped,
      completed,
      transportErrors: summary.transportErrors,
      errorSamples: summary.errorSamples,
      perSecond: (completed / sendingMs) * 1000,
    },
    byStatus: summary.byStatus,
    byKind: Object.fromEntries(
      [...byKind].map(([kind, counter]) => {
        const json = counter.toJSON();
        return [kind, json.transportErrors ? { ...json.byStatus, transport: json.transportErrors } : json.byStatus];
      }),
    ),
    latency: latency.summary(),
    memory: { atStart, peakRssMb, atEnd, timeline },
    cpu: cpuUse,
    serverErrorLogLines: app.errorLines,
    serverLogTail: app.recentLog().split("\n"),
  };
}
