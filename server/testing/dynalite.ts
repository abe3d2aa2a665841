import { spawn } from "node:child_process";
import http from "node:http";
import { createRequire } from "node:module";
import { readAnnouncedPort } from "@/server/testing/child-port";
import { CapacityMeter, type DynamoCounters } from "@/server/testing/dynalite-billing";
import { FaultInjector, type FaultSettings, faultSettingsFrom } from "@/server/testing/dynalite-faults";
import { ItemLocks } from "@/server/testing/dynalite-locks";
import { idempotencyWindowMs, TransactionRunner } from "@/server/testing/dynalite-transactions";
import {
  apiPrefix,
  call,
  errorReply,
  itemIdentity,
  type Json,
  jsonReply,
  KeySchemas,
  keyOf,
  type Reply,
  send,
  type Upstream,
} from "@/server/testing/dynalite-upstream";

// A DynamoDB-API server for tests: dynalite (npm) in a child process on a free loopback port,
// behind a front in this process that adds what dynalite lacks and behaves as DynamoDB does
// under concurrency (server/store/README.md, "Emulators", says what is checked where):
//
// - TransactWriteItems with optimistic concurrency, read-committed visibility and idempotency
//   tokens (dynalite-transactions.ts); plain writes on an item a transaction holds refused with
//   TransactionConflictException, batch writes left unprocessed (dynalite-locks.ts).
// - Fault injection, off by default (dynalite-faults.ts): throttling, conflicts, unprocessed
//   batch items, lost transaction replies; `faults` here, `setFaults()`, or `POST /__faults`.
// - Metering: requests per API operation and the billing units DynamoDB on-demand would charge
//   (dynalite-billing.ts), plus the conflicts and faults the front saw. `GET /__counters` and
//   `POST /__counters/reset` read and zero them over HTTP (scripts/dynalite.ts); DynamoDB's own
//   API is only ever `POST /`, so the two never meet.
//
// The child exits when its stdin closes, so it dies with the test process however that ends.

export type { DynamoCounters } from "@/server/testing/dynalite-billing";
export { dynamoItemBytes } from "@/server/testing/dynalite-billing";
export type { FaultSettings } from "@/server/testing/dynalite-faults";

export type DynaliteServer = {
  /** The endpoint to give clients (the front). */
  endpoint: string;
  /** TransactWriteItems requests the front has seen (committed, cancelled or refused). */
  transactions(): number;
  /** Requests, billing units and front events since the start or the last resetCounters(). */
  counters(): DynamoCounters;
  resetCounters(): void;
  /** Replaces the fault settings (unset fields: no fault); `{}` turns every fault off. */
  setFaults(settings: Partial<FaultSettings>): void;
  stop(): Promise<void>;
};

const childScript = `
const dynalite = require(process.argv[1]);
const server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
server.listen(0, "127.0.0.1", () => process.stdout.write(JSON.stringify({ port: server.address().port }) + "\\n"));
process.stdin.on("end", () => process.exit(0));
process.stdin.resume();
`;

const countersPath = "/__counters";
const faultsPath = "/__faults";
/** Operations on items, where throttling and conflicts apply (not the control plane). */
const itemOperations = new Set([
  "GetItem",
  "PutItem",
  "UpdateItem",
  "DeleteItem",
  "Query",
  "Scan",
  "BatchGetItem",
  "BatchWriteItem",
]);
const plainWrites = new Set(["PutItem", "UpdateItem", "DeleteItem"]);
const batchWriteLimit = 25;
const batchGetLimit = 100;

type Outcome = { reply: Reply; loseReply?: boolean };

