import { execFileSync, spawn } from "node:child_process";
import fs from "node:fs";
import pg from "pg";
import { readAnnouncedPort } from "@/server/testing/child-port";

// A throwaway PostgreSQL cluster for tests: Debian's binaries (apt-get install postgresql;
// scripts/ensure-system-deps.sh installs them in CI), a fresh data directory in a temp folder,
// a free loopback port, durability off (fsync, synchronous_commit, full_page_writes) for speed.
//
// A small keeper process (node, in the child) runs initdb and the postmaster and prints the
// port; when its stdin closes (stop(), or this process ending however it ends, even SIGKILL)
// it stops the postmaster at once and deletes the data directory. Postgres refuses to run as
// root, so as root the cluster runs as the `postgres` system user.

export type PostgresServer = {
  /** A URL of the cluster: its `postgres` database, or `dbName`. */
  url(dbName?: string): string;
  /** A new empty database; returns its URL. */
  createDatabase(): Promise<string>;
  /** The folder of initdb, postgres, createdb, psql. */
  binDir: string;
  stop(): Promise<void>;
};

const superuser = "postgres";

/** The folder holding initdb and postgres: FLOODGATE_POSTGRES_BIN, else Debian's newest, else PATH. */
export function findPostgresBinDir(): string | null {
  const fromEnv = process.env.FLOODGATE_POSTGRES_BIN;
  if (fromEnv) return fromEnv;
  const debian = "/usr/lib/postgresql";
  if (fs.existsSync(debian)) {
    const versions = fs
      .readdirSync(debian)
      .filter((v) => fs.existsSync(`${debian}/${v}/bin/initdb`))
      .sort((a, b) => Number(b) - Number(a));
    if (versions[0]) return `${debian}/${versions[0]}/bin`;
  }
  try {
    return execFileSync("pg_config", ["--bindir"], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim();
  } catch {
    return null;
  }
}

// The keeper: argv[1] is the JSON of { binDir, uid, gid }. Runs as the parent's user; the
// postgres processes run as uid/gid.
const keeperScript = `
const { spawn, execFileSync } = require("node:child_process");
const fs = require("node:fs");
const net = require("node:net");
const os = require("node:os");
const path = require("node:path");
const { binDir, uid, gid } = JSON.parse(process.argv[1]);
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "floodgate-pg-"));
const as = uid === null ? {} : { uid, gid };
if (uid !== null) fs.chownSync(dir, uid, gid);
let postmaster = null;
let done = false;
const cleanUp = () => {
  if (done) return;
  done = true;
  if (postmaster && postmaster.exitCode === null) {
    // SIGQUIT: immediate shutdown; nothing here needs to survive.
    postmaster.kill("SIGQUIT");
    postmaster.once("exit", () => { fs.rmSync(dir, { recursive: true, force: true }); process.exit(0); });
    setTimeout(() => { postmaster.kill("SIGKILL"); }, 3000).unref();
  } else {
    fs.rmSync(dir, { recursive: true, force: true });
    process.exit(0);
  }
};
process.stdin.on("end", cleanUp);
process.stdin.on("error", cleanUp);
process.on("SIGTERM", cleanUp);
process.on("SIGINT", cleanUp);
process.stdin.resume();
const fail = (message) => { process.stderr.write(message + "\\n"); cleanUp(); process.exitCode = 1; };
function initdb() {
  execFileSync(path.join(binDir, "initdb"), ["-D", path.join(dir, "data"), "-U", "${superuser}", "--auth=trust",
    "--encoding=UTF8", "--locale=C", "--no-sync"], { ...as, stdio: ["ignore", "ignore", "pipe"] });
}
try {
  initdb();
  startPostmaster();
} catch (error) {
  fail("initdb failed: " + (error.stderr ? error.stderr.toString() : String(error)));
}
function startPostmaster() {
const probe = net.createServer();
probe.listen(0, "127.0.0.1", () => {
  const port = probe.address().port;
  probe.close(() => {
    let log = "";
    postmaster = spawn(path.join(binDir, "postgres"), ["-D", path.join(dir, "data"), "-p", String(port),
      "-c", "listen_addresses=127.0.0.1", "-c", "unix_socket_directories=" + dir,
      "-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off",
      "-c", "max_connections=400", "-c", "shared_buffers=64MB"],
      { ...as, stdio: ["ignore", "ignore", "pipe"] });
    postmaster.stderr.on("data", (chunk) => {
      log = (log + chunk.toString()).slice(-20000);
      if (log.includes("ready to accept connections") && !postmaster.announced) {
        postmaster.announced = true;
        process.stdout.write(JSON.stringify({ port }) + "\\n");
      }
    });
    postmaster.once("exit", (code) => {
      if (!done) fail("postgres exited (" + code + "): " + log);
    });
  });
});
}
`;

export async function startPostgres({ startTimeoutMs = 30_000 } = {}): Promise<PostgresServer> {
  const binDir = findPostgresBinDir();
  if (!binDir || !fs.existsSync(`${binDir}/postgres`)) {
    throw new Error(
      "PostgreSQL binaries not found: apt-get install -y postgresql (or bash scripts/ensure-system-deps.sh), " +
        "or set FLOODGATE_POSTGRES_BIN to the folder holding initdb and postgres",
    );
  }
  const owner = process.getuid?.() === 0 ? systemUser("postgres") : null;
  const child = spawn(
    process.execPath,
    ["-e", keeperScript, JSON.stringify({ binDir, uid: owner?.uid ?? null, gid: owner?.gid ?? null })],
    { stdio: ["pipe", "pipe", "pipe"] },
  );
  const killChild = () => child.stdin?.end();
  process.once("exit", killChild);
  let port: number;
  try {
    port = await readAnnouncedPort(child, "PostgreSQL", startTimeoutMs);
  } catch (error) {
    child.kill("SIGTERM");
    process.off("exit", killChild);
    throw error;
  }
  // A forgotten stop() must not keep the test process alive; stdin closing at exit ends the keeper.
  child.unref();
  for (const stream of [child.stdin, child.stdout, child.stderr])
    (stream as unknown as { unref?: () => void }).unref?.();

  const url = (dbName = "postgres") => `postgresql://${superuser}@127.0.0.1:${port}/${dbName}`;
  let databases = 0;
  let stopped: Promise<void> | null = null;
  return {
    url,
    binDir,
    async createDatabase() {
      const name = `floodgate_${process.pid}_${++databases}`;
      const client = new pg.Client({ connectionString: url() });
      await client.connect();
      try {
        await client.query(`CREATE DATABASE "${name}"`);
      } finally {
        await client.end();
      }
      return url(name);
    },
    stop() {
      stopped ??= new Promise<void>((resolve) => {
        process.off("exit", killChild);
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once("exit", () => resolve());
        child.ref();
        child.stdin?.end();
      });
      return stopped;
    },
  };
}

function systemUser(name: string): { uid: number; gid: number } {
  const line = fs
    .readFileSync("/etc/passwd", "utf8")
    .split("\n")
    .find((l) => l.startsWith(`${name}:`));
  const [, , uid, gid] = line?.split(":") ?? [];
  if (!uid || !gid) {
    throw new Error(
      `running as root, PostgreSQL needs the "${name}" system user (apt-get install postgresql makes it)`,
    );
  }
  return { uid: Number(uid), gid: Number(gid) };
}
