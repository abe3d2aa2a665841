import { randomUUID } from "node:crypto";
import {
  DynamoDBClient,
  TransactWriteItemsCommand,
  type TransactWriteItemsCommandInput,
} from "@aws-sdk/client-dynamodb";
import {
  BatchGetCommand,
  BatchWriteCommand,
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  TransactWriteCommand,
  UpdateCommand,
} from "@aws-sdk/lib-dynamodb";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createDynamoClient, ensureTable } from "@/server/store/dynamodb-table";
import { type DynaliteServer, startDynalite } from "@/server/testing/dynalite";
import { parseFaultSpec } from "@/server/testing/dynalite-faults";
import { foreignDynamoEndpoint } from "@/server/testing/test-dynamodb";

// The front under concurrency, as DynamoDB behaves: conflicting transactions cancelled, plain
// writes on a held item refused, reads that may see a transaction half done but never a write
// that is undone, idempotency tokens, and the faults it injects on request. Its own server
// (a short token window), so it does not run against a foreign endpoint.

const tokenWindowMs = 1_500;
let server: DynaliteServer;
let table: string;
const clients: DynamoDBClient[] = [];

/** A client; `maxAttempts: 1` shows each answer as the front gave it (no SDK retry). */
function client(maxAttempts?: number): DynamoDBClient {
  const made = maxAttempts
    ? new DynamoDBClient({
        endpoint: server.endpoint,
        region: "us-east-1",
        credentials: { accessKeyId: "test", secretAccessKey: "test" },
        maxAttempts,
      })
    : createDynamoClient({
        endpoint: server.endpoint,
        region: "us-east-1",
        credentials: { accessKeyId: "test", secretAccessKey: "test" },
      });
  clients.push(made);
  return made;
}
const doc = (maxAttempts?: number) => DynamoDBDocumentClient.from(client(maxAttempts));

beforeAll(async () => {
  if (foreignDynamoEndpoint) return;
  server = await startDynalite({ tokenWindowMs });
});

afterAll(async () => {
  for (const c of clients) c.destroy();
  await server?.stop();
});

beforeEach(async (ctx) => {
  if (foreignDynamoEndpoint) ctx.skip("tests the dynalite front itself");
  server.setFaults({});
  table = `front-concurrency-${randomUUID()}`;
  await ensureTable(client(), table);
  server.resetCounters();
});

const entryKey = (i: number) => ({ pk: "P", sk: `E${String(i).padStart(3, "0")}` });
const counterKey = { pk: "P", sk: "COUNTER" };
const errorName = (error: unknown) => (error as Error).name;
const reasonCodes = (error: unknown) =>
  ((error as { CancellationReasons?: { Code?: string }[] }).CancellationReasons ?? []).map((r) => r.Code);

/** A transaction: `n` entries set to `v`, and the counter raised by one. */
function bump(n: number, v: number, offset = 0) {
  return new TransactWriteCommand({
    TransactItems: [
      {
        Update: {
          TableName: table,
          Key: counterKey,
          UpdateExpression: "ADD n :one",
          ExpressionAttributeValues: { ":one": 1 },
        },
      },
      ...Array.from({ length: n }, (_, i) => ({
        Put: { TableName: table, Item: { ...entryKey(i + offset), v } },
      })),
    ],
  });
}

async function counter(): Promise<number> {
  const out = await doc().send(new GetCommand({ TableName: table, Key: counterKey, ConsistentRead: true }));
  return Number(out.Item?.n ?? 0);
}

