import { performance } from "node:perf_hooks";
import { type Dispatcher, Pool } from "undici";

// The load generator shared by every scenario (and by the bare baseline, so ratios compare
// like with like): an undici Pool with keep-alive, exchanges that reuse one handler object
// per in-flight slot, and latencies kept in a growable Float64Array.

export type PoolSettings = { connections: number; pipelining: number };

export function createPool(origin: string, settings: PoolSettings): Pool {
  return new Pool(origin, {
    connections: settings.connections,
    pipelining: settings.pipelining,
    keepAliveTimeout: 60_000,
    headersTimeout: 30_000,
    bodyTimeout: 30_000,
  });
}

/**
 * Request options for a POST the generator may pipeline: undici holds back non-idempotent or
 * blocking requests until the previous one on the connection completes.
 */
export function postOptions(path: string, headers: Record<string, string> = {}): Dispatcher.DispatchOptions {
  return { path, method: "POST", headers, idempotent: true, blocking: false };
}

export type LatencySummary = {
  count: number;
  meanMs: number;
  p50Ms: number;
  p90Ms: number;
  p99Ms: number;
  p999Ms: number;
  maxMs: number;
};

/** Latencies in milliseconds; percentiles by nearest rank over a sorted copy. */
export class LatencyRecorder {
  private values = new Float64Array(1 << 14);
  private n = 0;

  get count(): number {
    return this.n;
  }

  reset(): void {
    this.n = 0;
  }

  record(ms: number): void {
    if (this.n === this.values.length) {
      const grown = new Float64Array(this.n * 2);
      grown.set(this.values);
      this.values = grown;
    }
    this.values[this.n++] = ms;
  }

  /** Adds every value of the others (for an "all kinds" view). */
  static merged(parts: LatencyRecorder[]): LatencyRecorder {
    const all = new LatencyRecorder();
    for (const part of parts) for (let i = 0; i < part.n; i++) all.record(part.values[i] as number);
    return all;
  }

  summary(): LatencySummary {
    const n = this.n;
    if (n === 0) return { count: 0, meanMs: 0, p50Ms: 0, p90Ms: 0, p99Ms: 0, p999Ms: 0, maxMs: 0 };
    const sorted = this.values.slice(0, n).sort();
    let sum = 0;
    for (let i = 0; i < n; i++) sum += sorted[i] as number;
    const at = (p: number) => sorted[Math.min(n - 1, Math.max(0, Math.ceil(p * n) - 1))] as number;
    return {
      count: n,
      meanMs: sum / n,
      p50Ms: at(0.5),
      p90Ms: at(0.9),
      p99Ms: at(0.99),
      p999Ms: at(0.999),
      maxMs: sorted[n - 1] as number,
    };
  }
}

/** Counts answers by status code and transport errors by message (first few kept verbatim). */
export class OutcomeCounter {
  readonly byStatus = new Map<number, number>();
  transportErrors = 0;
  readonly errorSamples: string[] = [];

  status(code: number): void {
    this.byStatus.set(code, (this.byStatus.get(code) ?? 0) + 1);
  }

  transport(error: Error): void {
    this.transportErrors++;
    if (this.errorSamples.length < 5) this.errorSamples.push(`${error.name}: ${error.message}`);
  }

  count(predicate: (code: number) => boolean): number {
    let total = 0;
    for (const [code, n] of this.byStatus) if (predicate(code)) total += n;
    return total;
  }

  toJSON(): { byStatus: Record<string, number>; transportErrors: number; errorSamples: string[] } {
    return {
      byStatus: Object.fromEntries([...this.byStatus].map(([k, v]) => [String(k), v])),
      transportErrors: this.transportErrors,
      errorSamples: this.errorSamples,
    };
  }
}

/**
 * The receiving end of one exchange, reused for the next one: the generator allocates no
 * closure per request. Uses undici's raw handler interface (onConnect/onHeaders/onData/
 * onComplete/onError), which skips parsing response headers into an object per reply; the
 * newer onResponse* interface wraps each request in an adapter that does.
 */
export abstract class Exchange implements Dispatcher.DispatchHandler {
  protected sentAt = 0;
  private statusCode = 0;
  private readonly chunks: Buffer[] = [];

  constructor(private readonly keepBody: boolean) {}

  protected send(dispatcher: Dispatcher, options: Dispatcher.DispatchOptions): void {
    this.statusCode = 0;
    this.chunks.length = 0;
    this.sentAt = performance.now();
    dispatcher.dispatch(options, this);
  }

  onConnect(): void {}

  onHeaders(statusCode: number): boolean {
    this.statusCode = statusCode;
    return true;
  }

  onData(chunk: Buffer): boolean {
    if (this.keepBody) this.chunks.push(chunk);
    return true;
  }

  onComplete(): void {
    const latencyMs = performance.now() - this.sentAt;
    let body: Buffer | null = null;
    if (this.keepBody) body = this.chunks.length === 1 ? (this.chunks[0] as Buffer) : Buffer.concat(this.chunks);
    this.completed(this.statusCode, latencyMs, body);
  }

