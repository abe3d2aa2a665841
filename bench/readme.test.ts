import fs from "node:fs";
import { describe, expect, it } from "vitest";
import { endMarker, readmeFile, renderBenchBlock, startMarker, withBenchBlock } from "@/bench/readme";
import { type Recorded, readRecorded } from "@/bench/record";

describe("the README's bench figures", () => {
  it("are exactly what the recorded runs say (run npm run bench:readme after recording)", () => {
    const readme = fs.readFileSync(readmeFile, "utf8");
    expect(readme).toContain(startMarker);
    expect(readme).toContain(endMarker);
    expect(withBenchBlock(readme, readRecorded())).toBe(readme);
  });
});

describe("renderBenchBlock", () => {
  const run = (value: number, commit: string): Recorded["runs"][number] => ({
    startedAt: "2026-12-02T01:00:00.000Z",
    commit,
    mode: "full",
    store: "sqlite",
    machine: "2 × test CPU, Node v20",
    loadAverageBefore: [0.5, 0.4, 0.3],
    figures: {
      flashP99: { value, goal: "< 100 ms", met: value < 100 },
      heartbeatRate: { value: 9000, goal: null, met: null },
    },
  });

  it("shows a range over runs and a goal missed in any run as MISSED", () => {
    const block = renderBenchBlock({ runs: [run(73, "aaa"), run(158, "bbb")] });
    expect(block).toContain("| flash crowd p99, all requests | < 100 ms | 73–158 ms (2 runs) | **MISSED** in 1 of 2 |");
    expect(block).toContain("| heartbeat req/s |  | 9,000 req/s (2 runs) |  |");
    expect(block).toContain("commits `aaa`, `bbb`");
  });

  it("shows the range over every flash run a recorded run kept, and judges each on its worst", () => {
    const threeFlashRuns = (runs: number[], commit: string): Recorded["runs"][number] => {
      const worst = Math.max(...runs);
      const base = run(worst, commit);
      return {
        ...base,
        figures: { ...base.figures, flashP99: { value: worst, goal: "< 100 ms", met: worst < 100, runs } },
      };
    };
    // One run recorded before the flash crowd ran three times (no per-run figures), two after.
    const block = renderBenchBlock({
      runs: [run(150, "old"), threeFlashRuns([60, 95, 80], "aaa"), threeFlashRuns([40, 120, 70], "bbb")],
    });
    expect(block).toContain(
      "| flash crowd p99, all requests | < 100 ms | 40–150 ms (7 flash runs in 3 bench runs) | **MISSED** in 2 of 3 |",
    );
    expect(block).toContain("| heartbeat req/s |  | 9,000 req/s (3 runs) |  |");
  });

  it("says met only when every run met the goal", () => {
    expect(renderBenchBlock({ runs: [run(73, "aaa"), run(80, "aaa")] })).toContain(
      "| 73–80 ms (2 runs) | met in 2 of 2 |",
    );
  });
});