describe("optimistic concurrency", () => {
  it("cancels a transaction that names an item another transaction holds (TransactionConflict); no lost update", async () => {
    const d = doc(1);
    const results = await Promise.allSettled(Array.from({ length: 30 }, (_, i) => d.send(bump(10, i, i * 10))));
    const cancelled = results.filter((r) => r.status === "rejected");
    for (const r of cancelled) {
      expect(errorName(r.reason)).toBe("TransactionCanceledException");
      // The counter (item 0) is what they fought over; the entries are all distinct.
      expect(reasonCodes(r.reason)[0]).toBe("TransactionConflict");
      expect(
        reasonCodes(r.reason)
          .slice(1)
          .every((code) => code === "None"),
      ).toBe(true);
    }
    expect(cancelled.length).toBeGreaterThan(0);
    expect(server.counters().events.transactionConflicts).toBe(cancelled.length);
    // Exactly the committed ones counted: nothing lost, nothing of a cancelled one written.
    expect(await counter()).toBe(results.length - cancelled.length);
    const cancelledEntry = results.findIndex((r) => r.status === "rejected");
    const got = await doc().send(
      new GetCommand({ TableName: table, Key: entryKey(cancelledEntry * 10), ConsistentRead: true }),
    );
    expect(got.Item).toBeUndefined();
  });

  it("refuses a plain write on an item a transaction in flight holds (TransactionConflictException)", async () => {
    const d = doc(1);
    const transaction = d.send(bump(99, 1));
    const refusals: string[] = [];
    let settled = false;
    void transaction.finally(() => {
      settled = true;
    });
    while (!settled) {
      try {
        await d.send(
          new UpdateCommand({
            TableName: table,
            Key: entryKey(50),
            UpdateExpression: "SET w = :w",
            ExpressionAttributeValues: { ":w": 1 },
          }),
        );
      } catch (error) {
        refusals.push(errorName(error));
      }
    }
    await transaction;
    expect(refusals.length).toBeGreaterThan(0);
    expect(new Set(refusals)).toEqual(new Set(["TransactionConflictException"]));
    expect(server.counters().events.writeConflicts).toBe(refusals.length);
  });

  it("leaves a batch write on a held item unprocessed, and writes the rest", async () => {
    const d = doc(1);
    const transaction = d.send(bump(99, 1));
    let settled = false;
    void transaction.finally(() => {
      settled = true;
    });
    let held = 0;
    for (let round = 0; !settled; round++) {
      const free = { pk: "Q", sk: `free${round}` };
      const out = await d.send(
        new BatchWriteCommand({
          RequestItems: {
            [table]: [{ PutRequest: { Item: { ...entryKey(60), w: round } } }, { PutRequest: { Item: free } }],
          },
        }),
      );
      const left = out.UnprocessedItems?.[table] ?? [];
      held += left.length;
      // Only the held item comes back; the other is written.
      for (const write of left) expect(write.PutRequest?.Item?.sk).toBe(entryKey(60).sk);
      const got = await d.send(new GetCommand({ TableName: table, Key: free, ConsistentRead: true }));
      expect(got.Item).toBeDefined();
    }
    await transaction;
    expect(held).toBeGreaterThan(0);
    expect(server.counters().events.batchConflicts).toBe(held);
  });
});

describe("reads during a transaction (read-committed per item)", () => {
  it("may see a transaction partly applied", async () => {
    const d = doc();
    await d.send(bump(99, 0));
    const keys = Array.from({ length: 99 }, (_, i) => entryKey(i));
    const seen: number[][] = [];
    let settled = false;
    const transaction = d.send(bump(99, 1)).finally(() => {
      settled = true;
    });
    while (!settled) {
      const out = await d.send(
        new BatchGetCommand({ RequestItems: { [table]: { Keys: keys, ConsistentRead: true } } }),
      );
      seen.push((out.Responses?.[table] ?? []).map((item) => Number(item.v)));
    }
    await transaction;
    const partly = seen.filter((values) => values.includes(0) && values.includes(1));
    expect(partly.length, `${seen.length} reads during the transaction`).toBeGreaterThan(0);
  });

  it("never sees the writes of a transaction whose condition fails", async () => {
    const d = doc(1);
    await d.send(bump(50, 0));
    const doomed = new TransactWriteCommand({
      TransactItems: [
        ...Array.from({ length: 98 }, (_, i) => ({ Put: { TableName: table, Item: { ...entryKey(i), v: 1 } } })),
        {
          ConditionCheck: {
            TableName: table,
            Key: counterKey,
            ConditionExpression: "n = :never",
            ExpressionAttributeValues: { ":never": -1 },
          },
        },
      ],
    });
    const keys = Array.from({ length: 98 }, (_, i) => entryKey(i));
    let settled = false;
    const outcome = d.send(doomed).then(
      () => "committed",
      (error: unknown) => errorName(error),
    );
    void outcome.finally(() => {
      settled = true;
    });
    let reads = 0;
    while (!settled) {
      const out = await d.send(
        new BatchGetCommand({ RequestItems: { [table]: { Keys: keys, ConsistentRead: true } } }),
      );
      reads++;
      expect((out.Responses?.[table] ?? []).filter((item) => item.v === 1)).toEqual([]);
    }
    expect(await outcome).toBe("TransactionCanceledException");
    expect(reads).toBeGreaterThan(0);
  });
});

