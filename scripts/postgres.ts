import { startPostgres } from "@/server/testing/postgres";

// npm run postgres: a throwaway PostgreSQL cluster for local runs and multi-node tests. Prints
// {"url": "postgresql://postgres@127.0.0.1:PORT/floodgate"} (an empty database) as one JSON line,
// then stays up until stdin closes or SIGTERM / SIGINT; the data is deleted when it stops.

async function main() {
  const server = await startPostgres();
  const url = await server.createDatabase();
  process.stdout.write(`${JSON.stringify({ url })}\n`);
  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    void server.stop().then(() => process.exit(0));
  };
  process.stdin.on("end", stop);
  process.stdin.on("close", stop);
  process.stdin.resume();
  process.on("SIGTERM", stop);
  process.on("SIGINT", stop);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
