import { describe, expect, it } from "vitest";
import { WalSync } from "@/server/db/wal-sync";

function controllable() {
  const started: { path: string; finish: (error?: Error) => void }[] = [];
  const sync = (path: string) =>
    new Promise<void>((resolve, reject) => {
      started.push({ path, finish: (error) => (error ? reject(error) : resolve()) });
    });
  return { started, sync };
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe("WalSync", () => {
  it("starts at once when idle, and makes requests made meanwhile share the next sync", async () => {
    const { started, sync } = controllable();
    const wal = new WalSync(sync);
    const settled: string[] = [];
    const first = wal.request("db-wal").then(() => settled.push("first"));
    const second = wal.request("db-wal").then(() => settled.push("second"));
    const third = wal.request("db-wal").then(() => settled.push("third"));
    await tick();
    expect(started).toHaveLength(1);
    // The running sync may have started before the second and third commits: not theirs.
    started[0]?.finish();
    await first;
    await tick();
    expect(settled).toEqual(["first"]);
    expect(started).toHaveLength(2);
    started[1]?.finish();
    await Promise.all([second, third]);
    expect(settled).toEqual(["first", "second", "third"]);
    expect(started.map((s) => s.path)).toEqual(["db-wal", "db-wal"]);
  });

  it("passes a failed sync to its waiters, and still runs the next one for those queued", async () => {
    const { started, sync } = controllable();
    const wal = new WalSync(sync);
    const first = wal.request("db-wal");
    const second = wal.request("db-wal");
    started[0]?.finish(new Error("EIO"));
    await expect(first).rejects.toThrow("EIO");
    await tick();
    expect(started).toHaveLength(2);
    started[1]?.finish();
    await expect(second).resolves.toBeUndefined();
    // Idle again: the next request starts its own sync.
    const third = wal.request("db-wal");
    expect(started).toHaveLength(3);
    started[2]?.finish();
    await third;
  });
});
