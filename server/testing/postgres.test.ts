import { spawn } from "node:child_process";
import pg from "pg";
import { describe, expect, it } from "vitest";
import { startPostgres } from "@/server/testing/postgres";

// The throwaway cluster: databases on demand, and gone with its owner however the owner ends.

async function query(url: string, text: string) {
  const client = new pg.Client({ connectionString: url });
  // A server going away mid-connect is reported here as well as by the rejected promise.
  client.on("error", () => {});
  await client.connect();
  try {
    return (await client.query(text)).rows;
  } finally {
    await client.end();
  }
}

async function reachable(url: string): Promise<boolean> {
  try {
    await query(url, "SELECT 1");
    return true;
  } catch {
    return false;
  }
}

describe("startPostgres", () => {
  it("creates empty databases, apart from each other, and stops", async () => {
    const server = await startPostgres();
    const a = await server.createDatabase();
    const b = await server.createDatabase();
    expect(a).not.toBe(b);
    await query(a, "CREATE TABLE t (x int)");
    expect(await query(b, "SELECT count(*)::int AS n FROM pg_tables WHERE tablename = 't'")).toEqual([{ n: 0 }]);
    expect((await query(server.url(), "SHOW fsync"))[0]).toEqual({ fsync: "off" });
    await server.stop();
    expect(await reachable(a)).toBe(false);
  });

  it("dies with the process that started it, even by SIGKILL", async () => {
    const owner = spawn(process.execPath, ["--import", "tsx", "scripts/postgres.ts"], {
      stdio: ["pipe", "pipe", "inherit"],
    });
    const url = await new Promise<string>((resolve, reject) => {
      let out = "";
      owner.stdout.on("data", (chunk: Buffer) => {
        out += chunk.toString();
        if (out.includes("\n")) resolve((JSON.parse(out.split("\n")[0] as string) as { url: string }).url);
      });
      owner.once("exit", (code) => reject(new Error(`scripts/postgres.ts exited (${code})`)));
    });
    expect(await reachable(url)).toBe(true);
    owner.kill("SIGKILL");
    await expect.poll(() => reachable(url), { timeout: 10_000, interval: 200 }).toBe(false);
  });
});