export async function startDynalite({
  startTimeoutMs = 10_000,
  /** The front's port on 127.0.0.1; a free one by default. */
  port: frontPort = 0,
  faults: initialFaults = {},
  /** How long a committed transaction's token is remembered (DynamoDB: 10 minutes). */
  tokenWindowMs = idempotencyWindowMs,
}: {
  startTimeoutMs?: number;
  port?: number;
  faults?: Partial<FaultSettings>;
  tokenWindowMs?: number;
} = {}): Promise<DynaliteServer> {
  const dynalitePath = createRequire(import.meta.url).resolve("dynalite");
  const child = spawn(process.execPath, ["-e", childScript, dynalitePath], { stdio: ["pipe", "pipe", "pipe"] });
  const killChild = () => child.kill("SIGKILL");
  process.once("exit", killChild);
  let port: number;
  try {
    port = await readAnnouncedPort(child, "dynalite", startTimeoutMs);
  } catch (error) {
    killChild();
    process.off("exit", killChild);
    throw error;
  }
  // A forgotten stop() must not keep the test process alive; stdin closing at exit ends the child.
  child.unref();
  for (const stream of [child.stdin, child.stdout, child.stderr])
    (stream as unknown as { unref?: () => void }).unref?.();

  const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
  const upstream: Upstream = { port, agent };
  const meter = new CapacityMeter();
  const faults = new FaultInjector(initialFaults);
  const locks = new ItemLocks();
  const schemas = new KeySchemas(upstream);
  const transactions = new TransactionRunner(upstream, schemas, locks, faults, meter, tokenWindowMs);
  const items = new ItemRequests(upstream, schemas, locks, faults, meter);

  const front = http.createServer((req, res) => {
    if (req.url?.startsWith(countersPath)) {
      serveCounters(req, res, meter);
      return;
    }
    if (req.url?.startsWith(faultsPath)) {
      serveFaults(req, res, faults);
      return;
    }
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const body = Buffer.concat(chunks);
      const target = String(req.headers["x-amz-target"] ?? "");
      const operation = target.startsWith(`${apiPrefix}.`) ? target.slice(apiPrefix.length + 1) : target;
      const work: Promise<Outcome> =
        operation === "TransactWriteItems" ? transactions.run(req.headers, body) : items.handle(operation, req, body);
      work.then(
        ({ reply, loseReply }) => {
          // The work is done; the client never hears of it and retries (with the same token).
          if (loseReply) res.socket?.destroy();
          else {
            res.writeHead(reply.status, reply.headers);
            res.end(reply.body);
          }
        },
        (error: unknown) => {
          res.writeHead(500, { "content-type": "text/plain" });
          res.end(String(error));
        },
      );
    });
  });
  try {
    await new Promise<void>((resolve, reject) => {
      front.once("error", reject);
      front.listen(frontPort, "127.0.0.1", resolve);
    });
  } catch (error) {
    killChild();
    process.off("exit", killChild);
    throw error;
  }
  front.unref();
  const address = front.address();
  if (!address || typeof address === "string") throw new Error("dynalite front has no port");

  let stopped: Promise<void> | null = null;
  return {
    endpoint: `http://127.0.0.1:${address.port}`,
    transactions: () => transactions.count,
    counters: () => meter.snapshot(),
    resetCounters: () => meter.reset(),
    setFaults: (settings) => faults.set(settings),
    stop() {
      stopped ??= (async () => {
        front.closeAllConnections();
        await new Promise<void>((resolve) => front.close(() => resolve()));
        agent.destroy();
        const exited = new Promise<void>((resolve) => {
          if (child.exitCode !== null || child.signalCode !== null) resolve();
          else child.once("exit", () => resolve());
        });
        killChild();
        process.off("exit", killChild);
        await exited;
      })();
      return stopped;
    },
  };
}

/** Every request but TransactWriteItems: conflicts with transactions in flight, faults, metering. */
class ItemRequests {
  constructor(
    private readonly upstream: Upstream,
    private readonly schemas: KeySchemas,
    private readonly locks: ItemLocks,
    private readonly faults: FaultInjector,
    private readonly meter: CapacityMeter,
  ) {}

  async handle(operation: string, req: http.IncomingMessage, body: Buffer): Promise<Outcome> {
    const reply = await this.answer(operation, req, body);
    this.meter.plain(operation, body, reply.status, reply.body);
    // A put that landed, its answer lost: the SDK sends it again, and it meets its own item.
    const loseReply = operation === "PutItem" && reply.status === 200 && this.faults.hits("lostReply", operation);
    return { reply, loseReply };
  }

