import { execFileSync } from "node:child_process";
import fs from "node:fs";

// Server on one core, load generator on another, with taskset (util-linux): on a 2-core box
// the scheduler otherwise moves both around and the ratio to bare node:http mixes in whatever
// the generator took from the server's core. What was asked is not taken on trust: each
// process's allowed CPUs are read back from /proc/<pid>/status and reported.

export type PinPlan = { pinned: true; serverCpus: string; generatorCpus: string } | { pinned: false; reason: string };

/** The CPUs this process may run on (Cpus_allowed_list), e.g. "0-1" or "0,2". */
export function allowedCpus(pid: number | "self" = "self"): string | null {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, "utf8");
    return /^Cpus_allowed_list:\s*(\S+)$/m.exec(status)?.[1] ?? null;
  } catch {
    return null;
  }
}

/** "0-2,5" → [0, 1, 2, 5]. */
export function expandCpuList(list: string): number[] {
  const cpus: number[] = [];
  for (const part of list.split(",")) {
    const [from, to] = part.split("-").map(Number);
    if (from === undefined || !Number.isInteger(from)) continue;
    const end = to !== undefined && Number.isInteger(to) ? to : from;
    for (let cpu = from; cpu <= end; cpu++) cpus.push(cpu);
  }
  return cpus;
}

function hasTaskset(): boolean {
  try {
    execFileSync("taskset", ["--version"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}

/** The first allowed CPU for the server, the second for the generator; or why not. */
export function planPinning(wanted: boolean): PinPlan {
  if (!wanted) return { pinned: false, reason: "not asked for (--no-pin)" };
  if (!hasTaskset()) return { pinned: false, reason: "taskset (util-linux) not found" };
  const allowed = allowedCpus();
  const cpus = allowed ? expandCpuList(allowed) : [];
  const [server, generator] = cpus;
  if (server === undefined || generator === undefined) {
    return { pinned: false, reason: `this process may use CPUs ${allowed ?? "unknown"}: fewer than two` };
  }
  return { pinned: true, serverCpus: String(server), generatorCpus: String(generator) };
}

/**
 * Pins every thread of this process (the generator) to `cpus`; answers a function that puts
 * the previous affinity back, so the scenarios after this one run as before.
 */
export function pinSelf(cpus: string): () => void {
  const before = allowedCpus();
  execFileSync("taskset", ["-a", "-p", "-c", cpus, String(process.pid)], { stdio: "ignore" });
  return () => {
    if (before) execFileSync("taskset", ["-a", "-p", "-c", before, String(process.pid)], { stdio: "ignore" });
  };
}
