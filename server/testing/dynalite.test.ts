import { randomUUID } from "node:crypto";
import type { CancellationReason, DynamoDBClient } from "@aws-sdk/client-dynamodb";
import {
  BatchGetCommand,
  BatchWriteCommand,
  DeleteCommand,
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  TransactWriteCommand,
  type TransactWriteCommandInput,
  UpdateCommand,
} from "@aws-sdk/lib-dynamodb";
import { unmarshall } from "@aws-sdk/util-dynamodb";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createDynamoClient, ensureTable } from "@/server/store/dynamodb-table";
import { type DynaliteServer, dynamoItemBytes } from "@/server/testing/dynalite";
import { skipWithoutFront, startTestDynamo } from "@/server/testing/test-dynamodb";

// The test server's front: transactions with ConditionCheck items (the fencing check on the
// cluster lease) and the billing units it counts for the bench's cost figures.

let server: DynaliteServer;
let client: DynamoDBClient;
let doc: DynamoDBDocumentClient;
let table: string;

beforeAll(async () => {
  server = await startTestDynamo();
  client = createDynamoClient({
    endpoint: server.endpoint,
    region: "us-east-1",
    credentials: { accessKeyId: "test", secretAccessKey: "test" },
  });
  doc = DynamoDBDocumentClient.from(client);
});

afterAll(async () => {
  client?.destroy();
  await server?.stop();
});

beforeEach(async () => {
  table = `dynalite-front-${randomUUID()}`;
  await ensureTable(client, table);
  server.resetCounters();
});

const lease = { pk: "LEASE", sk: "cluster", holder: "node-a", fencingToken: 3, expiresAtMs: 1_000 };
const entry = { pk: "ROOM#r1", sk: "ENTRY#v1", id: "v1", seq: 1, state: "waiting" };

/** A Put of an entry, fenced by a ConditionCheck on the lease's token. */
function fencedPut(token: number, item: Record<string, unknown> = entry): TransactWriteCommandInput {
  return {
    TransactItems: [
      { Put: { TableName: table, Item: item, ConditionExpression: "attribute_not_exists(pk)" } },
      {
        ConditionCheck: {
          TableName: table,
          Key: { pk: lease.pk, sk: lease.sk },
          ConditionExpression: "fencingToken = :token",
          ExpressionAttributeValues: { ":token": token },
        },
      },
    ],
  };
}

async function get({ pk, sk }: { pk: string; sk: string }) {
  return (await doc.send(new GetCommand({ TableName: table, Key: { pk, sk }, ConsistentRead: true }))).Item;
}

async function cancellationCodes(input: TransactWriteCommandInput): Promise<string[]> {
  try {
    await doc.send(new TransactWriteCommand(input));
  } catch (error) {
    const reasons = (error as { CancellationReasons?: { Code?: string }[] }).CancellationReasons;
    expect((error as Error).name).toBe("TransactionCanceledException");
    return (reasons ?? []).map((reason) => reason.Code ?? "?");
  }
  throw new Error("the transaction committed");
}

