import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient, GetCommand } from "@aws-sdk/lib-dynamodb";
import { expect, test } from "@playwright/test";
import { decodeJwt } from "jose";
import {
  type AppNode,
  freePort,
  type LocalCluster,
  startBalancer,
  startLocalCluster,
  stopChild,
} from "./cluster-harness";

// Two app nodes sharing DynamoDB (dynalite) and PostgreSQL, behind a round-robin load
// balancer: every visitor's requests alternate between the nodes. Capacity is sampled from
// DynamoDB all along; then the leader is killed with SIGKILL mid-run, and everyone carries on
// through the other node: nobody loses a place, nobody is let in twice or out of order.

const table = "floodgate-cluster-e2e";
const capacity = 3;
const leaseTtlMs = 3_000;
const admin = { email: "ops@cluster.test", password: "cluster admin password, not a secret" };

let cluster: LocalCluster | undefined;
let balancer: Awaited<ReturnType<typeof startBalancer>> | undefined;

test.describe.configure({ mode: "serial", timeout: 240_000 });

test.afterAll(async () => {
  await balancer?.close();
  await cluster?.stop();
});

type ApiVisitor = {
  name: string;
  token: string;
  seq: number;
  state: string;
  admissionNo: number | null;
  admittedAtMs: number | null;
  leftAtMs: number | null;
  sawExpired: boolean;
  errors: number;
};

