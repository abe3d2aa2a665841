import { request } from "undici";
import type { AppStore, ManagedProcess } from "@/bench/server-process";
import { startDynamoProcess } from "@/bench/server-process";
import type { DynamoCounters } from "@/server/testing/dynalite";

// The bench's DynamoDB: dynalite behind the counting front (scripts/dynalite.ts) in a child
// process of its own, so its CPU is not the generator's, and its counters read over HTTP. One
// per scenario; every app started on it gets a fresh table.

export type { DynamoCounters } from "@/server/testing/dynalite";

export class BenchDynamo {
  private tables = 0;

  private constructor(
    readonly endpoint: string,
    private readonly proc: ManagedProcess,
  ) {}

  static async start(): Promise<BenchDynamo> {
    const { proc, endpoint } = await startDynamoProcess();
    return new BenchDynamo(endpoint, proc);
  }

  /** A table nobody has used: the app creates it on start (FLOODGATE_DYNAMODB_CREATE_TABLE). */
  freshStore(label: string): AppStore {
    this.tables++;
    return { kind: "dynamodb", endpoint: this.endpoint, tableName: `bench-${label}-${this.tables}-${Date.now()}` };
  }

  /** Requests and billing units since the last reset. */
  counters(): Promise<DynamoCounters> {
    return this.call("GET", "/__counters");
  }

  /** Zeroes the counters; answers what they held. */
  reset(): Promise<DynamoCounters> {
    return this.call("POST", "/__counters/reset");
  }

  /** CPU seconds of the front and dynalite together. */
  cpuSeconds(): number | null {
    return this.proc.treeCpuSeconds();
  }

  stop(): Promise<void> {
    return this.proc.stop();
  }

  private async call(method: "GET" | "POST", path: string): Promise<DynamoCounters> {
    const res = await request(`${this.endpoint}${path}`, { method, headersTimeout: 10_000 });
    if (res.statusCode !== 200) throw new Error(`${method} ${path}: ${res.statusCode} ${await res.body.text()}`);
    return (await res.body.json()) as DynamoCounters;
  }
}

/** A phase's counters reduced to what the report prints. */
export type DynamoPhase = {
  elapsedMs: number;
  requests: number;
  writeUnits: number;
  readUnits: number;
  counters: DynamoCounters;
};

export function dynamoPhase(counters: DynamoCounters): DynamoPhase {
  return {
    elapsedMs: counters.atMs - counters.sinceMs,
    requests: counters.requests,
    writeUnits: counters.writeUnits,
    readUnits: counters.readUnits,
    counters,
  };
}

/** Waits until the store has had no request for half a second (at most 30 s): the app's write queue drained. */
export async function waitForQuietStore(dynamo: BenchDynamo): Promise<void> {
  const until = Date.now() + 30_000;
  let last = (await dynamo.counters()).requests;
  while (Date.now() < until) {
    await new Promise((resolve) => setTimeout(resolve, 500));
    const now = (await dynamo.counters()).requests;
    if (now === last) return;
    last = now;
  }
}

/** CPU of a process tree between laps, in % of one core. */
export function cpuMeter(read: () => number | null): { lap(): number | null } {
  let seconds = read();
  let at = Date.now();
  return {
    lap() {
      const nowSeconds = read();
      const now = Date.now();
      const percent =
        seconds === null || nowSeconds === null ? null : ((nowSeconds - seconds) / Math.max(now - at, 1)) * 100_000;
      seconds = nowSeconds;
      at = now;
      return percent;
    },
  };
}
