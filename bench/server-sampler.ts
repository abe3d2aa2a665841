import { performance } from "node:perf_hooks";
import { setTimeout as sleep } from "node:timers/promises";
import { Client } from "undici";
import type { LatencyRecorder } from "@/bench/load";
import type { ManagedProcess } from "@/bench/server-process";

// Watches the server from the outside while a scenario runs: its Prometheus counters, and
// how long it takes to answer GET /healthz (answered synchronously by the gate, so that
// latency is the server's event-loop delay). Each on its own keep-alive connection.

export type MetricsSample = {
  atMs: number;
  active: number;
  waiting: number;
  maxActiveObserved: number;
  admittedTotal: number;
  expiredTotal: number;
  leftTotal: number;
  arrivedTotal: number;
  evictedTotal: number;
  /** V8 heap used, when the server exports prom-client's default metrics (else NaN). */
  heapUsedBytes: number;
};

/** Scrapes /metrics on its own connection, never overlapping, every `everyMs`. */
export class MetricsSampler {
  private readonly client: Client;
  private timer: NodeJS.Timeout | null = null;
  private busy = false;
  private t0 = performance.now();

  private readonly probeClient: Client;
  private probing = false;

  constructor(
    app: ManagedProcess,
    private readonly everyMs: number,
    private readonly samples: MetricsSample[],
    private readonly probeLatency: LatencyRecorder,
    private readonly stalls: [number, number][],
  ) {
    this.client = new Client(app.origin, { keepAliveTimeout: 60_000 });
    this.probeClient = new Client(app.origin, { keepAliveTimeout: 60_000 });
  }

  /** Opens both connections before the crowd comes, so the first samples do not queue behind it. */
  async connect(): Promise<void> {
    await this.scrape();
    await this.probe();
    this.samples.length = 0;
    this.probeLatency.reset();
    this.stalls.length = 0;
  }

  start(): void {
    this.t0 = performance.now();
    this.timer = setInterval(() => {
      void this.scrape();
      void this.probe();
    }, this.everyMs);
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    while (this.busy || this.probing) await sleep(10);
    await this.scrape();
    await Promise.all([this.client.close(), this.probeClient.close()]);
  }

  /** /healthz is answered synchronously by the gate: its latency is the server's event-loop delay. */
  private async probe(): Promise<void> {
    if (this.probing) return;
    this.probing = true;
    const sentAt = performance.now();
    try {
      const res = await this.probeClient.request({ path: "/healthz", method: "GET", headersTimeout: 30_000 });
      await res.body.dump();
      const latencyMs = performance.now() - sentAt;
      this.probeLatency.record(latencyMs);
      if (latencyMs > 100) this.stalls.push([Math.round((sentAt - this.t0) / 100) / 10, Math.round(latencyMs)]);
    } catch {
      // Counted as missing; the next probe follows.
    } finally {
      this.probing = false;
    }
  }

  private async scrape(): Promise<void> {
    if (this.busy) return;
    this.busy = true;
    try {
      const res = await this.client.request({ path: "/metrics", method: "GET", headersTimeout: 5_000 });
      const text = await res.body.text();
      if (res.statusCode !== 200) return;
      const value = (name: string) => {
        const match = new RegExp(`^${name}\\{room="default"\\} (\\S+)$`, "m").exec(text);
        return match ? Number(match[1]) : Number.NaN;
      };
      this.samples.push({
        atMs: performance.now() - this.t0,
        active: value("floodgate_room_active"),
        waiting: value("floodgate_room_waiting"),
        maxActiveObserved: value("floodgate_room_max_active_observed"),
        admittedTotal: value("floodgate_room_admitted_total"),
        expiredTotal: value("floodgate_room_expired_total"),
        leftTotal: value("floodgate_room_left_total"),
        arrivedTotal: value("floodgate_room_arrived_total"),
        evictedTotal: value("floodgate_room_evicted_total"),
        heapUsedBytes: Number(/^nodejs_heap_size_used_bytes (\S+)$/m.exec(text)?.[1] ?? Number.NaN),
      });
    } catch {
      // A missed sample; the next one follows.
    } finally {
      this.busy = false;
    }
  }
}
