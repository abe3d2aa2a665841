import type { Json } from "@/server/testing/dynalite-upstream";

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
  /** What the front did besides answering: conflicts it found, faults it injected, replays. */
  events: Record<FrontEvent, number>;
};

/**
 * - transactionConflicts: TransactWriteItems cancelled (TransactionConflict) because another
 *   transaction in flight held one of its items;
 * - writeConflicts: PutItem / UpdateItem / DeleteItem refused (TransactionConflictException) on
 *   an item a transaction in flight held;
 * - batchConflicts: BatchWriteItem requests left unprocessed for the same reason;
 * - idempotentReplays: TransactWriteItems answered from an earlier commit with the same token;
 * - transactionsInProgress: same token while the first call still ran (TransactionInProgressException);
 * - injected*: faults the settings asked for (dynalite-faults.ts).
 */
export const frontEventNames = [
  "transactionConflicts",
  "writeConflicts",
  "batchConflicts",
  "idempotentReplays",
  "transactionsInProgress",
  "injectedThrottles",
  "injectedConflicts",
  "injectedUnprocessed",
  "injectedLostReplies",
] as const;
export type FrontEvent = (typeof frontEventNames)[number];

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
export class CapacityMeter {
  private sinceMs = Date.now();
  private operations = new Map<string, UnitCount>();
  private shapes = new Map<string, UnitCount>();
  private transactionItems = new Map<string, UnitCount>();
  private cancelled = 0;
  private events = noEvents();

  /** Counts one thing the front did (see FrontEvent). */
  event(name: FrontEvent, count = 1): void {
    this.events[name] += count;
  }

  reset(): void {
    this.sinceMs = Date.now();
    this.operations.clear();
    this.shapes.clear();
    this.transactionItems.clear();
    this.cancelled = 0;
    this.events = noEvents();
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
      events: { ...this.events },
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

  /**
   * A TransactWriteItems answered from an earlier commit with the same token: DynamoDB charges
   * the read of each item instead ("Subsequent TransactWriteItems calls with the same client
   * token return the number of read capacity units consumed in reading the item"), taken here
   * as 1 strongly consistent read unit per item (items under 4 KB).
   */
  replay(items: number): void {
    add(this.operations, "TransactWriteItems", { requests: 1, items: 0, writeUnits: 0, readUnits: items });
    this.events.idempotentReplays++;
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

function noEvents(): Record<FrontEvent, number> {
  return Object.fromEntries(frontEventNames.map((name) => [name, 0])) as Record<FrontEvent, number>;
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
