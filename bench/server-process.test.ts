import { describe, expect, it } from "vitest";
import { startNodeFlags } from "@/bench/server-process";

// The bench starts the app with the Node flags of `npm start`, and those flags bound the V8
// heap: without a bound V8 sizes its heap for a quarter of the machine's memory (4 GB on the
// development box) and lets garbage pile up to hundreds of MB before collecting it.

describe("startNodeFlags", () => {
  it("reads a bound on the old space from npm start, with room for 100,000 waiting visitors", () => {
    const flag = startNodeFlags().find((f) => f.startsWith("--max-old-space-size="));
    expect(flag, "npm start sets --max-old-space-size").toBeDefined();
    const mb = Number(flag?.split("=")[1]);
    // 100,000 waiting visitors took RSS to 321 MB with a 256 MB bound (bench heartbeat).
    expect(mb).toBeGreaterThanOrEqual(256);
    // The memory scenario's goal is RSS < 500 MB: the heap must stay well inside it.
    expect(mb).toBeLessThanOrEqual(400);
  });
});
