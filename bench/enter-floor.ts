import type { HeartbeatSettings } from "@/bench/heartbeat";
import { type ClosedLoopResult, createPool, postOptions, runClosedLoop } from "@/bench/load";
import { type PhaseCpu, startCpuWatch, startEnterFloorServer } from "@/bench/server-process";

// The enter floor measured like the app's enter: the same generator, pool, number of arrivals
// and concurrency, the server on the same core (after a warm-up the app's enter does not get). Its ratio to bare node:http is the most any
// durable enter can reach on this machine (bench/enter-floor-server.ts says what it leaves out).

export type EnterFloorRun = ClosedLoopResult & PhaseCpu & { accepted: number };

export async function runEnterFloor(settings: HeartbeatSettings, cpus: string | undefined): Promise<EnterFloorRun> {
  const floor = await startEnterFloorServer(cpus);
  try {
    const pool = createPool(floor.origin, { connections: settings.pool.connections, pipelining: 1 });
    const options = postOptions("/api/queue/default/enter");
    // Warmed up first, unlike the app's enter: the floor is meant as the most a durable enter
    // can reach, so it gets every advantage.
    await runClosedLoop({
      dispatcher: pool,
      inflight: settings.enterInflight,
      durationMs: settings.warmupMs,
      maxRequests: Number.MAX_SAFE_INTEGER,
      requestFor: () => options,
      keepBody: true,
    });
    const cpu = startCpuWatch(floor);
    const result = await runClosedLoop({
      dispatcher: pool,
      inflight: settings.enterInflight,
      durationMs: 200_000,
      maxRequests: settings.visitors,
      requestFor: () => options,
      keepBody: true,
      isOk: (code) => code === 201,
    });
    const cpuUse = cpu.stop(result.elapsedMs);
    await pool.close();
    return { ...result, ...cpuUse, accepted: result.ok };
  } finally {
    await floor.stop();
  }
}
