import "../server-only-hook";
import { parseArgs } from "node:util";
import { createDynamoClient, defaultTableName, ensureTable } from "@/server/store/dynamodb-table";

// npm run dynamodb:setup -- [--table floodgate-queue] [--region eu-west-1] [--endpoint http://127.0.0.1:8000]
// Creates the queue store's DynamoDB table (on-demand) unless it exists, waits until it is
// active and turns TTL on. Safe to run again. Credentials and, when --region is not given, the
// region come from the AWS SDK's usual sources (AWS_REGION, AWS_PROFILE, an instance role...).

const usage = `Usage: npm run dynamodb:setup -- [--table NAME] [--region REGION] [--endpoint URL]
  --table     table name (default ${defaultTableName})
  --region    AWS region (default: the SDK's, e.g. AWS_REGION)
  --endpoint  a DynamoDB-API server other than AWS (dynalite, DynamoDB Local)`;

async function main() {
  let values: { table?: string; region?: string; endpoint?: string; help?: boolean };
  try {
    ({ values } = parseArgs({
      options: {
        table: { type: "string" },
        region: { type: "string" },
        endpoint: { type: "string" },
        help: { type: "boolean" },
      },
    }));
  } catch (error) {
    console.error(`${error instanceof Error ? error.message : error}\n${usage}`);
    process.exit(2);
  }
  if (values.help) {
    process.stdout.write(`${usage}\n`);
    return;
  }
  const tableName = values.table ?? defaultTableName;
  const client = createDynamoClient({ region: values.region, endpoint: values.endpoint });
  try {
    const result = await ensureTable(client, tableName);
    const ttl = {
      enabled: `TTL on "expiresAt" is enabled.`,
      enabling: `TTL on "expiresAt" is being enabled (DynamoDB may take up to an hour).`,
      unsupported: "This endpoint has no TTL API (dynalite?): entries stay until removed.",
    }[result.timeToLive];
    process.stdout.write(`${result.created ? "Created" : "Found"} DynamoDB table ${tableName}, active. ${ttl}\n`);
  } finally {
    client.destroy();
  }
}

main().catch((error: unknown) => {
  console.error(`dynamodb:setup failed: ${error instanceof Error ? error.message : error}`);
  process.exit(1);
});
