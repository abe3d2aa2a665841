import type { Dispatcher } from "undici";
import { createPool, jsonObject, postOptions, runClosedLoop } from "@/bench/load";
import { startApp } from "@/bench/server-process";

async function main() {
  const withHb = process.argv[2] === "hb";
  const app = await startApp({
    capacity: 0,
    heartbeatIntervalMs: 60000,
    heartbeatTimeoutMs: 120000,
    maxQueueLength: 200000,
    leaveGraceMs: 2500,
    tickMs: 100,
    profileDir: `/tmp/fgprof/${withHb ? "hb" : "enter"}`,
  });
  const pool = createPool(app.origin, { connections: 64, pipelining: 1 });
  const tokens: string[] = [];
  const enter = await runClosedLoop({
    dispatcher: pool,
    inflight: 128,
    durationMs: 60000,
    maxRequests: withHb ? 10000 : 20000,
    requestFor: () => postOptions("/api/queue/default/enter"),
    keepBody: true,
    onReply: (_n, _s, b) => {
      const t = jsonObject(b)?.token;
      if (typeof t === "string") tokens.push(t);
    },
  });
  process.stdout.write(`enter ${enter.requestsPerSecond.toFixed(0)}/s ok ${enter.ok}\n`);
  if (withHb) {
    const opts: Dispatcher.DispatchOptions[] = tokens.map((t) =>
      postOptions("/api/queue/default/heartbeat", { authorization: `Bearer ${t}` }),
    );
    const hb = await runClosedLoop({
      dispatcher: pool,
      inflight: 64,
      durationMs: 15000,
      maxRequests: 1e12,
      requestFor: (n) => opts[n % opts.length] as Dispatcher.DispatchOptions,
      keepBody: true,
    });
    process.stdout.write(`hb ${hb.requestsPerSecond.toFixed(0)}/s ok ${hb.ok} p99 ${hb.latency.p99Ms}\n`);
  }
  await pool.close();
  await app.stop();
}
void main();
