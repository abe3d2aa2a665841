import fs from "node:fs";
import { createPool, postOptions, runClosedLoop } from "@/bench/load";
import { type AppNode, startLocalCluster } from "@/e2e/cluster-harness";

// npx tsx bench/cluster-forwarding.ts [--visitors N] [--seconds S]
// What a follower costs the leader. Two nodes on dynalite and PostgreSQL; N visitors wait
// (capacity 0); then heartbeats for S seconds straight to the leader, then the same through
// the follower, which forwards them in batches. Reports each phase's rate and the CPU each
// process spent per 1,000 heartbeats (from /proc). On one 2-core box the three processes
// (leader, follower, generator) share two cores: read the CPU per heartbeat, not the rates.
// Loopback only; stops by itself.

const args = new Map<string, string>();
for (let i = 2; i < process.argv.length; i += 2) args.set(process.argv[i] ?? "", process.argv[i + 1] ?? "");
const visitors = Number(args.get("--visitors") ?? 5_000);
const seconds = Number(args.get("--seconds") ?? 10);

/** CPU time (user + system) of a process in ms, from /proc/<pid>/stat. */
function cpuMs(pid: number): number {
  const fields = fs.readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]?.split(" ") ?? [];
  const ticks = Number(fields[11]) + Number(fields[12]);
  return (ticks * 1000) / 100;
}

async function main() {
  const cluster = await startLocalCluster({
    count: 2,
    table: "forwarding",
    env: {
      FLOODGATE_DEFAULT_ROOM_CAPACITY: "0",
      FLOODGATE_DEFAULT_ROOM_HEARTBEAT_TIMEOUT_MS: "600000",
      FLOODGATE_DEFAULT_ROOM_MAX_QUEUE_LENGTH: String(visitors * 2),
      FLOODGATE_NEW_PLACES_PER_MINUTE_PER_IP: "0",
      FLOODGATE_MAX_CONNECTIONS_PER_IP: "0",
    },
  });
  const { nodes, leads } = cluster;
  try {
    const [a, b] = nodes as [AppNode, AppNode];
    for (let i = 0; !(await leads(a)) && !(await leads(b)); i++) {
      if (i > 60) throw new Error("no leader");
      await new Promise((r) => setTimeout(r, 250));
    }
    const leader = (await leads(a)) ? a : b;
    const follower = leader === a ? b : a;
    // Let the follower learn who leads.
    for (let i = 0; (await fetch(`${follower.url}/api/queue/default`)).status !== 200; i++) {
      if (i > 40) throw new Error("follower does not see the room");
      await new Promise((r) => setTimeout(r, 250));
    }

    process.stdout.write(`entering ${visitors} visitors through the follower ...\n`);
    const tokens: string[] = [];
    const enterPool = createPool(follower.url, { connections: 32, pipelining: 1 });
    await runClosedLoop({
      dispatcher: enterPool,
      inflight: 64,
      durationMs: 300_000,
      maxRequests: visitors,
      requestFor: () => postOptions("/api/queue/default/enter"),
      keepBody: true,
      isOk: (s) => s === 201,
      onReply: (_n, status, body) => {
        if (status === 201 && body) tokens.push(JSON.parse(body.toString()).token);
      },
    });
    await enterPool.close();
    if (tokens.length !== visitors) throw new Error(`only ${tokens.length} entered`);
    const requests = tokens.map((t) => postOptions("/api/queue/default/heartbeat", { authorization: `Bearer ${t}` }));

    const phase = async (label: string, target: AppNode) => {
      const pool = createPool(target.url, { connections: 64, pipelining: 1 });
      const before = { leader: cpuMs(leader.child.pid as number), follower: cpuMs(follower.child.pid as number) };
      const result = await runClosedLoop({
        dispatcher: pool,
        inflight: 64,
        durationMs: seconds * 1000,
        maxRequests: Number.MAX_SAFE_INTEGER,
        requestFor: (n) => requests[n % requests.length] as (typeof requests)[number],
        keepBody: false,
        isOk: (s) => s === 200,
      });
      await pool.close();
      const spent = {
        leader: cpuMs(leader.child.pid as number) - before.leader,
        follower: cpuMs(follower.child.pid as number) - before.follower,
      };
      const per1k = (ms: number) => ((ms / result.ok) * 1000).toFixed(1);
      process.stdout.write(
        `${label.padEnd(28)} ${Math.round(result.requestsPerSecond).toLocaleString("en-US")} req/s, p99 ${result.latency.p99Ms.toFixed(1)} ms, ${result.errors + result.requests - result.ok} not ok; CPU per 1,000 heartbeats: leader ${per1k(spent.leader)} ms, follower ${per1k(spent.follower)} ms\n`,
      );
    };
    await phase("heartbeats to the leader", leader);
    await phase("heartbeats via the follower", follower);
  } finally {
    await cluster.stop();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
