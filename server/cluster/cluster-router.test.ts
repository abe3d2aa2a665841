import http from "node:http";
import type { AddressInfo } from "node:net";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ClusterNode } from "@/server/cluster/cluster-node";
import { createClusterRouter } from "@/server/cluster/cluster-router";
import type { Gate } from "@/server/gate/gate";

// Where a follower sends what while no node leads (the takeover gap): the console's pages and
// system status locally, the queue API through its own gate, everything else "retry shortly".

let server: http.Server;
let base: string;
let leader: string | null = null;

beforeAll(async () => {
  const node = {
    handleInternal: () => false,
    isLeading: () => false,
    leaderUrl: () => leader,
  } as unknown as ClusterNode;
  const followerGate: Gate = {
    handle(req, res) {
      if (!req.url?.startsWith("/api/queue/") && req.url !== "/healthz") return false;
      res.writeHead(200).end("follower gate");
      return true;
    },
  };
  const router = createClusterRouter({ node, followerGate, secret: "s".repeat(40), logger: pino({ level: "silent" }) });
  server = http.createServer((req, res) =>
    router.route(req, res, "198.51.100.7", () => res.writeHead(200).end("served locally")),
  );
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(() => {
  server.close();
});

describe("a follower while no node leads", () => {
  it.each([
    ["/api/queue/shop/heartbeat", 200, "follower gate"],
    ["/healthz", 200, "follower gate"],
    ["/admin", 200, "served locally"],
    ["/admin/rooms/shop", 200, "served locally"],
    ["/api/auth/csrf", 200, "served locally"],
    ["/api/admin/system", 200, "served locally"],
  ])("serves %s itself", async (path, status, body) => {
    const res = await fetch(`${base}${path}`);
    expect(res.status).toBe(status);
    expect(await res.text()).toBe(body);
  });

  it.each(["/api/admin/rooms", "/api/admin/rooms/shop/capacity", "/shop", "/wait/shop", "/metrics"])(
    "asks to retry for %s: this node runs no rooms",
    async (path) => {
      const json = await fetch(`${base}${path}`);
      expect(json.status).toBe(503);
      expect(json.headers.get("retry-after")).toBe("2");
      expect((await json.json()).error.code).toBe("unavailable");
      const page = await fetch(`${base}${path}`, { headers: { accept: "text/html" } });
      expect(page.status).toBe(503);
      expect(await page.text()).toContain("switching servers");
      const korean = await fetch(`${base}${path}`, { headers: { accept: "text/html", "accept-language": "ko-KR" } });
      expect(await korean.text()).toContain("대기실 서버를 전환하고 있습니다");
    },
  );

  it("passes requests on to the leader once one is known, with the visitor's address", async () => {
    const seen: http.IncomingHttpHeaders[] = [];
    const upstream = http.createServer((req, res) => {
      seen.push(req.headers);
      res.writeHead(201, { "x-from": "leader" }).end(`leader got ${req.method} ${req.url}`);
    });
    await new Promise<void>((resolve) => upstream.listen(0, "127.0.0.1", resolve));
    leader = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`;
    try {
      const res = await fetch(`${base}/api/admin/rooms?x=1`, { method: "POST", body: "{}" });
      expect(res.status).toBe(201);
      expect(res.headers.get("x-from")).toBe("leader");
      expect(await res.text()).toBe("leader got POST /api/admin/rooms?x=1");
      expect(seen[0]?.["x-floodgate-client-address"]).toBe("198.51.100.7");
      expect(seen[0]?.["x-floodgate-node-auth"]).toBe("s".repeat(40));
    } finally {
      leader = null;
      upstream.close();
    }
  });
});
