import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { once } from "node:events";
import fs from "node:fs";
import http from "node:http";
import type net from "node:net";
import os from "node:os";
import path from "node:path";
import readline from "node:readline";
import { exportJWK, generateKeyPair } from "jose";

// What the multi-node spec runs on: a local DynamoDB and PostgreSQL (child processes started
// from npm and Debian packages), app nodes as real processes (node with tsx as a loader, so a
// SIGKILL kills the server itself), and a round-robin load balancer in front of them.

import { freePort } from "./free-port";

export { freePort };

/** Runs a scripts/*.ts service that prints one JSON line when ready, and dies with its stdin. */
export async function startService(script: string, args: string[], timeoutMs = 90_000) {
  const child = spawn(process.execPath, ["--import", "tsx", script, ...args], { stdio: ["pipe", "pipe", "pipe"] });
  let stderr = "";
  child.stderr?.on("data", (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4_000);
  });
  const lines = readline.createInterface({ input: child.stdout as NodeJS.ReadableStream });
  const ready = new Promise<Record<string, string>>((resolve, reject) => {
    lines.once("line", (line) => {
      try {
        resolve(JSON.parse(line));
      } catch {
        reject(new Error(`${script} printed ${line}`));
      }
    });
    child.once("exit", (code) => reject(new Error(`${script} exited (${code}) before it was ready: ${stderr}`)));
    setTimeout(() => reject(new Error(`${script} was not ready within ${timeoutMs} ms: ${stderr}`)), timeoutMs);
  });
  return { child, info: await ready, stop: () => stopChild(child, "SIGTERM") };
}

export async function stopChild(child: ChildProcess, signal: NodeJS.Signals): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, "exit");
  child.kill(signal);
  await exited;
}

export type AppNode = { url: string; port: number; child: ChildProcess; log(): string };

export function startAppNode(port: number, env: Record<string, string>): AppNode {
  const child = spawn(process.execPath, ["--import", "tsx", "server/main.ts"], {
    env: { ...process.env, ...env, PORT: String(port), HOSTNAME: "127.0.0.1" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-20_000);
  };
  child.stdout?.on("data", keep);
  child.stderr?.on("data", keep);
  return { url: `http://127.0.0.1:${port}`, port, child, log: () => output };
}

/**
 * A round-robin HTTP load balancer, as in front of any cluster: each request to the next node;
 * a node that refuses connections is skipped (and retried after a while). A request is sent
 * to a second node only if the first refused the connection, never after it may have been
 * received (POSTs are not idempotent).
 */
export async function startBalancer(upstreams: string[], port = 0) {
  const down = new Map<string, number>();
  let next = 0;
  const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
  const counts = new Map<string, number>();

  function pick(skip: Set<string>): string | null {
    for (let i = 0; i < upstreams.length; i++) {
      const candidate = upstreams[(next + i) % upstreams.length] as string;
      if (skip.has(candidate) || (down.get(candidate) ?? 0) > Date.now()) continue;
      next = (next + i + 1) % upstreams.length;
      return candidate;
    }
    return null;
  }

  const server = http.createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks);
    const tried = new Set<string>();
    const attempt = () => {
      const target = pick(tried);
      if (!target) {
        res.writeHead(502, { "content-type": "text/plain" }).end("no node reachable");
        return;
      }
      tried.add(target);
      const headers = { ...req.headers, "x-forwarded-for": req.socket.remoteAddress ?? "" };
      const upstream = http.request(
        new URL(req.url ?? "/", target),
        { method: req.method, headers, agent },
        (answer) => {
          counts.set(target, (counts.get(target) ?? 0) + 1);
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(res);
          // A client that hangs up before the whole answer came: drop the upstream answer too.
          // Left paused, it holds its pooled socket for good; once 64 are held, every request
          // waits in the pool and visitors' heartbeats hang until their places expire (seen).
          res.on("close", () => {
            if (!answer.complete) answer.destroy();
          });
        },
      );
      upstream.on("error", (error: NodeJS.ErrnoException) => {
        if (error.code === "ECONNREFUSED") {
          down.set(target, Date.now() + 2_000);
          attempt();
        } else if (!res.headersSent) res.writeHead(502, { "content-type": "text/plain" }).end(error.message);
        else res.destroy();
      });
      upstream.end(body);
    };
    attempt();
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", resolve);
  });
  const address = server.address() as net.AddressInfo;
  return {
    url: `http://127.0.0.1:${address.port}`,
    /** Requests each node answered. */
    counts: () => Object.fromEntries(counts),
    close: async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      agent.destroy();
    },
  };
}

