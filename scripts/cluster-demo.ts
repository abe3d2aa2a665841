import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { startBalancer, startLocalCluster } from "../e2e/cluster-harness";

// npm run demo:cluster [-- --nodes 2 --port 3000]
// Floodgate as several nodes on this machine: a local DynamoDB (dynalite), a throwaway
// PostgreSQL, N app nodes and a round-robin load balancer in front, all on loopback. Prints
// where to go and each node's pid, so you can kill -9 the leader and watch another take over.
// Ctrl-C stops everything (data is thrown away).

const usage = "usage: npm run demo:cluster -- [--nodes N (2-5)] [--port P (balancer, default 3000)]";

async function main() {
  const { values } = parseArgs({
    options: { nodes: { type: "string", default: "2" }, port: { type: "string", default: "3000" } },
    strict: true,
  });
  const count = Number(values.nodes);
  const port = Number(values.port);
  if (!Number.isInteger(count) || count < 2 || count > 5 || !Number.isInteger(port) || port < 1 || port > 65535) {
    throw new Error(usage);
  }
  if (!fs.existsSync(path.join(".next", "BUILD_ID"))) throw new Error("No build: run `npm run build` first.");

  const admin = { email: "admin@cluster.demo", password: randomBytes(9).toString("base64url") };
  const cluster = await startLocalCluster({
    count,
    table: "floodgate-queue",
    env: {
      FLOODGATE_ADMIN_EMAIL: admin.email,
      FLOODGATE_ADMIN_PASSWORD: admin.password,
      FLOODGATE_DEFAULT_ROOM_CAPACITY: "5",
      FLOODGATE_PUBLIC_URL: `http://localhost:${port}`,
      FLOODGATE_TRUST_PROXY: "1",
    },
  });
  const { nodes } = cluster;
  const stopAll = () => cluster.stop().catch(() => undefined);
  process.once("SIGINT", () => void stopAll().finally(() => process.exit(0)));
  process.once("SIGTERM", () => void stopAll().finally(() => process.exit(0)));
  await startBalancer(
    nodes.map((n) => n.url),
    port,
  );
  const lines = [
    "",
    `  Floodgate cluster of ${count} nodes behind a load balancer: http://localhost:${port}`,
    `  Shop (the protected site):  http://localhost:${port}/shop   (capacity 5: open it in 6 private windows)`,
    `  Admin console:              http://localhost:${port}/admin  sign in as ${admin.email} with password ${admin.password}`,
    "  Nodes (the dashboard's System card says which one leads):",
    ...nodes.map((n, i) => `    node ${i + 1}  ${n.url}  pid ${n.child.pid}`),
    "  Kill the leader (kill -9 <pid>): another node takes over within about 12 s, every place kept.",
    "  Ctrl-C stops everything.",
    "",
  ];
  process.stdout.write(`${lines.join("\n")}\n`);
  for (const node of nodes) {
    node.child.once("exit", (code, signal) => {
      process.stdout.write(`  node ${node.url} exited (${signal ?? code}); the balancer skips it now.\n`);
    });
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