  onError(error: Error): void {
    this.failed(error, performance.now() - this.sentAt);
  }

  protected abstract completed(statusCode: number, latencyMs: number, body: Buffer | null): void;
  protected abstract failed(error: Error, latencyMs: number): void;
}

export type ClosedLoopOptions = {
  dispatcher: Dispatcher;
  /** Requests kept in flight at once. */
  inflight: number;
  /** Stop issuing after this long... */
  durationMs: number;
  /** ...or after this many requests, whichever comes first. */
  maxRequests: number;
  /** Options of request number n (0-based); precomputed objects, not built per call. */
  requestFor: (n: number) => Dispatcher.DispatchOptions;
  keepBody: boolean;
  /** Called with each reply (not for transport errors). */
  onReply?: (n: number, statusCode: number, body: Buffer | null) => void;
  /** Status codes that count as success. */
  isOk?: (statusCode: number) => boolean;
};

export type ClosedLoopResult = {
  requests: number;
  ok: number;
  errors: number;
  elapsedMs: number;
  requestsPerSecond: number;
  latency: LatencySummary;
  outcomes: ReturnType<OutcomeCounter["toJSON"]>;
};

/** A closed loop: each slot sends its next request as soon as the previous one is answered. */
export function runClosedLoop(options: ClosedLoopOptions): Promise<ClosedLoopResult> {
  return new ClosedLoop(options).run();
}

class ClosedLoop {
  readonly latency = new LatencyRecorder();
  readonly outcomes = new OutcomeCounter();
  private issued = 0;
  private finished = 0;
  private ok = 0;
  /** Slots not yet retired; the loop ends when the last one retires. */
  private slots = 0;
  private startedAt = 0;
  private lastDoneAt = 0;
  private deadline = 0;
  private resolve: (() => void) | null = null;
  readonly isOk: (statusCode: number) => boolean;

  constructor(readonly options: ClosedLoopOptions) {
    this.isOk = options.isOk ?? ((code) => code >= 200 && code < 300);
  }

  async run(): Promise<ClosedLoopResult> {
    this.startedAt = performance.now();
    this.lastDoneAt = this.startedAt;
    this.deadline = this.startedAt + this.options.durationMs;
    const done = new Promise<void>((resolve) => {
      this.resolve = resolve;
    });
    this.slots = Math.max(1, this.options.inflight);
    for (let i = 0; i < this.slots; i++) new LoopSlot(this).next();
    await done;
    const elapsedMs = this.lastDoneAt - this.startedAt;
    return {
      requests: this.finished,
      ok: this.ok,
      errors: this.finished - this.ok,
      elapsedMs,
      requestsPerSecond: elapsedMs > 0 ? (this.finished / elapsedMs) * 1000 : 0,
      latency: this.latency.summary(),
      outcomes: this.outcomes.toJSON(),
    };
  }

  /** The number of the next request, or -1 once the loop is over (the slot retires). */
  claim(): number {
    if (this.issued >= this.options.maxRequests || performance.now() >= this.deadline) return -1;
    return this.issued++;
  }

  settle(latencyMs: number, ok: boolean): void {
    this.finished++;
    if (ok) this.ok++;
    this.latency.record(latencyMs);
    this.lastDoneAt = performance.now();
  }

  retireSlot(): void {
    this.slots--;
    if (this.slots === 0) this.resolve?.();
  }
}

class LoopSlot extends Exchange {
  private n = -1;

  constructor(private readonly loop: ClosedLoop) {
    super(loop.options.keepBody);
  }

  next(): void {
    this.n = this.loop.claim();
    if (this.n < 0) {
      this.loop.retireSlot();
      return;
    }
    this.send(this.loop.options.dispatcher, this.loop.options.requestFor(this.n));
  }

  protected completed(statusCode: number, latencyMs: number, body: Buffer | null): void {
    const loop = this.loop;
    loop.outcomes.status(statusCode);
    loop.settle(latencyMs, loop.isOk(statusCode));
    loop.options.onReply?.(this.n, statusCode, body);
    this.next();
  }

  protected failed(error: Error, latencyMs: number): void {
    this.loop.outcomes.transport(error);
    this.loop.settle(latencyMs, false);
    // Back off a little so a dead server does not turn the loop into a busy spin.
    setTimeout(() => this.next(), 10);
  }
}

/** Decodes a JWT's payload (no signature check: the bench only reads its own tokens). */
export function jwtPayload(token: string): Record<string, unknown> | null {
  const middle = token.split(".")[1];
  if (!middle) return null;
  try {
    const parsed: unknown = JSON.parse(Buffer.from(middle, "base64url").toString("utf8"));
    return typeof parsed === "object" && parsed !== null ? (parsed as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

/** Parses a JSON object body; null when it is not one. */
export function jsonObject(body: Buffer | null): Record<string, unknown> | null {
  if (!body || body.length === 0) return null;
  try {
    const parsed: unknown = JSON.parse(body.toString("utf8"));
    return typeof parsed === "object" && parsed !== null ? (parsed as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}
