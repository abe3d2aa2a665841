import { spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import http from "node:http";
import { createRequire } from "node:module";
import { crc32 } from "node:zlib";
import { readAnnouncedPort } from "@/server/testing/child-port";

// A DynamoDB-API server for tests: dynalite (npm) in a child process on a free loopback port,
// behind a small front in this process that adds the one API dynalite lacks, TransactWriteItems.
//
// The front runs a transaction's items against dynalite itself (so every condition
// and update expression is dynalite's own evaluation), with ReturnValues ALL_OLD, and puts the
// old images back if any condition failed. It holds an exclusive lock meanwhile and every
// other request a shared one, so nobody sees a transaction half done: atomic and isolated,
// as DynamoDB's are. Validation follows DynamoDB's (at most 100 items, one operation per item)
// and a cancellation carries CancellationReasons, one per item, in order.
//
// The front also meters what the same calls would cost on DynamoDB on-demand (bench, cost
// figures): requests per API operation and the billing units AWS would charge for them
// (CapacityMeter, below). `GET /__counters` and `POST /__counters/reset` on the endpoint read and
// zero them over HTTP, for other processes (scripts/dynalite.ts); DynamoDB's own API is only
// ever `POST /`, so the two never meet.
//
// The child exits when its stdin closes, so it dies with the test process however that ends.

export type DynaliteServer = {
  /** The endpoint to give clients (the front). */
  endpoint: string;
  /** Transactions the front has run (committed or cancelled), for tests that count them. */
  transactions(): number;
  /** Requests and billing units since the start or the last resetCounters(). */
  counters(): DynamoCounters;
  resetCounters(): void;
  stop(): Promise<void>;
};

const childScript = `
const dynalite = require(process.argv[1]);
const server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
server.listen(0, "127.0.0.1", () => process.stdout.write(JSON.stringify({ port: server.address().port }) + "\\n"));
process.stdin.on("end", () => process.exit(0));
process.stdin.resume();
`;

const maxTransactionItems = 100;
const apiPrefix = "DynamoDB_20120810";

export async function startDynalite({
  startTimeoutMs = 10_000,
  /** The front's port on 127.0.0.1; a free one by default. */
  port: frontPort = 0,
}: {
  startTimeoutMs?: number;
  port?: number;
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
  const upstream = { port, agent };
  const lock = new ReadWriteLock();
  const keySchemas = new Map<string, string[]>();
  let transactionCount = 0;
  const meter = new CapacityMeter();

  const front = http.createServer((req, res) => {
    if (req.url?.startsWith(countersPath)) {
      serveCounters(req, res, meter);
      return;
    }
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const body = Buffer.concat(chunks);
      const target = String(req.headers["x-amz-target"] ?? "");
      const operation = target.startsWith(`${apiPrefix}.`) ? target.slice(apiPrefix.length + 1) : target;
      const work =
        operation === "TransactWriteItems"
          ? lock.exclusive(async () => {
              transactionCount++;
              let charged = false;
              const reply = await transactWrite(upstream, req.headers, body, keySchemas, (charge) => {
                charged = true;
                meter.transaction(charge);
              });
              // Refused before any item ran (validation): a request, no units.
              if (!charged) meter.plain(operation, body, reply.status, reply.body);
              return reply;
            })
          : lock.shared(async () => {
              const reply = await send(upstream, req.method ?? "POST", req.url ?? "/", req.headers, body);
              meter.plain(operation, body, reply.status, reply.body);
              return reply;
            });
      work.then(
        (reply) => {
          res.writeHead(reply.status, reply.headers);
          res.end(reply.body);
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
    transactions: () => transactionCount,
    counters: () => meter.snapshot(),
    resetCounters: () => meter.reset(),
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

const countersPath = "/__counters";

/** GET /__counters: the counters as JSON; POST /__counters/reset: zero them (answers the last ones). */
function serveCounters(req: http.IncomingMessage, res: http.ServerResponse, meter: CapacityMeter): void {
  req.resume();
  const answer = (status: number, data: unknown) => {
    const body = JSON.stringify(data);
    res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(body) });
    res.end(body);
  };
  const path = (req.url ?? "").split("?")[0];
  if (req.method === "GET" && path === countersPath) {
    answer(200, meter.snapshot());
  } else if (req.method === "POST" && path === `${countersPath}/reset`) {
    const last = meter.snapshot();
    meter.reset();
    answer(200, last);
  } else answer(404, { error: `no ${req.method} ${path}: GET ${countersPath} or POST ${countersPath}/reset` });
}

type Reply = { status: number; headers: Record<string, string>; body: Buffer };
type Upstream = { port: number; agent: http.Agent };

function send(
  upstream: Upstream,
  method: string,
  path: string,
  headers: http.IncomingHttpHeaders,
  body: Buffer,
): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const request = http.request(
      { host: "127.0.0.1", port: upstream.port, method, path, headers, agent: upstream.agent, timeout: 30_000 },
      (response) => {
        const chunks: Buffer[] = [];
        response.on("data", (chunk: Buffer) => chunks.push(chunk));
        response.on("end", () => {
          const out: Record<string, string> = {};
          for (const [name, value] of Object.entries(response.headers)) {
            if (typeof value === "string" && name !== "connection" && name !== "keep-alive") out[name] = value;
          }
          resolve({ status: response.statusCode ?? 500, headers: out, body: Buffer.concat(chunks) });
        });
        response.on("error", reject);
      },
    );
    request.on("timeout", () => request.destroy(new Error("dynalite did not answer within 30 s")));
    request.on("error", reject);
    request.end(body);
  });
}

type Json = Record<string, unknown>;

/** One DynamoDB call to dynalite with the caller's (unverified) signature headers. */
async function call(
  upstream: Upstream,
  headers: http.IncomingHttpHeaders,
  operation: string,
  input: Json,
): Promise<{ ok: boolean; status: number; data: Json; raw: Reply }> {
  const body = Buffer.from(JSON.stringify(input));
  const reply = await send(
    upstream,
    "POST",
    "/",
    {
      authorization: headers.authorization,
      "x-amz-date": headers["x-amz-date"],
      "content-type": "application/x-amz-json-1.0",
      "x-amz-target": `${apiPrefix}.${operation}`,
      "content-length": String(body.length),
    },
    body,
  );
  const data = (reply.body.length ? JSON.parse(reply.body.toString()) : {}) as Json;
  return { ok: reply.status === 200, status: reply.status, data, raw: reply };
}

function jsonReply(status: number, data: Json): Reply {
  const body = Buffer.from(JSON.stringify(data));
  return {
    status,
    headers: {
      "content-type": "application/x-amz-json-1.0",
      "x-amzn-requestid": randomUUID(),
      "x-amz-crc32": String(crc32(body)),
    },
    body,
  };
}

function validationError(message: string): Reply {
  return jsonReply(400, { __type: "com.amazon.coral.validate#ValidationException", message });
}

type Applied = { table: string; key: Json; old: Json | undefined; removeAfter: boolean };

async function transactWrite(
  upstream: Upstream,
  headers: http.IncomingHttpHeaders,
  body: Buffer,
  keySchemas: Map<string, string[]>,
  charge: (charge: TransactionCharge) => void,
): Promise<Reply> {
  const input = JSON.parse(body.toString()) as { TransactItems?: Json[] };
  const items = input.TransactItems ?? [];
  if (items.length < 1 || items.length > maxTransactionItems) {
    return validationError(
      `1 validation error detected: Value at 'transactItems' failed to satisfy constraint: Member must have length between 1 and ${maxTransactionItems}`,
    );
  }
  const steps: {
    kind: string;
    operation: string;
    request: Json;
    table: string;
    key: Json;
    check: boolean;
    /** ReturnValuesOnConditionCheckFailure ALL_OLD: a failed condition's reason carries the item. */
    returnOld?: boolean;
  }[] = [];
  const seen = new Set<string>();
  for (const item of items) {
    const [kind, request] = Object.entries(item)[0] as [string, Json];
    const table = String(request.TableName);
    let key = request.Key as Json | undefined;
    if (kind === "Put") {
      const schema = await keySchemaOf(upstream, headers, table, keySchemas);
      if (!schema) return jsonReply(400, { __type: "com.amazonaws.dynamodb.v20120810#ResourceNotFoundException" });
      const putItem = request.Item as Json;
      key = Object.fromEntries(schema.map((name) => [name, putItem[name]]));
    }
    if (!key) return validationError(`${kind} needs a Key`);
    const identity = `${table}\u0000${JSON.stringify(Object.entries(key).sort(([a], [b]) => a.localeCompare(b)))}`;
    if (seen.has(identity))
      return validationError("Transaction request cannot include multiple operations on one item");
    seen.add(identity);
    // dynalite predates the setting; the front reads the item itself when a condition fails.
    const { ReturnValuesOnConditionCheckFailure: returnValues, ...rest } = request;
    const returnOld = returnValues === "ALL_OLD";
    if (kind === "Put") steps.push({ kind, operation: "PutItem", request: rest, table, key, check: false, returnOld });
    else if (kind === "Delete")
      steps.push({ kind, operation: "DeleteItem", request: rest, table, key, check: false, returnOld });
    else if (kind === "Update")
      steps.push({ kind, operation: "UpdateItem", request: rest, table, key, check: false, returnOld });
    else if (kind === "ConditionCheck") {
      // A condition without a write: an update that changes nothing (and, on a missing item,
      // creates a key-only item, removed again below).
      const names = { ...((rest.ExpressionAttributeNames as Json | undefined) ?? {}), "#txCheck": "__txCheck" };
      steps.push({
        kind,
        operation: "UpdateItem",
        request: { ...rest, UpdateExpression: "REMOVE #txCheck", ExpressionAttributeNames: names },
        table,
        key,
        check: true,
        returnOld,
      });
    } else return validationError(`Unknown transaction item ${kind}`);
  }

  // The items are distinct (checked above), so they can be applied side by side.
  const results = await Promise.all(
    steps.map((step) => call(upstream, headers, step.operation, { ...step.request, ReturnValues: "ALL_OLD" })),
  );
  const applied: Applied[] = [];
  const reasons: Json[] = [];
  // What each item would be billed by: the larger of the item before (the old image, when the
  // step got that far) and the item a Put writes.
  const billed: TransactionCharge["items"] = [];
  let cancelled = false;
  let failure: Reply | null = null;
  results.forEach((result, i) => {
    const step = steps[i] as (typeof steps)[number];
    const putItem = step.kind === "Put" ? (step.request.Item as Json) : undefined;
    if (result.ok) {
      const old = result.data.Attributes as Json | undefined;
      applied.push({ table: step.table, key: step.key, old, removeAfter: step.check && !old });
      reasons.push({ Code: "None" });
      billed.push({ kind: step.kind, before: old, after: putItem });
    } else if (String(result.data.__type).endsWith("#ConditionalCheckFailedException")) {
      cancelled = true;
      reasons.push({ Code: "ConditionalCheckFailed", Message: "The conditional request failed" });
      billed.push({ kind: step.kind, before: undefined, after: putItem });
    } else failure ??= result.raw;
  });
  // Not a condition (a malformed expression, a missing table): undo and pass the error on.
  if (failure) {
    await undo(upstream, headers, applied);
    return failure;
  }
  // A failed condition changed nothing, and no other item of the transaction is the same item,
  // so the item read now is the one the condition saw.
  await Promise.all(
    results.map(async (result, i) => {
      const step = steps[i] as (typeof steps)[number];
      const reason = reasons[i] as Json;
      if (result.ok || !step.returnOld || reason.Code !== "ConditionalCheckFailed") return;
      const got = await mustCall(upstream, headers, "GetItem", {
        TableName: step.table,
        Key: step.key,
        ConsistentRead: true,
      });
      if (got.Item) reason.Item = got.Item;
    }),
  );
  // DynamoDB bills a cancelled transaction's items too.
  charge({ items: billed, committed: !cancelled });
  if (cancelled) {
    await undo(upstream, headers, applied);
    return jsonReply(400, {
      __type: "com.amazonaws.dynamodb.v20120810#TransactionCanceledException",
      message: `Transaction cancelled, please refer cancellation reasons for specific reasons [${reasons.map((r) => r.Code).join(", ")}]`,
      CancellationReasons: reasons,
    });
  }
  await Promise.all(
    applied
      .filter((step) => step.removeAfter)
      .map((step) => mustCall(upstream, headers, "DeleteItem", { TableName: step.table, Key: step.key })),
  );
  return jsonReply(200, {});
}

/** Puts back what the applied steps overwrote. */
async function undo(upstream: Upstream, headers: http.IncomingHttpHeaders, applied: Applied[]): Promise<void> {
  await Promise.all(
    applied.map((step) =>
      step.old
        ? mustCall(upstream, headers, "PutItem", { TableName: step.table, Item: step.old })
        : mustCall(upstream, headers, "DeleteItem", { TableName: step.table, Key: step.key }),
    ),
  );
}

async function mustCall(upstream: Upstream, headers: http.IncomingHttpHeaders, operation: string, input: Json) {
  const result = await call(upstream, headers, operation, input);
  if (!result.ok) throw new Error(`dynalite front: ${operation} failed: ${result.raw.body.toString()}`);
  return result.data;
}

async function keySchemaOf(
  upstream: Upstream,
  headers: http.IncomingHttpHeaders,
  table: string,
  cache: Map<string, string[]>,
): Promise<string[] | null> {
  const known = cache.get(table);
  if (known) return known;
  const result = await call(upstream, headers, "DescribeTable", { TableName: table });
  if (!result.ok) return null;
  const schema = ((result.data.Table as Json).KeySchema as { AttributeName: string }[]).map((k) => k.AttributeName);
  cache.set(table, schema);
  return schema;
}

/** Many shared holders at once, or one exclusive holder; granted in arrival order. */
class ReadWriteLock {
  private readers = 0;
  private writer = false;
  private readonly waiting: { exclusive: boolean; grant: () => void }[] = [];

  shared<T>(work: () => Promise<T>): Promise<T> {
    return this.run(false, work);
  }

  exclusive<T>(work: () => Promise<T>): Promise<T> {
    return this.run(true, work);
  }

  private async run<T>(exclusive: boolean, work: () => Promise<T>): Promise<T> {
    await new Promise<void>((grant) => {
      this.waiting.push({ exclusive, grant });
      this.pump();
    });
    try {
      return await work();
    } finally {
      if (exclusive) this.writer = false;
      else this.readers--;
      this.pump();
    }
  }

  private pump(): void {
    while (this.waiting.length && !this.writer) {
      const next = this.waiting[0] as { exclusive: boolean; grant: () => void };
      if (next.exclusive) {
        if (this.readers > 0) return;
        this.writer = true;
      } else this.readers++;
      this.waiting.shift();
      next.grant();
    }
  }
}

// ---- Billing units, as DynamoDB on-demand charges them ----
//
// Sources (AWS documentation):
// - On-demand pricing, https://aws.amazon.com/dynamodb/pricing/on-demand/: a write request unit
//   writes an item up to 1 KB, a transactional write takes 2; a strongly consistent read of up
//   to 4 KB takes 1 read request unit, an eventually consistent one half.
// - Developer guide, "DynamoDB read and write operations"
//   (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/read-write-operations.html):
//   PutItem / UpdateItem / DeleteItem by the larger of the item before and after; BatchWriteItem
//   and BatchGetItem item by item, each rounded up on its own; Query by the sum of the items
//   read, rounded up to 4 KB once; a write whose condition fails still consumes write units.
// - Developer guide, "Amazon DynamoDB Transactions: How it works", capacity management
//   (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/transaction-apis.html):
//   "two underlying reads or writes of every item in the transaction: one to prepare the
//   transaction and one to commit"; capacity is consumed even when a transaction does not
//   succeed. A ConditionCheck is an item of the transaction and is billed as a transactional
//   write (2 units per KB), not a read: measured against DynamoDB in
//   https://martinhicks.dev/articles/what-a-conditional-dynamodb-transaction-costs.
//
// Approximations, all of them on the low side and none of them reached by this app's table
// (every item under 1 KB, so every write is 1 unit, 2 in a transaction):
// - item size: DynamoDB's rules (name bytes + value bytes, numbers ~1 byte per 2 digits + 1,
//   3 bytes per list/map + 1 per element) on the images the front sees: a Put's item, the old
//   image a transaction step reads, the Attributes a reply carries. An UpdateItem / DeleteItem
//   outside a transaction whose reply carries no image is billed 1 unit (its size is unknown);
//   an Update's new image is taken as no larger than its old one.
// - reads are billed on the items returned: a ProjectionExpression makes them look smaller
//   than the items DynamoDB reads (it bills the whole item); a key not found costs 1 unit
//   (½ eventually consistent), as a GetItem of a missing item does.

type UnitCount = { requests: number; items: number; writeUnits: number; readUnits: number };

export type DynamoCounters = {
  /** Epoch ms when counting (re)started. */
  sinceMs: number;
  /** Epoch ms of this reading. */
  atMs: number;
  requests: number;
  writeUnits: number;
  readUnits: number;
  /** By API operation (PutItem, TransactWriteItems, Query ...); items = items written or read. */
  operations: Record<string, UnitCount>;
  /**
   * TransactWriteItems by shape: the kinds of its items, sorted and joined ("Put",
   * "Delete+Update", "ConditionCheck+Update"), so a caller can tell arrivals from admissions.
   */
  transactionShapes: Record<string, UnitCount>;
  /** Items of transactions by kind (Put, Update, Delete, ConditionCheck). */
  transactionItems: Record<string, UnitCount>;
  cancelledTransactions: number;
};

export type TransactionCharge = {
  items: { kind: string; before: Json | undefined; after: Json | undefined }[];
  committed: boolean;
};

const kb = 1024;
const writeUnitsOf = (bytes: number) => Math.max(1, Math.ceil(bytes / kb));
const readUnitsOf = (bytes: number, consistent: boolean) =>
  Math.max(1, Math.ceil(bytes / (4 * kb))) * (consistent ? 1 : 0.5);

/** An item's size as DynamoDB counts it (approximate for numbers; see above). */
export function dynamoItemBytes(item: Json | undefined): number {
  if (!item) return 0;
  let bytes = 0;
  for (const [name, value] of Object.entries(item)) bytes += Buffer.byteLength(name) + attributeBytes(value);
  return bytes;
}

function attributeBytes(value: unknown): number {
  if (typeof value !== "object" || value === null) return 0;
  const [type, inner] = Object.entries(value)[0] ?? ["", undefined];
  switch (type) {
    case "S":
      return Buffer.byteLength(String(inner));
    case "N":
      return numberBytes(String(inner));
    case "B":
      return Buffer.from(String(inner), "base64").length;
    case "BOOL":
    case "NULL":
      return 1;
    case "SS":
      return (inner as string[]).reduce((sum, v) => sum + Buffer.byteLength(v), 0);
    case "NS":
      return (inner as string[]).reduce((sum, v) => sum + numberBytes(v), 0);
    case "BS":
      return (inner as string[]).reduce((sum, v) => sum + Buffer.from(v, "base64").length, 0);
    case "L":
      return 3 + (inner as unknown[]).reduce((sum: number, v) => sum + 1 + attributeBytes(v), 0);
    case "M":
      return (
        3 + Object.entries(inner as Json).reduce((sum, [k, v]) => sum + 1 + Buffer.byteLength(k) + attributeBytes(v), 0)
      );
    default:
      return 0;
  }
}

function numberBytes(n: string): number {
  const digits = n.replace(/^[-+]/, "").replace(/e.*$/i, "").replace(".", "").replace(/^0+/, "").replace(/0+$/, "");
  return Math.ceil(Math.max(digits.length, 1) / 2) + 1;
}

/** Counts requests and billing units; see the notes above for what it charges and how. */
class CapacityMeter {
  private sinceMs = Date.now();
  private operations = new Map<string, UnitCount>();
  private shapes = new Map<string, UnitCount>();
  private transactionItems = new Map<string, UnitCount>();
  private cancelled = 0;

  reset(): void {
    this.sinceMs = Date.now();
    this.operations.clear();
    this.shapes.clear();
    this.transactionItems.clear();
    this.cancelled = 0;
  }

  snapshot(): DynamoCounters {
    const all = [...this.operations.values()];
    const sum = (pick: (c: UnitCount) => number) => all.reduce((total, c) => total + pick(c), 0);
    const record = (map: Map<string, UnitCount>) =>
      Object.fromEntries([...map].sort(([a], [b]) => a.localeCompare(b)).map(([k, v]) => [k, { ...v }]));
    return {
      sinceMs: this.sinceMs,
      atMs: Date.now(),
      requests: sum((c) => c.requests),
      writeUnits: sum((c) => c.writeUnits),
      readUnits: sum((c) => c.readUnits),
      operations: record(this.operations),
      transactionShapes: record(this.shapes),
      transactionItems: record(this.transactionItems),
      cancelledTransactions: this.cancelled,
    };
  }

  /** A TransactWriteItems that ran (committed or cancelled): 2 write units per KB of each item. */
  transaction(charge: TransactionCharge): void {
    let units = 0;
    for (const item of charge.items) {
      const itemUnits = 2 * writeUnitsOf(Math.max(dynamoItemBytes(item.before), dynamoItemBytes(item.after)));
      units += itemUnits;
      add(this.transactionItems, item.kind, { requests: 0, items: 1, writeUnits: itemUnits, readUnits: 0 });
    }
    const shape = [...new Set(charge.items.map((item) => item.kind))].sort().join("+");
    const count = { requests: 1, items: charge.items.length, writeUnits: units, readUnits: 0 };
    add(this.shapes, shape, count);
    add(this.operations, "TransactWriteItems", count);
    if (!charge.committed) this.cancelled++;
  }

  /** Any other request, passed to dynalite as it came; billed from the request and its reply. */
  plain(operation: string, requestBody: Buffer, status: number, replyBody: Buffer): void {
    const count: UnitCount = { requests: 1, items: 0, writeUnits: 0, readUnits: 0 };
    const conditionFailed = status === 400 && replyBody.includes("ConditionalCheckFailedException");
    if (status === 200 || conditionFailed) {
      try {
        this.bill(operation, JSON.parse(requestBody.toString()) as Json, parseJson(replyBody), count);
      } catch {
        // Not JSON: counted as a request, nothing billed.
      }
    }
    add(this.operations, operation, count);
  }

  private bill(operation: string, request: Json, reply: Json, count: UnitCount): void {
    const consistentFactor = (consistent: unknown) => consistent === true;
    switch (operation) {
      case "PutItem":
      case "UpdateItem":
      case "DeleteItem": {
        // The reply's Attributes are the old or the new image, whichever was asked for.
        const bytes = Math.max(dynamoItemBytes(request.Item as Json), dynamoItemBytes(reply.Attributes as Json));
        count.items = 1;
        count.writeUnits = writeUnitsOf(bytes);
        return;
      }
      case "BatchWriteItem": {
        const unprocessed = countRequests(reply.UnprocessedItems as Json | undefined);
        for (const writes of Object.values((request.RequestItems as Json) ?? {}) as Json[][]) {
          for (const write of writes) {
            const put = (write.PutRequest as Json | undefined)?.Item as Json | undefined;
            count.items++;
            count.writeUnits += writeUnitsOf(dynamoItemBytes(put));
          }
        }
        // Unprocessed writes are billed by their own retry (about 1 unit each here).
        count.items -= unprocessed;
        count.writeUnits = Math.max(0, count.writeUnits - unprocessed);
        return;
      }
      case "GetItem": {
        count.items = reply.Item ? 1 : 0;
        count.readUnits = readUnitsOf(dynamoItemBytes(reply.Item as Json), consistentFactor(request.ConsistentRead));
        return;
      }
      case "BatchGetItem": {
        const responses = (reply.Responses as Record<string, Json[]> | undefined) ?? {};
        const unprocessed = (reply.UnprocessedKeys as Record<string, Json> | undefined) ?? {};
        for (const [table, asked] of Object.entries((request.RequestItems as Record<string, Json>) ?? {})) {
          const consistent = consistentFactor(asked.ConsistentRead);
          const found = responses[table] ?? [];
          const keys = (asked.Keys as Json[] | undefined)?.length ?? 0;
          const pending = ((unprocessed[table]?.Keys as Json[] | undefined) ?? []).length;
          for (const item of found) count.readUnits += readUnitsOf(dynamoItemBytes(item), consistent);
          count.readUnits += Math.max(0, keys - pending - found.length) * readUnitsOf(0, consistent);
          count.items += found.length;
        }
        return;
      }
      case "Query":
      case "Scan": {
        const items = (reply.Items as Json[] | undefined) ?? [];
        const bytes = items.reduce((sum, item) => sum + dynamoItemBytes(item), 0);
        count.items = items.length;
        count.readUnits = readUnitsOf(bytes, consistentFactor(request.ConsistentRead));
        return;
      }
      default:
        // Control plane (CreateTable, DescribeTable, ...): not billed per request.
        return;
    }
  }
}

function add(map: Map<string, UnitCount>, key: string, count: UnitCount): void {
  const total = map.get(key);
  if (!total) {
    map.set(key, { ...count });
    return;
  }
  total.requests += count.requests;
  total.items += count.items;
  total.writeUnits += count.writeUnits;
  total.readUnits += count.readUnits;
}

function countRequests(byTable: Json | undefined): number {
  if (!byTable) return 0;
  return Object.values(byTable).reduce((sum: number, writes) => sum + (writes as unknown[]).length, 0);
}

function parseJson(body: Buffer): Json {
  if (body.length === 0) return {};
  const parsed: unknown = JSON.parse(body.toString());
  return typeof parsed === "object" && parsed !== null ? (parsed as Json) : {};
}