  private async answer(operation: string, req: http.IncomingMessage, body: Buffer): Promise<Reply> {
    const pass = () => send(this.upstream, req.method ?? "POST", req.url ?? "/", req.headers, body);
    if (!itemOperations.has(operation)) {
      if (operation === "DeleteTable" || operation === "CreateTable") {
        this.schemas.forget(String((JSON.parse(body.toString()) as Json).TableName));
      }
      return pass();
    }
    if (this.faults.hits("throttle", operation)) {
      this.meter.event("injectedThrottles");
      return this.faults.pick(2) === 0
        ? errorReply("ThrottlingException", "Rate of requests exceeds the allowed throughput.")
        : errorReply(
            "ProvisionedThroughputExceededException",
            "The level of configured provisioned throughput for the table was exceeded.",
          );
    }
    const input = JSON.parse(body.toString()) as Json;
    if (plainWrites.has(operation)) return this.plainWrite(operation, req.headers, input, pass);
    if (operation === "BatchWriteItem") return this.batchWrite(req.headers, input, pass);
    if (operation === "BatchGetItem") return this.batchGet(req.headers, input, pass);
    return pass();
  }

  private async plainWrite(
    operation: string,
    headers: http.IncomingHttpHeaders,
    input: Json,
    pass: () => Promise<Reply>,
  ): Promise<Reply> {
    const table = String(input.TableName);
    const keys = await this.schemas.keysOf(headers, table);
    // No such table (or no key): dynalite's own answer.
    const key = keys && (operation === "PutItem" ? keyOf((input.Item as Json) ?? {}, keys) : (input.Key as Json));
    if (!key) return pass();
    const identity = itemIdentity(table, key);
    const conflict = (event: "writeConflicts" | "injectedConflicts") => {
      this.meter.event(event);
      return errorReply("TransactionConflictException", "Transaction is ongoing for the item");
    };
    if (this.locks.isHeld(identity)) return conflict("writeConflicts");
    if (this.faults.hits("conflict", operation)) return conflict("injectedConflicts");
    const landed = this.locks.beginWrite([identity]);
    try {
      return await pass();
    } finally {
      landed();
    }
  }

  /** Requests on items a transaction holds, and injected ones, come back in UnprocessedItems. */
  private async batchWrite(headers: http.IncomingHttpHeaders, input: Json, pass: () => Promise<Reply>): Promise<Reply> {
    const byTable = (input.RequestItems as Record<string, Json[]> | undefined) ?? {};
    const all = Object.values(byTable).flat();
    if (all.length === 0 || all.length > batchWriteLimit) return pass();
    const kept: Record<string, Json[]> = {};
    const unprocessed: Record<string, Json[]> = {};
    const identities: string[] = [];
    // Key schemas first: from the first held-item check to beginWrite nothing may await.
    const keysByTable = new Map<string, string[]>();
    for (const table of Object.keys(byTable)) {
      const keys = await this.schemas.keysOf(headers, table);
      if (!keys) return pass();
      keysByTable.set(table, keys);
    }
    for (const [table, writes] of Object.entries(byTable)) {
      const keys = keysByTable.get(table) ?? [];
      for (const write of writes) {
        const put = write.PutRequest as Json | undefined;
        const key = put ? keyOf(put.Item as Json, keys) : ((write.DeleteRequest as Json | undefined)?.Key as Json);
        const identity = itemIdentity(table, key ?? {});
        let leave = false;
        if (this.locks.isHeld(identity)) {
          this.meter.event("batchConflicts");
          leave = true;
        } else if (this.faults.hits("unprocessed", "BatchWriteItem")) {
          this.meter.event("injectedUnprocessed");
          leave = true;
        }
        const into = leave ? unprocessed : kept;
        into[table] = [...(into[table] ?? []), write];
        if (!leave) identities.push(identity);
      }
    }
    const landed = this.locks.beginWrite(identities);
    try {
      if (!Object.keys(unprocessed).length) return await pass();
      if (!identities.length) return jsonReply(200, { UnprocessedItems: unprocessed });
      const result = await call(this.upstream, headers, "BatchWriteItem", { ...input, RequestItems: kept });
      if (!result.ok) return result.raw;
      const merged = { ...((result.data.UnprocessedItems as Record<string, Json[]>) ?? {}) };
      for (const [table, writes] of Object.entries(unprocessed)) merged[table] = [...(merged[table] ?? []), ...writes];
      return jsonReply(200, { ...result.data, UnprocessedItems: merged });
    } finally {
      landed();
    }
  }