describe("ClientRequestToken", () => {
  const raw = (token: string, by = 1): TransactWriteItemsCommandInput => ({
    ClientRequestToken: token,
    TransactItems: [
      {
        Update: {
          TableName: table,
          Key: { pk: { S: counterKey.pk }, sk: { S: counterKey.sk } },
          UpdateExpression: "ADD n :by",
          ExpressionAttributeValues: { ":by": { N: String(by) } },
        },
      },
    ],
  });

  it("answers a repeat of the same request with the same token without applying it again", async () => {
    const c = client(1);
    const token = randomUUID();
    await c.send(new TransactWriteItemsCommand(raw(token)));
    await c.send(new TransactWriteItemsCommand(raw(token)));
    expect(await counter()).toBe(1);
    expect(server.counters().events.idempotentReplays).toBe(1);
    // Another token is another transaction.
    await c.send(new TransactWriteItemsCommand(raw(randomUUID())));
    expect(await counter()).toBe(2);
  });

  it("refuses the same token with another request (IdempotentParameterMismatchException)", async () => {
    const c = client(1);
    const token = randomUUID();
    await c.send(new TransactWriteItemsCommand(raw(token, 1)));
    await expect(c.send(new TransactWriteItemsCommand(raw(token, 5)))).rejects.toMatchObject({
      name: "IdempotentParameterMismatchException",
    });
    expect(await counter()).toBe(1);
  });

  it("treats the token as new once its window has passed", async () => {
    const c = client(1);
    const token = randomUUID();
    await c.send(new TransactWriteItemsCommand(raw(token)));
    await new Promise((resolve) => setTimeout(resolve, tokenWindowMs + 100));
    await c.send(new TransactWriteItemsCommand(raw(token)));
    expect(await counter()).toBe(2);
  });

  it("lets the SDK retry a transaction whose answer was lost, applying it once", async () => {
    server.setFaults({ lostReply: 1, only: ["TransactWriteItems"] });
    // The SDK's own client (4 attempts) and its own token: the retry after the dropped answer
    // carries the same token, and the front answers it from the first commit.
    await doc().send(bump(3, 7));
    server.setFaults({});
    expect(await counter()).toBe(1);
    const events = server.counters().events;
    expect(events.injectedLostReplies).toBeGreaterThan(0);
    expect(events.idempotentReplays).toBeGreaterThan(0);
  });

  it("without a retry the lost answer is an error although the transaction committed", async () => {
    server.setFaults({ lostReply: 1, only: ["TransactWriteItems"] });
    await expect(doc(1).send(bump(3, 7))).rejects.toThrow();
    server.setFaults({});
    expect(await counter()).toBe(1);
  });
});

describe("injected faults", () => {
  it("throttles plain requests; the SDK retries them", async () => {
    // One at a time: with the seed, the same requests meet the same faults every run.
    server.setFaults({ throttle: 0.3, only: ["PutItem"], seed: 3 });
    const d = doc();
    for (let i = 0; i < 20; i++) await d.send(new PutCommand({ TableName: table, Item: entryKey(i) }));
    expect(server.counters().events.injectedThrottles).toBeGreaterThan(0);
    expect(server.counters().operations.PutItem?.requests).toBe(20 + server.counters().events.injectedThrottles);
    // Without the SDK's retry the refusal shows.
    server.setFaults({ throttle: 1, only: ["PutItem"] });
    await expect(doc(1).send(new PutCommand({ TableName: table, Item: entryKey(99) }))).rejects.toMatchObject({
      name: expect.stringMatching(/^(ThrottlingException|ProvisionedThroughputExceededException)$/),
    });
  });

  it("cancels transactions with ThrottlingError or TransactionConflict, which the SDK does not retry", async () => {
    for (const [fault, code] of [
      ["throttle", "ThrottlingError"],
      ["conflict", "TransactionConflict"],
    ] as const) {
      server.setFaults({ [fault]: 1, only: ["TransactWriteItems"] });
      const error = await doc()
        .send(bump(2, 1))
        .catch((e: unknown) => e);
      expect(errorName(error)).toBe("TransactionCanceledException");
      expect(reasonCodes(error)).toContain(code);
    }
    server.setFaults({});
    expect(await counter()).toBe(0);
  });

  it("leaves batch items unprocessed", async () => {
    const d = doc();
    await d.send(bump(20, 1));
    server.setFaults({ unprocessed: 0.5, only: ["BatchGetItem"], seed: 1 });
    const keys = Array.from({ length: 20 }, (_, i) => entryKey(i));
    const out = await d.send(new BatchGetCommand({ RequestItems: { [table]: { Keys: keys, ConsistentRead: true } } }));
    const left = out.UnprocessedKeys?.[table]?.Keys ?? [];
    expect(left.length).toBeGreaterThan(0);
    expect((out.Responses?.[table] ?? []).length + left.length).toBe(20);
    expect(out.UnprocessedKeys?.[table]?.ConsistentRead).toBe(true);
  });

  it.each([
    ["throttle=2", /probability/],
    ["throttle=abc", /probability/],
    ["slow=0.1", /unknown setting/],
    ["seed=x", /whole number/],
  ])("refuses the spec %s", (spec, message) => {
    expect(() => parseFaultSpec(spec)).toThrow(message);
  });

  it("reads and replaces the settings over HTTP", async () => {
    const set = await fetch(`${server.endpoint}/__faults`, { method: "POST", body: "conflict=0.25,only=UpdateItem" });
    expect(await set.json()).toMatchObject({ conflict: 0.25, throttle: 0, only: ["UpdateItem"] });
    const bad = await fetch(`${server.endpoint}/__faults`, { method: "POST", body: '{"conflict": 3}' });
    expect(bad.status).toBe(400);
    expect(await (await fetch(`${server.endpoint}/__faults`)).json()).toMatchObject({ conflict: 0.25 });
  });
});
