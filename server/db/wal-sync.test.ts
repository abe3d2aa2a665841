import fs from "node:fs";
import os from "node:os";
import path from "node:path";
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

describe("WalSync's default sync (fdatasync of the file)", () => {
  it("syncs a file, follows it when it is deleted and recreated, and fails when it is gone", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "floodgate-wal-"));
    const file = path.join(dir, "db-wal");
    const wal = new WalSync();
    fs.writeFileSync(file, "one");
    await wal.request(file);
    fs.rmSync(file);
    await expect(wal.request(file)).rejects.toThrow(/ENOENT/);
    fs.writeFileSync(file, "two");
    await expect(wal.request(file)).resolves.toBeUndefined();
    fs.rmSync(dir, { recursive: true });
  });
});