  /** Injected only: reads never wait for transactions (read-committed). */
  private async batchGet(headers: http.IncomingHttpHeaders, input: Json, pass: () => Promise<Reply>): Promise<Reply> {
    const byTable = (input.RequestItems as Record<string, Json> | undefined) ?? {};
    const count = Object.values(byTable).reduce((sum, t) => sum + ((t.Keys as Json[] | undefined)?.length ?? 0), 0);
    if (count === 0 || count > batchGetLimit) return pass();
    const kept: Record<string, Json> = {};
    const unprocessed: Record<string, Json> = {};
    for (const [table, request] of Object.entries(byTable)) {
      const keys = (request.Keys as Json[] | undefined) ?? [];
      const [stay, leave] = [[] as Json[], [] as Json[]];
      for (const key of keys) (this.faults.hits("unprocessed", "BatchGetItem") ? leave : stay).push(key);
      if (stay.length) kept[table] = { ...request, Keys: stay };
      if (leave.length) unprocessed[table] = { ...request, Keys: leave };
    }
    const left = Object.values(unprocessed).reduce((sum, t) => sum + (t.Keys as Json[]).length, 0);
    if (left === 0) return pass();
    this.meter.event("injectedUnprocessed", left);
    if (!Object.keys(kept).length) return jsonReply(200, { Responses: {}, UnprocessedKeys: unprocessed });
    const result = await call(this.upstream, headers, "BatchGetItem", { ...input, RequestItems: kept });
    if (!result.ok) return result.raw;
    const merged = { ...((result.data.UnprocessedKeys as Record<string, Json>) ?? {}) };
    for (const [table, request] of Object.entries(unprocessed)) {
      const before = (merged[table]?.Keys as Json[] | undefined) ?? [];
      merged[table] = { ...request, Keys: [...before, ...(request.Keys as Json[])] };
    }
    return jsonReply(200, { ...result.data, UnprocessedKeys: merged });
  }
}

/** GET /__counters: the counters as JSON; POST /__counters/reset: zero them (answers the last ones). */
function serveCounters(req: http.IncomingMessage, res: http.ServerResponse, meter: CapacityMeter): void {
  req.resume();
  const path = (req.url ?? "").split("?")[0];
  if (req.method === "GET" && path === countersPath) {
    answer(res, 200, meter.snapshot());
  } else if (req.method === "POST" && path === `${countersPath}/reset`) {
    const last = meter.snapshot();
    meter.reset();
    answer(res, 200, last);
  } else answer(res, 404, { error: `no ${req.method} ${path}: GET ${countersPath} or POST ${countersPath}/reset` });
}

/** GET /__faults: the settings; POST /__faults with a JSON object or spec string: replace them. */
function serveFaults(req: http.IncomingMessage, res: http.ServerResponse, faults: FaultInjector): void {
  const chunks: Buffer[] = [];
  req.on("data", (chunk: Buffer) => chunks.push(chunk));
  req.on("end", () => {
    const path = (req.url ?? "").split("?")[0];
    if (path !== faultsPath || (req.method !== "GET" && req.method !== "POST")) {
      answer(res, 404, { error: `no ${req.method} ${path}: GET or POST ${faultsPath}` });
      return;
    }
    if (req.method === "POST") {
      try {
        const text = Buffer.concat(chunks).toString().trim();
        faults.set(faultSettingsFrom(text.startsWith("{") ? JSON.parse(text) : text));
      } catch (error) {
        answer(res, 400, { error: error instanceof Error ? error.message : String(error) });
        return;
      }
    }
    answer(res, 200, faults.current());
  });
}

function answer(res: http.ServerResponse, status: number, data: unknown): void {
  const body = JSON.stringify(data);
  res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(body) });
  res.end(body);
}
