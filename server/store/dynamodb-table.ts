import "server-only";
import {
  CreateTableCommand,
  type CreateTableCommandInput,
  DescribeTableCommand,
  DescribeTimeToLiveCommand,
  DynamoDBClient,
  UpdateTimeToLiveCommand,
} from "@aws-sdk/client-dynamodb";

// The one DynamoDB table the queue store uses, and how to create it (npm run dynamodb:setup).
// Design and reasons: server/store/README.md, "DynamoDB store".

export const defaultTableName = "floodgate-queue";
/** Partition key and sort key: generic names, as each item kind fills them differently. */
export const partitionKey = "pk";
export const sortKey = "sk";
/** Epoch seconds after which DynamoDB may delete an entry nobody removed (TTL). */
export const ttlAttribute = "expiresAt";

export type DynamoConnection = {
  /** e.g. "eu-west-1"; the SDK's own resolution (AWS_REGION, profile) when omitted. */
  region?: string;
  /** Another DynamoDB-API server (dynalite, DynamoDB Local); AWS_ENDPOINT_URL_DYNAMODB works too. */
  endpoint?: string;
  /** Static credentials (tests); the SDK's default chain (env, profile, instance role) when omitted. */
  credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
};

/** A client with bounded timeouts: a stalled connection fails the write instead of holding it forever. */
export function createDynamoClient(connection: DynamoConnection = {}): DynamoDBClient {
  return new DynamoDBClient({
    region: connection.region,
    endpoint: connection.endpoint,
    credentials: connection.credentials,
    maxAttempts: 4,
    requestHandler: { connectionTimeout: 2_000, requestTimeout: 10_000 },
  });
}

/** Single table, on-demand capacity, no secondary index (every access is by key; see the README). */
export function tableDefinition(tableName: string): CreateTableCommandInput {
  return {
    TableName: tableName,
    AttributeDefinitions: [
      { AttributeName: partitionKey, AttributeType: "S" },
      { AttributeName: sortKey, AttributeType: "S" },
    ],
    KeySchema: [
      { AttributeName: partitionKey, KeyType: "HASH" },
      { AttributeName: sortKey, KeyType: "RANGE" },
    ],
    BillingMode: "PAY_PER_REQUEST",
  };
}

export type EnsureTableResult = {
  created: boolean;
  /** "unsupported": the endpoint has no TTL API (dynalite); entries then stay until removed. */
  timeToLive: "enabled" | "enabling" | "unsupported";
};

/**
 * Creates the table unless it exists (and checks its keys if it does), waits until it is
 * active, and turns TTL on for `expiresAt`. Safe to run again.
 */
export async function ensureTable(
  client: DynamoDBClient,
  tableName: string,
  { activeTimeoutMs = 120_000 }: { activeTimeoutMs?: number } = {},
): Promise<EnsureTableResult> {
  let created = false;
  const existing = await describeTable(client, tableName);
  if (existing) {
    const keys = (existing.KeySchema ?? []).map((k) => `${k.AttributeName}:${k.KeyType}`).join(",");
    if (keys !== `${partitionKey}:HASH,${sortKey}:RANGE`) {
      throw new Error(
        `DynamoDB table ${tableName} exists with keys ${keys || "(none)"}; the queue store needs ${partitionKey} (HASH) and ${sortKey} (RANGE). Choose another table name.`,
      );
    }
  } else {
    try {
      await client.send(new CreateTableCommand(tableDefinition(tableName)));
      created = true;
    } catch (error) {
      // Another process created it first: fine, wait for it below.
      if (!(error instanceof Error && error.name === "ResourceInUseException")) throw error;
    }
  }
  await waitUntilActive(client, tableName, activeTimeoutMs);
  return { created, timeToLive: await enableTimeToLive(client, tableName) };
}

async function describeTable(client: DynamoDBClient, tableName: string) {
  try {
    return (await client.send(new DescribeTableCommand({ TableName: tableName }))).Table ?? null;
  } catch (error) {
    if (error instanceof Error && error.name === "ResourceNotFoundException") return null;
    throw error;
  }
}

async function waitUntilActive(client: DynamoDBClient, tableName: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (let delayMs = 100; ; delayMs = Math.min(delayMs * 2, 2_000)) {
    const table = await describeTable(client, tableName);
    if (table?.TableStatus === "ACTIVE") return;
    if (Date.now() + delayMs > deadline) {
      throw new Error(`DynamoDB table ${tableName} is not active after ${timeoutMs} ms (${table?.TableStatus})`);
    }
    await new Promise((resolve) => setTimeout(resolve, delayMs));
  }
}

async function enableTimeToLive(client: DynamoDBClient, tableName: string): Promise<EnsureTableResult["timeToLive"]> {
  try {
    const current = await client.send(new DescribeTimeToLiveCommand({ TableName: tableName }));
    const { TimeToLiveStatus: status, AttributeName: attribute } = current.TimeToLiveDescription ?? {};
    if (attribute === ttlAttribute && (status === "ENABLED" || status === "ENABLING")) {
      return status === "ENABLED" ? "enabled" : "enabling";
    }
    if (attribute && attribute !== ttlAttribute && (status === "ENABLED" || status === "ENABLING")) {
      throw new Error(
        `DynamoDB table ${tableName} has TTL on "${attribute}"; the queue store needs it on "${ttlAttribute}".`,
      );
    }
    await client.send(
      new UpdateTimeToLiveCommand({
        TableName: tableName,
        TimeToLiveSpecification: { AttributeName: ttlAttribute, Enabled: true },
      }),
    );
    return "enabling";
  } catch (error) {
    // dynalite (and some other emulators) do not implement the TTL API.
    if (error instanceof Error && error.name === "UnknownOperationException") return "unsupported";
    throw error;
  }
}