describe("ConditionCheck in TransactWriteItems", () => {
  it("a failed check cancels the transaction with CancellationReasons and writes nothing", async () => {
    await doc.send(new PutCommand({ TableName: table, Item: lease }));
    expect(await cancellationCodes(fencedPut(2))).toEqual(["None", "ConditionalCheckFailed"]);
    expect(await get(entry)).toBeUndefined();
    expect(await get(lease)).toEqual(lease);
  });

  it("returns the checked item in its reason when ReturnValuesOnConditionCheckFailure is ALL_OLD", async () => {
    // DynamoDB's CancellationReason carries Item for an item whose condition failed and asked
    // for ALL_OLD; moto does so, and the front once dropped the setting.
    await doc.send(new PutCommand({ TableName: table, Item: lease }));
    const input = fencedPut(2);
    const check = input.TransactItems?.[1]?.ConditionCheck;
    if (!check) throw new Error("fencedPut has no ConditionCheck");
    check.ReturnValuesOnConditionCheckFailure = "ALL_OLD";
    const reasons = await doc.send(new TransactWriteCommand(input)).then(
      () => [],
      (error: { CancellationReasons?: CancellationReason[] }) => error.CancellationReasons ?? [],
    );
    // The document client leaves an error's Item in DynamoDB's typed form.
    const item = reasons[1]?.Item;
    expect(item && unmarshall(item)).toEqual(lease);
    expect(reasons.map(({ Item: _, ...rest }) => rest)).toEqual([
      { Code: "None" },
      { Code: "ConditionalCheckFailed", Message: "The conditional request failed" },
    ]);
    // Without the setting, no Item.
    expect(await cancellationCodes(fencedPut(2))).toEqual(["None", "ConditionalCheckFailed"]);
  });

  it("a passing check lets the writes through and leaves the checked item as it was", async () => {
    await doc.send(new PutCommand({ TableName: table, Item: lease }));
    await doc.send(new TransactWriteCommand(fencedPut(3)));
    expect(await get(entry)).toEqual(entry);
    expect(await get(lease)).toEqual(lease);
  });

  it("a check on a missing item fails or passes by its condition and never leaves an item behind", async () => {
    const missing = { pk: "LEASE", sk: "nobody" };
    const check = (condition: string): TransactWriteCommandInput => ({
      TransactItems: [
        { Put: { TableName: table, Item: entry } },
        { ConditionCheck: { TableName: table, Key: missing, ConditionExpression: condition } },
      ],
    });
    expect(await cancellationCodes(check("attribute_exists(pk)"))).toEqual(["None", "ConditionalCheckFailed"]);
    expect(await get(entry)).toBeUndefined();
    await doc.send(new TransactWriteCommand(check("attribute_not_exists(pk)")));
    expect(await get(entry)).toEqual(entry);
    expect(await get(missing)).toBeUndefined();
  });

  it("an update and a delete are put back when a later check fails", async () => {
    await doc.send(new PutCommand({ TableName: table, Item: lease }));
    await doc.send(new PutCommand({ TableName: table, Item: entry }));
    const counters = { pk: "ROOM#r1", sk: "COUNTERS", active: 4 };
    await doc.send(new PutCommand({ TableName: table, Item: counters }));
    const codes = await cancellationCodes({
      TransactItems: [
        { Delete: { TableName: table, Key: { pk: entry.pk, sk: entry.sk } } },
        {
          Update: {
            TableName: table,
            Key: { pk: counters.pk, sk: counters.sk },
            UpdateExpression: "ADD active :minusOne",
            ExpressionAttributeValues: { ":minusOne": -1 },
          },
        },
        {
          ConditionCheck: {
            TableName: table,
            Key: { pk: lease.pk, sk: lease.sk },
            ConditionExpression: "fencingToken = :token",
            ExpressionAttributeValues: { ":token": 1 },
          },
        },
      ],
    });
    expect(codes).toEqual(["None", "None", "ConditionalCheckFailed"]);
    expect(await get(entry)).toEqual(entry);
    expect(await get(counters)).toEqual(counters);
  });
});