export type LocalCluster = {
  nodes: AppNode[];
  /** The DynamoDB-API endpoint every node uses (dynalite behind the test front). */
  dynamoEndpoint: string;
  table: string;
  /** The cluster secret: node-to-node calls (and /__floodgate/cluster/rooms, which only the leader answers). */
  secret: string;
  /** True when this node leads now. */
  leads(node: AppNode): Promise<boolean>;
  /** SIGKILLs what is still running (nodes, PostgreSQL, dynalite) and removes the data. */
  stop(): Promise<void>;
};

/**
 * A cluster on loopback: dynalite, a throwaway PostgreSQL and `count` app nodes sharing them,
 * with one set of secrets, started one after the other (the first migrates the database and
 * creates the default room), each up (/healthz 200) before the next. `env` adds settings
 * (room, lease, admin) for every node.
 */
export async function startLocalCluster(options: {
  count: number;
  table: string;
  env: Record<string, string>;
  startTimeoutMs?: number;
}): Promise<LocalCluster> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "floodgate-cluster-"));
  const services: Awaited<ReturnType<typeof startService>>[] = [];
  const nodes: AppNode[] = [];
  const stop = async () => {
    for (const node of nodes) await stopChild(node.child, "SIGKILL");
    for (const service of services.reverse()) await service.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    const dynamo = await startService("scripts/dynalite.ts", ["--table", options.table]);
    services.push(dynamo);
    const postgres = await startService("scripts/postgres.ts", []);
    services.push(postgres);
    const { privateKey } = await generateKeyPair("ES256", { extractable: true });
    const secret = randomBytes(24).toString("hex");
    const shared = {
      NODE_ENV: "production",
      NEXT_TELEMETRY_DISABLED: "1",
      LOG_LEVEL: "warn",
      AWS_ACCESS_KEY_ID: "local-not-a-key",
      AWS_SECRET_ACCESS_KEY: "local-not-a-secret",
      AWS_REGION: "us-east-1",
      DATABASE_URL: postgres.info.url as string,
      FLOODGATE_STORE: "dynamodb",
      FLOODGATE_DYNAMODB_ENDPOINT: dynamo.info.endpoint as string,
      FLOODGATE_DYNAMODB_TABLE: options.table,
      FLOODGATE_CLUSTER: "1",
      FLOODGATE_CLUSTER_SECRET: secret,
      FLOODGATE_QUEUE_SECRET: randomBytes(32).toString("hex"),
      FLOODGATE_ADMISSION_PRIVATE_JWK: JSON.stringify({ ...(await exportJWK(privateKey)), kid: "local-cluster" }),
      ...options.env,
    };
    for (let i = 0; i < options.count; i++) {
      const port = await freePort();
      const node = startAppNode(port, {
        // Where visitors reach the cluster (the balancer); a node of its own when there is none.
        FLOODGATE_PUBLIC_URL: `http://127.0.0.1:${port}`,
        ...shared,
        FLOODGATE_DATA_DIR: path.join(dataDir, `node-${i + 1}`),
        FLOODGATE_NODE_URL: `http://127.0.0.1:${port}`,
      });
      nodes.push(node);
      await waitUntilUp(node, options.startTimeoutMs ?? 120_000);
    }
    const leads = async (node: AppNode) =>
      (
        await fetch(`${node.url}/__floodgate/cluster/rooms`, { headers: { "x-floodgate-node-auth": secret } }).catch(
          () => null,
        )
      )?.status === 200;
    return { nodes, dynamoEndpoint: dynamo.info.endpoint as string, table: options.table, secret, leads, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

async function waitUntilUp(node: AppNode, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (node.child.exitCode !== null) throw new Error(`node ${node.url} exited:\n${node.log()}`);
    if ((await fetch(`${node.url}/healthz`).catch(() => null))?.status === 200) return;
    if (Date.now() > deadline) throw new Error(`node ${node.url} did not come up:\n${node.log()}`);
    await new Promise((r) => setTimeout(r, 500));
  }
}
