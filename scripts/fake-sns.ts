import { parseArgs } from "node:util";
import { startFakeSns } from "@/server/testing/fake-sns";

// tsx scripts/fake-sns.ts [--port 0] [--topic arn:...]...
// The SNS-compatible test endpoint as a process of its own (Playwright's webServer): prints
// `fake-sns listening on <port>` once ready. Read what it received with GET /__messages,
// switch behaviour with POST /__mode {"mode":"ok|fail|hang|slow|notFound","delayMs":5000},
// clear it with POST /__reset. Loopback only; stops on SIGINT/SIGTERM.

const { values } = parseArgs({
  options: { port: { type: "string", default: "0" }, topic: { type: "string", multiple: true } },
});
const port = Number(values.port);
if (!Number.isInteger(port) || port < 0 || port > 65_535) {
  console.error("usage: tsx scripts/fake-sns.ts [--port 0..65535] [--topic <known topic ARN>]...");
  process.exit(2);
}

async function main() {
  const sns = await startFakeSns({ port, knownTopics: values.topic });
  process.stdout.write(`fake-sns listening on ${sns.port}\n`);
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.once(signal, () => {
      void sns.close().then(() => process.exit(0));
    });
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