test("two nodes share one line; the leader is SIGKILLed and nothing is lost", async ({ browser }) => {
  // Sign-in URLs are built from the public URL: the balancer's, as in production.
  const balancerPort = await freePort();
  cluster = await startLocalCluster({
    count: 2,
    table,
    env: {
      FLOODGATE_PUBLIC_URL: `http://127.0.0.1:${balancerPort}`,
      FLOODGATE_LEASE_TTL_MS: String(leaseTtlMs),
      FLOODGATE_ADMIN_EMAIL: admin.email,
      FLOODGATE_ADMIN_PASSWORD: admin.password,
      FLOODGATE_DEFAULT_ROOM_CAPACITY: String(capacity),
      FLOODGATE_DEFAULT_ROOM_HEARTBEAT_INTERVAL_MS: "1000",
      FLOODGATE_DEFAULT_ROOM_HEARTBEAT_TIMEOUT_MS: "8000",
      FLOODGATE_LEAVE_GRACE_MS: "300",
      FLOODGATE_DEFAULT_ROOM_PROTECTED_PATHS: "/shop",
    },
  });
  const { nodes, leads } = cluster;
  await expect.poll(async () => (await Promise.all(nodes.map(leads))).filter(Boolean).length).toBe(1);
  const leader = (await leads(nodes[0] as AppNode)) ? (nodes[0] as AppNode) : (nodes[1] as AppNode);
  const survivor = nodes.find((n) => n !== leader) as AppNode;
  const lb = await startBalancer(
    nodes.map((n) => n.url),
    balancerPort,
  );
  balancer = lb;

  // Capacity from DynamoDB itself, every 100 ms, for the whole run.
  const doc = DynamoDBDocumentClient.from(
    new DynamoDBClient({
      endpoint: cluster.dynamoEndpoint,
      region: "us-east-1",
      credentials: { accessKeyId: "local-not-a-key", secretAccessKey: "local-not-a-secret" },
    }),
  );
  let maxActive = 0;
  let samples = 0;
  let sampling = true;
  const sampler = (async () => {
    while (sampling) {
      const counters = await doc
        .send(new GetCommand({ TableName: table, Key: { pk: "ROOM#default", sk: "COUNTERS" }, ConsistentRead: true }))
        .catch(() => null);
      if (counters?.Item) {
        samples++;
        maxActive = Math.max(maxActive, Number(counters.Item.active));
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  })();

  const api = async (route: string, token?: string) => {
    const res = await fetch(`${lb.url}/api/queue/default/${route}`, {
      method: "POST",
      headers: token ? { authorization: `Bearer ${token}` } : {},
    }).catch(() => null);
    const body = res ? await res.json().catch(() => null) : null;
    return { status: res?.status ?? 0, body };
  };

  // A person in a browser, waiting on the real page through the balancer, behind 8 others.
  const visitors: ApiVisitor[] = [];
  let inside = 0;
  let maxInside = 0;
  const runVisitor = async (name: string) => {
    let entered = await api("enter");
    while (entered.status !== 201) {
      await new Promise((r) => setTimeout(r, 500));
      entered = await api("enter");
    }
    const v: ApiVisitor = {
      name,
      token: entered.body.token,
      seq: Number(decodeJwt(entered.body.token).seq),
      state: entered.body.status.state,
      admissionNo: null,
      admittedAtMs: null,
      leftAtMs: null,
      sawExpired: false,
      errors: 0,
    };
    visitors.push(v);
    let admissionToken: string | undefined = entered.body.admissionToken;
    while (v.state !== "admitted") {
      await new Promise((r) => setTimeout(r, 1_000));
      const beat = await api("heartbeat", v.token);
      if (beat.status !== 200) {
        v.errors++;
        continue;
      }
      v.state = beat.body.state;
      if (v.state === "expired") {
        v.sawExpired = true;
        return;
      }
      admissionToken = beat.body.admissionToken;
    }
    v.admittedAtMs = Date.now();
    v.admissionNo = Number(decodeJwt(admissionToken as string).adm);
    inside++;
    maxInside = Math.max(maxInside, inside);
    // Browse a moment, with a heartbeat, then leave.
    await new Promise((r) => setTimeout(r, 800));
    await api("heartbeat", v.token);
    await new Promise((r) => setTimeout(r, 700));
    inside--;
    v.leftAtMs = Date.now();
    await api("leave", v.token);
  };

  const runs: Promise<void>[] = [];
  for (let i = 0; i < 8; i++) {
    runs.push(runVisitor(`v${i}`));
    await new Promise((r) => setTimeout(r, 150));
  }
  const person = await browser.newContext({ baseURL: lb.url });
  const page = await person.newPage();
  await page.goto("/shop");
  await expect(page).toHaveURL(/\/wait\/default/);
  for (let i = 8; i < 16; i++) {
    runs.push(runVisitor(`v${i}`));
    await new Promise((r) => setTimeout(r, 150));
  }

  // Both nodes serve; then, with people inside and in line, the leader dies.
  await expect
    .poll(() => visitors.filter((v) => v.admittedAtMs !== null).length, { timeout: 60_000 })
    .toBeGreaterThan(4);
  const servedBefore = lb.counts();
  expect(servedBefore[leader.url]).toBeGreaterThan(10);
  expect(servedBefore[survivor.url]).toBeGreaterThan(10);
  const waitingAtKill = visitors.filter((v) => v.admittedAtMs === null).length;
  expect(waitingAtKill).toBeGreaterThan(3);
  const killedAt = Date.now();
  await stopChild(leader.child, "SIGKILL");

  // The lease moves within the ttl and one attempt, plus the time to load the line.
  await expect.poll(() => leads(survivor), { timeout: 20_000, intervals: [100] }).toBe(true);
  const takeoverMs = Date.now() - killedAt;
  expect(takeoverMs).toBeLessThan(leaseTtlMs + leaseTtlMs / 3 + 5_000);
  test.info().annotations.push({ type: "takeover", description: `${takeoverMs} ms` });
  process.stdout.write(
    `cluster: leader killed with ${waitingAtKill} waiting; the other node led after ${takeoverMs} ms\n`,
  );

  // Everyone still there gets in, in order; the person in the browser reaches the shop.
  await Promise.all(runs);
  await expect(page).toHaveURL(/\/shop/, { timeout: 60_000 });
  sampling = false;
  await sampler;

  expect(visitors).toHaveLength(16);
  expect(visitors.filter((v) => v.sawExpired).map((v) => v.name)).toEqual([]);
  const admitted = visitors
    .filter((v) => v.admissionNo !== null)
    .sort((a, b) => (a.admissionNo ?? 0) - (b.admissionNo ?? 0));
  expect(admitted).toHaveLength(16);
  expect(new Set(admitted.map((v) => v.admissionNo)).size).toBe(16);
  // FIFO: by admission number, places only rise (the browser visitor holds one place among them).
  const seqs = admitted.map((v) => v.seq);
  expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
  expect(samples).toBeGreaterThan(100);
  expect(maxActive).toBeLessThanOrEqual(capacity);
  expect(maxInside).toBeLessThanOrEqual(capacity);
  // Some heartbeats met the switch-over (503, retried), none was fatal.
  const refused = visitors.reduce((n, v) => n + v.errors, 0);
  process.stdout.write(
    `cluster: 16 admitted in order, max active ${maxActive} (capacity ${capacity}, ${samples} samples), ${refused} heartbeats answered 503 during the switch\n`,
  );
  test.info().annotations.push({
    type: "heartbeats refused during the switch",
    description: String(visitors.reduce((n, v) => n + v.errors, 0)),
  });

  // An operator signs in through the balancer: the console is served by the node that leads now.
  const ops = await browser.newContext({ baseURL: lb.url });
  const consolePage = await ops.newPage();
  await consolePage.goto("/admin");
  await consolePage.getByLabel("Email").fill(admin.email);
  await consolePage.getByLabel("Password").fill(admin.password);
  await consolePage.getByRole("button", { name: "Sign in" }).click();
  await expect(consolePage).toHaveURL(/\/admin$/);
  await expect(consolePage.getByRole("link", { name: "Demo shop" })).toBeVisible();
  // The System card: the node that took over leads, and the store is healthy.
  const system = consolePage.getByTestId("system-card");
  await expect(system).toContainText("Leader (runs the rooms)");
  await expect(system).toContainText(survivor.url);
  await expect(consolePage.getByTestId("system-breaker")).toHaveText("Healthy");
  await consolePage.screenshot({ path: test.info().outputPath("console-after-takeover.png"), fullPage: true });
  await ops.close();
  await person.close();
  doc.destroy();
});
