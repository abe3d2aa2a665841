import { execFile } from "node:child_process";
import path from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";

const run = promisify(execFile);
const repoRoot = path.resolve(import.meta.dirname, "..");

// Run in a child with V8's test intrinsics: whether two objects share a map is not observable
// from plain JavaScript.
const probe = `
import { executionAsyncResource } from "node:async_hooks";
const tuning = await import(${JSON.stringify(path.join(repoRoot, "server/v8-tuning.ts"))});
const { tickObjectKept } = tuning.tickObjectKept ? tuning : tuning.default;
const sameMap = new Function("a", "b", "return %HaveSameMap(a, b)");
await new Promise((resolve) => setTimeout(resolve, 10));
const kept = tickObjectKept();
// Full collections while no tick is queued: without the kept object the maps may go.
for (let i = 0; i < 5; i++) globalThis.gc();
const fresh = await new Promise((resolve) => process.nextTick(() => resolve(executionAsyncResource())));
console.log(JSON.stringify({
  symbols: Object.getOwnPropertySymbols(kept).map((symbol) => symbol.description),
  keys: Object.keys(kept),
  sameMap: sameMap(kept, fresh),
  distinct: kept !== fresh,
}));
`;

describe("v8 tuning", () => {
  it("keeps a TickObject whose map later ticks share, across full collections", async () => {
    const { stdout } = await run(
      process.execPath,
      ["--allow-natives-syntax", "--expose-gc", "--import", "tsx", "--input-type=module", "-e", probe],
      { cwd: repoRoot },
    );
    const seen = JSON.parse(stdout.trim().split("\n").at(-1) ?? "{}") as Record<string, unknown>;
    expect(seen.symbols).toContain("async_id_symbol");
    expect(seen.symbols).toContain("trigger_async_id_symbol");
    expect(seen.keys).toEqual(["callback", "args"]);
    expect(seen.distinct).toBe(true);
    expect(seen.sameMap).toBe(true);
  }, 30_000);
});
