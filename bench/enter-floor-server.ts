import { createHmac, randomFillSync } from "node:crypto";
import fs from "node:fs";
import http, { type ServerResponse } from "node:http";
import { createRequire } from "node:module";
import path from "node:path";
import { serveBaseline } from "@/bench/serve-baseline";

// The enter floor: the least a durable arrival costs on this machine, the way Floodgate stores
// one, and nothing else. For each POST it takes the next place from the room's counter and
// inserts the entry into the app's own schema (every migration applied), in group commits (one
// BEGIN IMMEDIATE … COMMIT per batch, prepared statements), and answers only after an
// fdatasync of the WAL that began after the commit, with an HMAC-signed token in the body and
// a cookie. What the app does besides is left out on purpose: no routing, validation, engine,
// request ids, security headers, checkpoints or logs. So the floor is an upper bound on what
// any durable enter can reach, and the bench reports Floodgate's enter against it as well as
// against bare node:http. Started by the bench: PORT, HOSTNAME and DATABASE_FILE from the
// environment.

type Statement = { run(...params: unknown[]): unknown; get(...params: unknown[]): unknown };
type Database = {
  pragma(source: string): unknown;
  exec(sql: string): void;
  prepare(sql: string): Statement;
  transaction<T>(fn: () => T): { immediate(): T };
};

const requireFromApp = createRequire(path.join(process.cwd(), "package.json"));
const BetterSqlite = requireFromApp("better-sqlite3") as new (file: string) => Database;

const file = process.env.DATABASE_FILE;
if (!file) throw new Error("DATABASE_FILE is required");
const roomId = "default";

const db = new BetterSqlite(file);
db.pragma("journal_mode = WAL");
db.pragma("foreign_keys = ON");
// Committed with NORMAL and synced apart, as the app's direct writes do under FULL.
db.pragma("synchronous = NORMAL");
db.pragma("wal_autocheckpoint = 0");
const migrations = path.join(process.cwd(), "prisma", "migrations");
for (const dir of fs.readdirSync(migrations).sort()) {
  const sql = path.join(migrations, dir, "migration.sql");
  if (fs.existsSync(sql)) db.exec(fs.readFileSync(sql, "utf8"));
}
db.prepare(
  `INSERT INTO "Room" ("id", "name", "capacity", "heartbeatIntervalMs", "heartbeatTimeoutMs", "maxQueueLength", "updatedAt") VALUES (?, ?, 0, 5000, 20000, 1000000, ?)`,
).run(roomId, "Floor", new Date().toISOString());
db.prepare(`INSERT INTO "RoomCounters" ("roomId") VALUES (?)`).run(roomId);
const walFd = fs.openSync(`${file}-wal`, "r+");

const takePlaces = db.prepare(
  `UPDATE "RoomCounters" SET "nextSeq" = "nextSeq" + ?, "arrivedTotal" = "arrivedTotal" + ? WHERE "roomId" = ? RETURNING "nextSeq"`,
);
const inserts = new Map<number, Statement>();
function insertOf(n: number): Statement {
  let statement = inserts.get(n);
  if (!statement) {
    const values = Array.from({ length: n }, () => "(?, ?, ?, 'waiting', ?, ?)").join(", ");
    statement = db.prepare(
      `INSERT INTO "QueueEntry" ("id", "roomId", "seq", "state", "initialAhead", "enteredAt") VALUES ${values}`,
    );
    inserts.set(n, statement);
  }
  return statement;
}

type Arrival = { id: string; seq: number; res: ServerResponse };
let pending: Arrival[] = [];
let unsynced: Arrival[] = [];
let commitQueued = false;
let syncing = false;

function queueCommit(): void {
  if (commitQueued) return;
  commitQueued = true;
  // Arrivals read in the same turn of the event loop share the commit.
  setImmediate(commit);
}

function commit(): void {
  commitQueued = false;
  const batch = pending;
  pending = [];
  const first = db
    .transaction(() => {
      const { nextSeq } = takePlaces.get(batch.length, batch.length, roomId) as { nextSeq: number };
      const start = nextSeq - batch.length;
      const at = new Date().toISOString();
      // At most 256 rows a statement: well under SQLite's limit on bound parameters.
      for (let from = 0; from < batch.length; from += 256) {
        const chunk = batch.slice(from, from + 256);
        const params: unknown[] = [];
        for (const [i, arrival] of chunk.entries()) {
          const seq = start + from + i;
          params.push(arrival.id, roomId, seq, seq - 1, at);
        }
        insertOf(chunk.length).run(...params);
      }
      return start;
    })
    .immediate();
  for (const [i, arrival] of batch.entries()) arrival.seq = first + i;
  unsynced = unsynced.concat(batch);
  sync();
}

/** One fdatasync at a time, off the event loop; commits made meanwhile share the next. */
function sync(): void {
  if (syncing || unsynced.length === 0) return;
  syncing = true;
  const durable = unsynced;
  unsynced = [];
  fs.fdatasync(walFd, (error) => {
    syncing = false;
    for (const arrival of durable) {
      if (error) arrival.res.writeHead(503).end();
      else answer(arrival);
    }
    sync();
  });
}

const secret = Buffer.alloc(32);
randomFillSync(secret);
const tokenHeader = Buffer.from(JSON.stringify({ alg: "HS256", typ: "JWT" })).toString("base64url");
const idPool = Buffer.alloc(4096);
let idOffset = idPool.length;

function newId(): string {
  if (idOffset + 12 > idPool.length) {
    randomFillSync(idPool);
    idOffset = 0;
  }
  const random = idPool.toString("base64url", idOffset, idOffset + 12);
  idOffset += 12;
  return Date.now().toString(36) + random;
}

function answer({ id, seq, res }: Arrival): void {
  const claims = { room: roomId, seq, jti: id, iat: Math.floor(Date.now() / 1000) };
  const signingInput = `${tokenHeader}.${Buffer.from(JSON.stringify(claims)).toString("base64url")}`;
  const token = `${signingInput}.${createHmac("sha256", secret).update(signingInput).digest("base64url")}`;
  const payload = JSON.stringify({ token, status: { room: roomId, state: "paused", position: seq, ahead: seq - 1 } });
  res.writeHead(201, {
    "content-type": "application/json; charset=utf-8",
    "cache-control": "no-store",
    "content-length": Buffer.byteLength(payload),
    "set-cookie": `fg_queue_${roomId}=${token}; Path=/; HttpOnly; SameSite=Lax`,
  });
  res.end(payload);
}

const server = http.createServer((req, res) => {
  req.on("data", () => {});
  req.on("end", () => {
    // The bench's readiness probe.
    if (req.method !== "POST") {
      res.end("ok");
      return;
    }
    pending.push({ id: newId(), seq: 0, res });
    queueCommit();
  });
});
serveBaseline(server);
