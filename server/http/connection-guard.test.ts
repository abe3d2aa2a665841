import http from "node:http";
import net from "node:net";
import pino from "pino";
import { afterEach, describe, expect, it } from "vitest";
import { effectiveMaxConnections, guardConnections } from "@/server/http/connection-guard";

// The connection guard on a real node:http server, attacked over loopback: 127.0.0.1 is the
// attacker, 127.0.0.2 a visitor (Linux answers on all of 127.0.0.0/8).

const closers: (() => void)[] = [];
afterEach(() => {
  for (const close of closers.splice(0)) close();
});

function quietLogger() {
  const lines: Record<string, unknown>[] = [];
  const logger = pino({ level: "warn" }, { write: (line: string) => lines.push(JSON.parse(line)) });
  return { logger, lines };
}

async function startServer(limits: { maxConnections: number; maxPerAddress: number; firstRequestTimeoutMs: number }) {
  const server = http.createServer({ keepAliveTimeout: 30_000 });
  const { logger, lines } = quietLogger();
  const guard = guardConnections(server, limits, logger);
  server.on("request", (req, res) => {
    guard.noteRequest(req.socket);
    res.end("ok");
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as net.AddressInfo).port;
  const sockets: net.Socket[] = [];
  closers.push(() => {
    for (const socket of sockets) socket.destroy();
    guard.close();
    server.closeAllConnections();
    server.close();
  });
  const open = (localAddress = "127.0.0.1") =>
    new Promise<net.Socket>((resolve, reject) => {
      const socket = net.connect({ host: "127.0.0.1", port, localAddress }, () => resolve(socket));
      socket.on("error", reject);
      sockets.push(socket);
    });
  return { server, guard, port, lines, open };
}

/** Resolves once the socket is closed by the other end, or false after `withinMs`. */
function closedWithin(socket: net.Socket, withinMs: number): Promise<boolean> {
  if (socket.destroyed || socket.readableEnded) return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), withinMs);
    socket.once("close", () => {
      clearTimeout(timer);
      resolve(true);
    });
    socket.on("error", () => {});
    socket.resume();
  });
}

