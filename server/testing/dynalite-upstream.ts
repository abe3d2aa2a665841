import { randomUUID } from "node:crypto";
import http from "node:http";
import { crc32 } from "node:zlib";

// Talking to the dynalite child behind the test front (server/testing/dynalite.ts), and the
// DynamoDB-shaped answers the front writes itself.

export type Json = Record<string, unknown>;
export type Reply = { status: number; headers: Record<string, string>; body: Buffer };
export type Upstream = { port: number; agent: http.Agent };

export const apiPrefix = "DynamoDB_20120810";
const errorPrefix = "com.amazonaws.dynamodb.v20120810#";

/** Passes one HTTP request on to dynalite as it came. */
export function send(
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

export type CallResult = { ok: boolean; status: number; data: Json; raw: Reply };

/** One DynamoDB call to dynalite with the caller's (unverified) signature headers. */
export async function call(
  upstream: Upstream,
  headers: http.IncomingHttpHeaders,
  operation: string,
  input: Json,
): Promise<CallResult> {
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

/** A call that must succeed (the front's own bookkeeping); throws with dynalite's answer otherwise. */
export async function mustCall(
  upstream: Upstream,
  headers: http.IncomingHttpHeaders,
  operation: string,
  input: Json,
): Promise<Json> {
  const result = await call(upstream, headers, operation, input);
  if (!result.ok) throw new Error(`dynalite front: ${operation} failed: ${result.raw.body.toString()}`);
  return result.data;
}

export function jsonReply(status: number, data: Json): Reply {
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

/** A DynamoDB error answer (HTTP 400), e.g. `errorReply("TransactionConflictException", "...")`. */
export function errorReply(type: string, message: string, extra: Json = {}): Reply {
  return jsonReply(400, { __type: `${errorPrefix}${type}`, message, ...extra });
}

export function validationError(message: string): Reply {
  return jsonReply(400, { __type: "com.amazon.coral.validate#ValidationException", message });
}

/** The error type of a dynalite answer, without its namespace ("ConditionalCheckFailedException"). */
export function errorType(data: Json): string {
  return String(data.__type ?? "").replace(/^.*#/, "");
}

/** Key attribute names per table, read once from DescribeTable. */
export class KeySchemas {
  private readonly known = new Map<string, { keys: string[]; table: Json }>();

  constructor(private readonly upstream: Upstream) {}

  /** The key attribute names, or null if the table does not exist. */
  async keysOf(headers: http.IncomingHttpHeaders, table: string): Promise<string[] | null> {
    return (await this.describe(headers, table))?.keys ?? null;
  }

  /** DescribeTable's Table, cached (only its key schema is relied on). */
  async describe(headers: http.IncomingHttpHeaders, table: string): Promise<{ keys: string[]; table: Json } | null> {
    const cached = this.known.get(table);
    if (cached) return cached;
    const result = await call(this.upstream, headers, "DescribeTable", { TableName: table });
    if (!result.ok) return null;
    const description = result.data.Table as Json;
    const keys = (description.KeySchema as { AttributeName: string }[]).map((k) => k.AttributeName);
    const entry = { keys, table: description };
    this.known.set(table, entry);
    return entry;
  }

  /** A table was deleted (or recreated): read its schema again next time. */
  forget(table: string): void {
    this.known.delete(table);
  }
}

/** One string per item (table and key), whatever the order of the key's attributes. */
export function itemIdentity(table: string, key: Json): string {
  return `${table}\u0000${JSON.stringify(Object.entries(key).sort(([a], [b]) => a.localeCompare(b)))}`;
}

/** The key of a PutItem's item, by the table's key attribute names. */
export function keyOf(item: Json, keys: string[]): Json {
  return Object.fromEntries(keys.map((name) => [name, item[name]]));
}

export type ItemRef = { table: string; key: Json; identity: string };

/** Images of these items (strongly consistent), 100 keys per BatchGetItem; or dynalite's refusal. */
export async function readItems(
  upstream: Upstream,
  headers: http.IncomingHttpHeaders,
  refs: ItemRef[],
): Promise<{ images: Map<string, Json> } | { reply: Reply }> {
  const images = new Map<string, Json>();
  const keyNames = new Map(refs.map((ref) => [ref.table, Object.keys(ref.key)]));
  for (let start = 0; start < refs.length; start += 100) {
    let pending: Record<string, Json> = {};
    for (const ref of refs.slice(start, start + 100)) {
      const keys = (pending[ref.table]?.Keys as Json[] | undefined) ?? [];
      pending[ref.table] = { Keys: [...keys, ref.key], ConsistentRead: true };
    }
    while (Object.keys(pending).length) {
      const result = await call(upstream, headers, "BatchGetItem", { RequestItems: pending });
      if (!result.ok) return { reply: result.raw };
      for (const [table, items] of Object.entries((result.data.Responses as Record<string, Json[]>) ?? {})) {
        for (const item of items) images.set(itemIdentity(table, keyOf(item, keyNames.get(table) ?? [])), item);
      }
      pending = (result.data.UnprocessedKeys as Record<string, Json>) ?? {};
    }
  }
  return { images };
}

/**
 * Puts (`item`) or deletes (`key`) items, 25 per BatchWriteItem: one batch after another with
 * `between` after each, or all batches at once (`parallel`).
 */
export async function writeItems(
  upstream: Upstream,
  headers: http.IncomingHttpHeaders,
  writes: { table: string; item?: Json; key: Json }[],
  { between, parallel = false }: { between?: () => Promise<void>; parallel?: boolean } = {},
): Promise<void> {
  const batches: { table: string; item?: Json; key: Json }[][] = [];
  for (let start = 0; start < writes.length; start += 25) batches.push(writes.slice(start, start + 25));
  const writeBatch = async (batch: { table: string; item?: Json; key: Json }[]) => {
    let pending: Record<string, Json[]> = {};
    for (const write of batch) {
      const request = write.item ? { PutRequest: { Item: write.item } } : { DeleteRequest: { Key: write.key } };
      pending[write.table] = [...(pending[write.table] ?? []), request];
    }
    while (Object.keys(pending).length) {
      const data = await mustCall(upstream, headers, "BatchWriteItem", { RequestItems: pending });
      pending = (data.UnprocessedItems as Record<string, Json[]>) ?? {};
    }
  };
  if (parallel) {
    await Promise.all(batches.map(writeBatch));
    return;
  }
  for (const batch of batches) {
    await writeBatch(batch);
    await between?.();
  }
}
