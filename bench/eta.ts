import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { z } from "zod";
import { table } from "@/bench/table";

// npm run bench -- --only eta [--seeds N]: the wait estimate judged on simulated traffic
// (server/testing/eta-simulation.ts: the real engine and store, a simulated clock and people),
// each scenario over N seeds pooled. It runs through vitest, which provides the migrated test
// database the engine runs on; the unit suite runs the same scenarios with 2 seeds and holds
// the goals.

const reportSchema = z.array(
  z.object({
    name: z.string(),
    goal: z.number(),
    waited: z.number(),
    estimated: z.number(),
    medianError: z.number().nullable(),
    p90Error: z.number().nullable(),
    medianBias: z.number().nullable(),
    slippedOverMinute: z.number().nullable(),
  }),
);

export type EtaBenchReport = z.infer<typeof reportSchema>;

export function runEtaBench(seeds: number, log: (line: string) => void): EtaBenchReport {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "floodgate-eta-")), "report.json");
  log(`wait estimate on simulated traffic: ${seeds} seeds a scenario (a minute or two each)`);
  try {
    execFileSync("npx", ["vitest", "run", "server/testing/eta-simulation.test.ts"], {
      env: { ...process.env, FLOODGATE_ETA_SIM_SEEDS: String(seeds), FLOODGATE_ETA_SIM_REPORT: file },
      stdio: ["ignore", "ignore", "inherit"],
    });
  } catch {
    log("(a scenario missed its goal: see the table)");
  }
  // JSON turns NaN (no estimate given) into null.
  const report = reportSchema.parse(JSON.parse(fs.readFileSync(file, "utf8")));
  const percent = (x: number | null) => (x === null ? "n/a" : `${(x * 100).toFixed(1)}%`);
  log(
    table("wait estimate at entry (error relative to the real wait, at least 10 s)", [
      ["scenario", "waited", "told an estimate", "median error", "goal", "p90 error", "median bias", "slipped > 1 min"],
      ...report.map((r) => [
        r.name,
        String(r.waited),
        String(r.estimated),
        percent(r.medianError),
        `≤ ${percent(r.goal)}`,
        percent(r.p90Error),
        r.medianBias === null ? "n/a" : `${r.medianBias >= 0 ? "+" : ""}${percent(r.medianBias)}`,
        percent(r.slippedOverMinute),
      ]),
    ]),
  );
  return report;
}
