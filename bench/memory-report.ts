import type { MemoryReport } from "@/bench/memory";
import type { Check } from "@/bench/report";
import { table } from "@/bench/table";

// The memory scenario's goal check, table and summary line (see bench/memory.ts).

export const rssGoalMb = 500;

const fmt = (n: number | null | undefined, digits = 0) =>
  n === null || n === undefined || Number.isNaN(n)
    ? "n/a"
    : n.toLocaleString("en-US", { minimumFractionDigits: digits, maximumFractionDigits: digits });

export function memoryChecks(m: MemoryReport | null): Check[] {
  if (!m) return [];
  const hwm = m.memory.atEnd?.hwmMb ?? null;
  return [
    {
      name: "memory scenario: peak RSS (VmHWM)",
      value: `${fmt(hwm)} MB at ${fmt(m.requests.perSecond)} req/s`,
      goal: `< ${rssGoalMb} MB`,
      pass: hwm !== null && hwm < rssGoalMb,
      correctness: false,
    },
    {
      name: "memory scenario: 5xx answers",
      value: fmt(Object.entries(m.byStatus).reduce((n, [code, count]) => (Number(code) >= 500 ? n + count : n), 0)),
      goal: "0",
      pass: !Object.keys(m.byStatus).some((code) => Number(code) >= 500),
      correctness: false,
    },
  ];
}

export function renderMemory(m: MemoryReport): string {
  const s = m.settings;
  const r = m.requests;
  const rows: string[][] = [
    ["", "value"],
    [
      "requests sent / skipped (generator at its in-flight cap) / answered",
      `${fmt(r.sent)} / ${fmt(r.skipped)} / ${fmt(r.completed)} of ${fmt(r.scheduled)} scheduled`,
    ],
    ["answered per second (achieved)", fmt(r.perSecond)],
    [
      "latency p50 / p99 / max",
      `${fmt(m.latency.p50Ms, 1)} / ${fmt(m.latency.p99Ms, 1)} / ${fmt(m.latency.maxMs, 1)} ms`,
    ],
    ["status codes", JSON.stringify(m.byStatus)],
    ["transport errors", `${fmt(r.transportErrors)} ${r.errorSamples.slice(0, 2).join("; ")}`],
    [
      "server RSS at start / peak / at end",
      `${fmt(m.memory.atStart?.rssMb)} / ${fmt(m.memory.peakRssMb)} / ${fmt(m.memory.atEnd?.rssMb)} MB`,
    ],
    ["server VmHWM at end", `${fmt(m.memory.atEnd?.hwmMb)} MB`],
    ["RSS every 10 s (MB)", m.memory.timeline.map(([, mb]) => mb).join(" ")],
    [
      "CPU, % of one core: server / generator / others",
      `${fmt(m.cpu.serverCpuPercent)} / ${fmt(m.cpu.generatorCpuPercent)} / ${fmt(m.cpu.otherCpuPercent)}`,
    ],
    ["signed in (admin requests with a session)", m.signedIn ? "yes" : "NO"],
    ["server error log lines", fmt(m.serverErrorLogLines)],
  ];
  const kinds: string[][] = [["kind", "status codes"]];
  for (const [kind, codes] of Object.entries(m.byKind)) kinds.push([kind, JSON.stringify(codes)]);
  return [
    table(
      `Memory under a hostile mix (${fmt(s.requestsPerSecond)} req/s for ${s.durationMs / 1000} s, open loop, ` +
        `${s.connections} connections, at most ${s.maxInflight} in flight)`,
      rows,
    ),
    table("Memory scenario: answers by request kind", kinds),
  ].join("\n");
}

export function memorySummaryLines(m: MemoryReport | null): string[] {
  if (!m) return [];
  return [
    `- memory: ${fmt(m.requests.perSecond)} req/s achieved of ${fmt(m.settings.requestsPerSecond)} for ` +
      `${m.settings.durationMs / 1000} s (hostile mix, ${fmt(m.requests.skipped)} skipped); RSS start ` +
      `${fmt(m.memory.atStart?.rssMb)} MB, peak ${fmt(m.memory.peakRssMb)} MB, end ${fmt(m.memory.atEnd?.rssMb)} MB, ` +
      `VmHWM ${fmt(m.memory.atEnd?.hwmMb)} MB (goal < ${rssGoalMb}); status ${JSON.stringify(m.byStatus)}`,
  ];
}