describe("billing units", () => {
  it("sizes items as DynamoDB does: name and value bytes", () => {
    expect(dynamoItemBytes({ pk: { S: "abc" } })).toBe(2 + 3);
    expect(dynamoItemBytes({ n: { N: "12345" } })).toBe(1 + 4);
    expect(dynamoItemBytes({ ok: { BOOL: true }, l: { L: [{ S: "x" }] } })).toBe(2 + 1 + 1 + (3 + 1 + 1));
  });

  it("plain writes: 1 unit per KB, a failed condition still billed", async (ctx) => {
    skipWithoutFront(ctx);
    await doc.send(new PutCommand({ TableName: table, Item: entry }));
    await doc.send(new PutCommand({ TableName: table, Item: { pk: "BIG", sk: "1", blob: "x".repeat(2_500) } }));
    await expect(
      doc.send(new PutCommand({ TableName: table, Item: entry, ConditionExpression: "attribute_not_exists(pk)" })),
    ).rejects.toThrow();
    await doc.send(
      new UpdateCommand({
        TableName: table,
        Key: { pk: entry.pk, sk: entry.sk },
        UpdateExpression: "SET #state = :s",
        ExpressionAttributeNames: { "#state": "state" },
        ExpressionAttributeValues: { ":s": "admitted" },
      }),
    );
    await doc.send(new DeleteCommand({ TableName: table, Key: { pk: "BIG", sk: "1" }, ReturnValues: "ALL_OLD" }));
    const c = server.counters();
    expect(c.operations.PutItem).toEqual({ requests: 3, items: 3, writeUnits: 1 + 3 + 1, readUnits: 0 });
    expect(c.operations.UpdateItem?.writeUnits).toBe(1);
    // The old image came back: the 2.5 KB item bills 3 units to delete.
    expect(c.operations.DeleteItem?.writeUnits).toBe(3);
    expect(c.writeUnits).toBe(5 + 1 + 3);
    expect(c.readUnits).toBe(0);
  });

  it("reads: 1 unit per 4 KB consistent, half eventually; Query sums the items; missing keys cost the minimum", async (ctx) => {
    skipWithoutFront(ctx);
    const items = [1, 2, 3].map((n) => ({ pk: "P", sk: String(n), blob: "y".repeat(1_500) }));
    await doc.send(
      new BatchWriteCommand({ RequestItems: { [table]: items.map((Item) => ({ PutRequest: { Item } })) } }),
    );
    server.resetCounters();
    await doc.send(new GetCommand({ TableName: table, Key: { pk: "P", sk: "1" }, ConsistentRead: true }));
    await doc.send(new GetCommand({ TableName: table, Key: { pk: "P", sk: "1" } }));
    await doc.send(
      new BatchGetCommand({
        RequestItems: {
          [table]: {
            Keys: [
              { pk: "P", sk: "1" },
              { pk: "P", sk: "2" },
              { pk: "P", sk: "none" },
            ],
            ConsistentRead: true,
          },
        },
      }),
    );
    await doc.send(
      new QueryCommand({
        TableName: table,
        KeyConditionExpression: "pk = :p",
        ExpressionAttributeValues: { ":p": "P" },
        ConsistentRead: true,
      }),
    );
    const c = server.counters();
    expect(c.operations.GetItem?.readUnits).toBe(1 + 0.5);
    expect(c.operations.BatchGetItem?.readUnits).toBe(3);
    // Three items of ~1.5 KB: 4.5 KB, 2 units for the whole Query.
    expect(c.operations.Query?.readUnits).toBe(2);
    expect(c.writeUnits).toBe(0);
    expect(c.requests).toBe(4);
  });

  it("transactions: 2 units per item, ConditionCheck included, cancelled ones too, counted by shape", async (ctx) => {
    skipWithoutFront(ctx);
    await doc.send(new PutCommand({ TableName: table, Item: lease }));
    server.resetCounters();
    await doc.send(new TransactWriteCommand(fencedPut(3)));
    await cancellationCodes(fencedPut(2, { ...entry, sk: "ENTRY#v2" }));
    const c = server.counters();
    expect(c.operations.TransactWriteItems).toEqual({ requests: 2, items: 4, writeUnits: 8, readUnits: 0 });
    expect(c.transactionShapes["ConditionCheck+Put"]?.requests).toBe(2);
    expect(c.transactionItems.ConditionCheck?.writeUnits).toBe(4);
    expect(c.cancelledTransactions).toBe(1);
    expect(server.transactions()).toBeGreaterThanOrEqual(2);
  });

  it("GET /__counters reads them, POST /__counters/reset zeroes them", async (ctx) => {
    skipWithoutFront(ctx);
    await doc.send(new PutCommand({ TableName: table, Item: entry }));
    const read = await fetch(`${server.endpoint}/__counters`);
    expect(read.status).toBe(200);
    const body = (await read.json()) as { writeUnits: number; operations: Record<string, unknown> };
    expect(body.writeUnits).toBe(1);
    expect(body.operations.PutItem).toBeDefined();
    const reset = await fetch(`${server.endpoint}/__counters/reset`, { method: "POST" });
    expect(((await reset.json()) as { writeUnits: number }).writeUnits).toBe(1);
    expect(server.counters()).toMatchObject({ requests: 0, writeUnits: 0, readUnits: 0, operations: {} });
    expect((await fetch(`${server.endpoint}/__counters/nothing`)).status).toBe(404);
  });
});
