import { type ChildProcess, spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import http from "node:http";
import { createRequire } from "node:module";
import { crc32 } from "node:zlib";

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
// The child exits when its stdin closes, so it dies with the test process however that ends.

export type DynaliteServer = {
  /** The endpoint to give clients (the front). */
  endpoint: string;
  /** Transactions the front has run (committed or cancelled), for tests that count them. */
  transactions(): number;
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

export async function startDynalite({ startTimeoutMs = 10_000 } = {}): Promise<DynaliteServer> {
  const dynalitePath = createRequire(import.meta.url).resolve("dynalite");
  const child = spawn(process.execPath, ["-e", childScript, dynalitePath], { stdio: ["pipe", "pipe", "pipe"] });
  const killChild = () => child.kill("SIGKILL");
  process.once("exit", killChild);
  let port: number;
  try {
    port = await readPort(child, startTimeoutMs);
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

  const front = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const body = Buffer.concat(chunks);
      const target = String(req.headers["x-amz-target"] ?? "");
      const work =
        target === `${apiPrefix}.TransactWriteItems`
          ? lock.exclusive(() => {
              transactionCount++;
              return transactWrite(upstream, req.headers, body, keySchemas);
            })
          : lock.shared(() => send(upstream, req.method ?? "POST", req.url ?? "/", req.headers, body));
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
  await new Promise<void>((resolve) => front.listen(0, "127.0.0.1", resolve));
  front.unref();
  const address = front.address();
  if (!address || typeof address === "string") throw new Error("dynalite front has no port");

  let stopped: Promise<void> | null = null;
  return {
    endpoint: `http://127.0.0.1:${address.port}`,
    transactions: () => transactionCount,
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

function readPort(child: ChildProcess, timeoutMs: number): Promise<number> {
  return new Promise((resolve, reject) => {
    let stdout = "";
    let stderr = "";
    const timer = setTimeout(
      () => fail(new Error(`dynalite did not start within ${timeoutMs} ms: ${stderr}`)),
      timeoutMs,
    );
    const fail = (error: Error) => {
      clearTimeout(timer);
      reject(error);
    };
    child.stderr?.on("data", (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.stdout?.on("data", (chunk: Buffer) => {
      stdout += chunk.toString();
      const line = stdout.split("\n")[0];
      if (stdout.includes("\n") && line) {
        clearTimeout(timer);
        const port = (JSON.parse(line) as { port?: unknown }).port;
        if (typeof port === "number") resolve(port);
        else reject(new Error(`dynalite printed no port: ${line}`));
      }
    });
    child.once("exit", (code) => fail(new Error(`dynalite exited (${code}) before listening: ${stderr}`)));
    child.once("error", fail);
  });
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
): Promise<Reply> {
  const input = JSON.parse(body.toString()) as { TransactItems?: Json[] };
  const items = input.TransactItems ?? [];
  if (items.length < 1 || items.length > maxTransactionItems) {
    return validationError(
      `1 validation error detected: Value at 'transactItems' failed to satisfy constraint: Member must have length between 1 and ${maxTransactionItems}`,
    );
  }
  const steps: { operation: string; request: Json; table: string; key: Json; check: boolean }[] = [];
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
    const { ReturnValuesOnConditionCheckFailure: _ignored, ...rest } = request;
    if (kind === "Put") steps.push({ operation: "PutItem", request: rest, table, key, check: false });
    else if (kind === "Delete") steps.push({ operation: "DeleteItem", request: rest, table, key, check: false });
    else if (kind === "Update") steps.push({ operation: "UpdateItem", request: rest, table, key, check: false });
    else if (kind === "ConditionCheck") {
      // A condition without a write: an update that changes nothing (and, on a missing item,
      // creates a key-only item, removed again below).
      const names = { ...((rest.ExpressionAttributeNames as Json | undefined) ?? {}), "#txCheck": "__txCheck" };
      steps.push({
        operation: "UpdateItem",
        request: { ...rest, UpdateExpression: "REMOVE #txCheck", ExpressionAttributeNames: names },
        table,
        key,
        check: true,
      });
    } else return validationError(`Unknown transaction item ${kind}`);
  }

  // The items are distinct (checked above), so they can be applied side by side.
  const results = await Promise.all(
    steps.map((step) => call(upstream, headers, step.operation, { ...step.request, ReturnValues: "ALL_OLD" })),
  );
  const applied: Applied[] = [];
  const reasons: Json[] = [];
  let cancelled = false;
  let failure: Reply | null = null;
  results.forEach((result, i) => {
    const step = steps[i] as (typeof steps)[number];
    if (result.ok) {
      const old = result.data.Attributes as Json | undefined;
      applied.push({ table: step.table, key: step.key, old, removeAfter: step.check && !old });
      reasons.push({ Code: "None" });
    } else if (String(result.data.__type).endsWith("#ConditionalCheckFailedException")) {
      cancelled = true;
      reasons.push({ Code: "ConditionalCheckFailed", Message: "The conditional request failed" });
    } else failure ??= result.raw;
  });
  // Not a condition (a malformed expression, a missing table): undo and pass the error on.
  if (failure) {
    await undo(upstream, headers, applied);
    return failure;
  }
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
