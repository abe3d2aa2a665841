import "../server/server-only-hook";
import { parseArgs } from "node:util";
import { createDynamoClient, ensureTable } from "@/server/store/dynamodb-table";
import { startDynalite } from "@/server/testing/dynalite";
import { parseFaultSpec } from "@/server/testing/dynalite-faults";

// npx tsx scripts/dynalite.ts [--port N] [--table NAME ...] [--faults SPEC] [--ignore-stdin]
// A local DynamoDB for several processes at once (the multi-node test, the bench): dynalite
// behind the test front of server/testing/dynalite.ts (TransactWriteItems, ConditionCheck,
// billing units). Prints one JSON line on stdout once it listens:
//   {"endpoint":"http://127.0.0.1:PORT","counters":"http://127.0.0.1:PORT/__counters"}
// GET <endpoint>/__counters answers requests and billing units (JSON) since the start or the
// last reset; POST <endpoint>/__counters/reset zeroes them and answers the counts it dropped.
// --faults injects DynamoDB's transient failures (server/testing/dynalite-faults.ts; off by
// default); GET / POST <endpoint>/__faults reads or replaces the settings while it runs.
// Exits on SIGTERM / SIGINT, and when its stdin closes (spawn it with stdin a pipe and it dies
// with its parent, however that ends) unless --ignore-stdin. Loopback only; data in memory.

const usage = `usage: npx tsx scripts/dynalite.ts [--port N] [--table NAME]... [--faults SPEC] [--ignore-stdin]
  --port          port of the endpoint on 127.0.0.1 (default: a free one)
  --table         create this queue table before announcing the endpoint (repeatable)
  --faults        inject faults, e.g. "throttle=0.05,conflict=0.05,unprocessed=0.2,lostReply=0.05"
                  (probabilities; also only=Op1+Op2, seed=N); none by default
  --ignore-stdin  keep running when stdin closes (stop it with SIGTERM)`;

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: "string" },
      table: { type: "string", multiple: true },
      faults: { type: "string" },
      "ignore-stdin": { type: "boolean", default: false },
      help: { type: "boolean", default: false },
    },
    strict: true,
  });
  if (values.help) {
    process.stdout.write(`${usage}\n`);
    return;
  }
  const port = values.port === undefined ? 0 : Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) throw new Error(`--port must be a port number\n${usage}`);

  const faults = parseFaultSpec(values.faults ?? "");
  const server = await startDynalite({ port });
  let stopping = false;
  const stop = (code: number) => {
    if (stopping) return;
    stopping = true;
    void server.stop().finally(() => process.exit(code));
  };
  process.once("SIGTERM", () => stop(0));
  process.once("SIGINT", () => stop(0));

  if (values.table?.length) {
    // Any credentials do for dynalite; the SDK insists on some.
    const client = createDynamoClient({
      endpoint: server.endpoint,
      region: "us-east-1",
      credentials: { accessKeyId: "dynalite", secretAccessKey: "dynalite" },
    });
    try {
      for (const table of values.table) await ensureTable(client, table);
    } finally {
      client.destroy();
    }
    server.resetCounters();
  }
  // Only now: the tables above are made without faults.
  server.setFaults(faults);

  // The front and the child are unref'd (they must not keep a test alive): hold the process.
  setInterval(() => {}, 60_000);
  if (!values["ignore-stdin"]) {
    process.stdin.on("end", () => stop(0));
    process.stdin.on("close", () => stop(0));
    process.stdin.resume();
  }
  process.stdout.write(`${JSON.stringify({ endpoint: server.endpoint, counters: `${server.endpoint}/__counters` })}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
