import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { exportJWK, generateKeyPair } from "jose";
import { type AppNode, freePort, startAppNode, startBalancer, startService, stopChild } from "../e2e/cluster-harness";

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

  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "floodgate-cluster-demo-"));
  const table = "floodgate-queue";
  const dynamo = await startService("scripts/dynalite.ts", ["--table", table]);
  const postgres = await startService("scripts/postgres.ts", []);
  const { privateKey } = await generateKeyPair("ES256", { extractable: true });
  const admin = { email: "admin@cluster.demo", password: randomBytes(9).toString("base64url") };
  const shared = {
    NODE_ENV: "production",
    NEXT_TELEMETRY_DISABLED: "1",
    LOG_LEVEL: "warn",
    AWS_ACCESS_KEY_ID: "local-demo",
    AWS_SECRET_ACCESS_KEY: "local-demo",
    AWS_REGION: "us-east-1",
    DATABASE_URL: postgres.info.url as string,
    FLOODGATE_STORE: "dynamodb",
    FLOODGATE_DYNAMODB_ENDPOINT: dynamo.info.endpoint as string,
    FLOODGATE_DYNAMODB_TABLE: table,
    FLOODGATE_CLUSTER: "1",
    FLOODGATE_CLUSTER_SECRET: randomBytes(24).toString("hex"),
    FLOODGATE_QUEUE_SECRET: randomBytes(32).toString("hex"),
    FLOODGATE_ADMISSION_PRIVATE_JWK: JSON.stringify({ ...(await exportJWK(privateKey)), kid: "cluster-demo" }),
    FLOODGATE_ADMIN_EMAIL: admin.email,
    FLOODGATE_ADMIN_PASSWORD: admin.password,
    FLOODGATE_DEFAULT_ROOM_CAPACITY: "5",
    FLOODGATE_PUBLIC_URL: `http://localhost:${port}`,
    FLOODGATE_TRUST_PROXY: "1",
  };
  const nodes: AppNode[] = [];
  const stopAll = async () => {
    for (const node of nodes) await stopChild(node.child, "SIGTERM").catch(() => undefined);
    await postgres.stop().catch(() => undefined);
    await dynamo.stop().catch(() => undefined);
    fs.rmSync(dataDir, { recursive: true, force: true });
  };
  process.once("SIGINT", () => void stopAll().finally(() => process.exit(0)));
  process.once("SIGTERM", () => void stopAll().finally(() => process.exit(0)));

  // One after the other: the first migrates the database and creates the default room.
  for (let i = 0; i < count; i++) {
    const nodePort = await freePort();
    const node = startAppNode(nodePort, {
      ...shared,
      FLOODGATE_DATA_DIR: path.join(dataDir, `node-${i + 1}`),
      FLOODGATE_NODE_URL: `http://127.0.0.1:${nodePort}`,
    });
    nodes.push(node);
    await waitUntilUp(node);
  }
  const balancer = await startBalancer(
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
  void balancer;
}

async function waitUntilUp(node: AppNode): Promise<void> {
  for (let i = 0; i < 240; i++) {
    if (node.child.exitCode !== null) throw new Error(`node ${node.url} exited:\n${node.log()}`);
    const res = await fetch(`${node.url}/healthz`).catch(() => null);
    if (res?.status === 200) return;
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`node ${node.url} did not come up:\n${node.log()}`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