/** One request on a kept-alive socket; resolves with the status line. */
function request(socket: net.Socket): Promise<string> {
  return new Promise((resolve, reject) => {
    socket.once("data", (chunk: Buffer) => resolve(chunk.toString().split("\r\n")[0] ?? ""));
    socket.once("close", () => reject(new Error("closed")));
    socket.write("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
  });
}

describe("connection guard", () => {
  it("closes sockets beyond the per-address cap and counts them", async () => {
    const { open, guard, lines } = await startServer({
      maxConnections: 100,
      maxPerAddress: 5,
      firstRequestTimeoutMs: 10_000,
    });
    const sockets = await Promise.all(Array.from({ length: 8 }, () => open()));
    const closed = await Promise.all(sockets.map((s) => closedWithin(s, 1_000)));
    expect(closed.filter(Boolean)).toHaveLength(3);
    expect(guard.counts()).toMatchObject({ open: 5, refused: { per_address: 3 } });
    // One line for the first refusal; the rest are summed into the interval's line.
    expect(lines.filter((l) => l.msg?.toString().startsWith("connection limit reached"))).toHaveLength(1);
  });

  it("drops a socket that sends no request within the timeout, and keeps one that does", async () => {
    const { open, guard } = await startServer({ maxConnections: 100, maxPerAddress: 50, firstRequestTimeoutMs: 300 });
    const silent = await open();
    const talking = await open();
    expect(await request(talking)).toBe("HTTP/1.1 200 OK");
    const startedAt = Date.now();
    expect(await closedWithin(silent, 3_000)).toBe(true);
    expect(Date.now() - startedAt).toBeLessThan(2_000);
    expect(await closedWithin(talking, 600)).toBe(false);
    expect(await request(talking)).toBe("HTTP/1.1 200 OK");
    expect(guard.counts().refused.idle_timeout).toBe(1);
  });

  it("drops a socket whose request head never completes", async () => {
    const { open } = await startServer({ maxConnections: 100, maxPerAddress: 50, firstRequestTimeoutMs: 300 });
    const slow = await open();
    slow.write("GET / HTTP/1.1\r\nHost: x\r\n");
    const trickle = setInterval(() => slow.writable && slow.write("X-A: b\r\n"), 100);
    try {
      expect(await closedWithin(slow, 3_000)).toBe(true);
    } finally {
      clearInterval(trickle);
    }
  });

  it("keeps answering a visitor from another address while an attacker holds every socket it may", async () => {
    const { open, guard } = await startServer({ maxConnections: 40, maxPerAddress: 30, firstRequestTimeoutMs: 10_000 });
    const visitor = await open("127.0.0.2");
    expect(await request(visitor)).toBe("HTTP/1.1 200 OK");
    const attack = await Promise.all(Array.from({ length: 60 }, () => open("127.0.0.1")));
    const attackClosed = await Promise.all(attack.map((s) => closedWithin(s, 500)));
    expect(attackClosed.filter((c) => !c)).toHaveLength(30);
    for (let i = 0; i < 5; i++) expect(await request(visitor)).toBe("HTTP/1.1 200 OK");
    // A fresh connection from the visitor's address gets in and is answered.
    const second = await open("127.0.0.2");
    expect(await request(second)).toBe("HTTP/1.1 200 OK");
    expect(guard.counts().refused.per_address).toBe(30);
  });

  it("at the total cap, the oldest socket that sent nothing makes room; sockets in use are kept", async () => {
    const { open, guard } = await startServer({ maxConnections: 10, maxPerAddress: 0, firstRequestTimeoutMs: 10_000 });
    const visitors = await Promise.all(Array.from({ length: 3 }, () => open("127.0.0.2")));
    for (const v of visitors) expect(await request(v)).toBe("HTTP/1.1 200 OK");
    // Seven idle attacker sockets fill the cap; twenty more each push out the oldest idle one.
    const attack: net.Socket[] = [];
    for (let i = 0; i < 27; i++) attack.push(await open(`127.0.0.${3 + (i % 5)}`));
    await new Promise((r) => setTimeout(r, 200));
    expect(guard.counts().open).toBe(10);
    expect(guard.counts().refused.evicted_idle).toBe(20);
    for (const v of visitors) expect(await request(v)).toBe("HTTP/1.1 200 OK");
    const newcomer = await open("127.0.0.2");
    expect(await request(newcomer)).toBe("HTTP/1.1 200 OK");
  });

  it("refuses outright when the cap is full of sockets in use", async () => {
    const { open, guard } = await startServer({ maxConnections: 3, maxPerAddress: 0, firstRequestTimeoutMs: 10_000 });
    const busy = await Promise.all(Array.from({ length: 3 }, () => open()));
    for (const b of busy) expect(await request(b)).toBe("HTTP/1.1 200 OK");
    const late = await open();
    expect(await closedWithin(late, 1_000)).toBe(true);
    expect(guard.counts().refused.total).toBe(1);
  });
});

describe("effectiveMaxConnections", () => {
  it.each([
    { configured: 10_000, limit: null, expected: 10_000 },
    { configured: 10_000, limit: { soft: 1_024, openAtStart: 40 }, expected: 1_024 - 40 - 128 },
    { configured: 500, limit: { soft: 1_048_576, openAtStart: 40 }, expected: 500 },
    { configured: 10_000, limit: { soft: 256, openAtStart: 60 }, expected: 256 - 60 - 64 },
    { configured: 10_000, limit: { soft: 64, openAtStart: 60 }, expected: 1 },
  ])("$configured under $limit -> $expected", ({ configured, limit, expected }) => {
    expect(effectiveMaxConnections(configured, limit)).toBe(expected);
  });
});
