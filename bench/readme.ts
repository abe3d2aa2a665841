import fs from "node:fs";
import path from "node:path";
import { formatNumber, metrics, type Recorded, type RecordedRun, readRecorded } from "@/bench/record";

// npm run bench:readme: writes the README's bench tables from bench/results/recorded.json,
// between the markers below. Figures are ranges over the latest recorded full runs of each
// store (a flash crowd figure: over every flash run they kept); a goal missed in any of them
// says MISSED, a flash goal being judged on each bench run's worst flash run. Nobody edits the block by hand: the test
// beside this file fails when it differs from the recorded runs.

export const readmeFile = path.resolve(__dirname, "..", "README.md");
export const startMarker =
  "<!-- bench-figures:start (npm run bench:readme writes this block from bench/results/recorded.json) -->";
export const endMarker = "<!-- bench-figures:end -->";

/** How many of the latest runs per store the tables cover. */
export const runsShown = 5;

export function renderBenchBlock(recorded: Recorded): string {
  const out: string[] = [];
  for (const store of ["sqlite", "dynamodb"] as const) {
    const runs = recorded.runs.filter((r) => r.store === store && r.mode === "full").slice(-runsShown);
    if (!runs.length) continue;
    out.push(
      store === "sqlite"
        ? "**Embedded default (SQLite)**, `npm run bench`:"
        : "**DynamoDB store** (dynalite), `npm run bench -- --store dynamodb`:",
    );
    out.push("", describeRuns(runs), "");
    out.push("| figure | goal | recorded | goal met |", "|---|---|---|---|");
    for (const m of metrics.filter((x) => x.store === store)) {
      const seen = runs.flatMap((r) => {
        const figure = r.figures[m.key];
        return figure ? [figure] : [];
      });
      if (!seen.length) continue;
      // Each flash run's figure where the run kept them (RecordedFigure.runs), else the one figure.
      const values = seen.flatMap((f) => f.runs ?? [f.value]);
      const range = `${rangeOf(values, m.digits)}${m.unit ? ` ${m.unit}` : ""}`;
      const counted =
        values.length > seen.length
          ? ` (${values.length} flash runs in ${seen.length} bench run${seen.length > 1 ? "s" : ""})`
          : seen.length > 1
            ? ` (${seen.length} runs)`
            : "";
      const goals = [...new Set(seen.map((f) => f.goal).filter((g): g is string => g !== null))];
      const judged = seen.filter((f) => f.met !== null);
      const missed = judged.filter((f) => f.met === false).length;
      const verdict = !judged.length
        ? ""
        : missed === 0
          ? `met in ${judged.length} of ${judged.length}`
          : `**MISSED** in ${missed} of ${judged.length}`;
      out.push(`| ${m.label} | ${goals.join(", ")} | ${range}${counted} | ${verdict} |`);
    }
    out.push("");
  }
  if (!out.length) out.push("No full run recorded yet: `npm run bench -- --record`.", "");
  return out.join("\n");
}

function describeRuns(runs: RecordedRun[]): string {
  const dates = runs.map((r) => r.startedAt.slice(0, 16).replace("T", " "));
  const commits = [...new Set(runs.map((r) => r.commit))];
  const machines = [...new Set(runs.map((r) => r.machine))];
  const loads = runs.map((r) => r.loadAverageBefore[0] ?? 0);
  return (
    `${runs.length} full run${runs.length > 1 ? "s" : ""}, ${dates[0]}${runs.length > 1 ? ` to ${dates.at(-1)}` : ""} UTC, ` +
    `commit${commits.length > 1 ? "s" : ""} ${commits.map((c) => `\`${c}\``).join(", ")}; ${machines.join("; ")}; ` +
    `load average at start ${rangeOf(loads, 2)}.`
  );
}

/** "low–high", or one figure when every run gave the same. */
function rangeOf(values: number[], digits: number): string {
  const low = formatNumber(Math.min(...values), digits);
  const high = formatNumber(Math.max(...values), digits);
  return low === high ? low : `${low}–${high}`;
}

/** The README with its bench block replaced by a fresh render. */
export function withBenchBlock(readme: string, recorded: Recorded): string {
  const start = readme.indexOf(startMarker);
  const end = readme.indexOf(endMarker);
  if (start < 0 || end < start) throw new Error(`README.md has no bench block (${startMarker} … ${endMarker})`);
  return `${readme.slice(0, start + startMarker.length)}\n${renderBenchBlock(recorded)}${readme.slice(end)}`;
}

if (require.main === module) {
  const readme = fs.readFileSync(readmeFile, "utf8");
  fs.writeFileSync(readmeFile, withBenchBlock(readme, readRecorded()));
  process.stdout.write("README.md: bench figures rewritten from bench/results/recorded.json\n");
}
