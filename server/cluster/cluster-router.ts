import "server-only";
import type { IncomingMessage, ServerResponse } from "node:http";
import { LANG_COOKIE } from "@/components/waiting/negotiate-language";
import type { ClusterNode } from "@/server/cluster/cluster-node";
import { createProxy, forwardedClientHeader } from "@/server/cluster/http-proxy";
import { clusterAuthHeader } from "@/server/cluster/remote-engine";
import { pickLanguage, renderUnavailablePage } from "@/server/gate/full-page";
import type { Gate } from "@/server/gate/gate";
import { cookieValue, sendJson } from "@/server/gate/http";
import type { Logger } from "@/server/log";
import { gatePageSecurityHeaders } from "@/server/security-headers";

// Where a request goes on a cluster node. The leader serves everything. A follower answers the
// public queue API itself (its engine forwards the calls to the leader), its health and the
// JWKS; every other request goes to the leader as it came. While no leader is known, a
// follower serves the admin console itself (so operators see the state of things) and asks
// visitors to retry in a moment: their places are stored and kept.

const ownPaths = ["/api/queue/", "/healthz", "/.well-known/jwks.json"];
/**
 * Served locally while no node leads: the console's pages, sign-in, assets and the system
 * status (so the banner can say what is going on). Its other API calls answer 503: this node's
 * engine holds no rooms, and "no rooms yet, create one" would be a lie.
 */
const consolePaths = ["/admin", "/api/auth", "/api/admin/system", "/_next/", "/favicon", "/openapi"];
const retryAfterSeconds = 2;

export type ClusterRouter = {
  /** Answers or forwards the request; `serveLocally` is the single-node path (gate, then Next). */
  route(req: IncomingMessage, res: ServerResponse, clientAddress: string, serveLocally: () => void): void;
  close(): void;
};

export function createClusterRouter(options: {
  node: ClusterNode;
  /** The gate over the node's RemoteEngine. */
  followerGate: Gate;
  secret: string;
  logger: Logger;
}): ClusterRouter {
  const { node, followerGate, secret, logger } = options;
  const proxy = createProxy();

  function unavailable(req: IncomingMessage, res: ServerResponse): void {
    req.resume();
    const headers = { "retry-after": String(retryAfterSeconds), "cache-control": "no-store" };
    if (req.headers.accept?.includes("text/html")) {
      // The gate page's own policy: its countdown script runs by its hash, nothing else does.
      res.writeHead(503, { ...gatePageSecurityHeaders(), ...headers, "content-type": "text/html; charset=utf-8" });
      // In the visitor's language, like the gate's own "room full" page.
      const lang = pickLanguage(req.headers["accept-language"], cookieValue(req.headers.cookie, LANG_COOKIE));
      res.end(renderUnavailablePage("switching_servers", lang, retryAfterSeconds));
      return;
    }
    sendJson(
      res,
      503,
      { error: { code: "unavailable", message: "The waiting room is switching servers; try again in a moment." } },
      headers,
    );
  }

  return {
    route(req, res, clientAddress, serveLocally) {
      if (node.handleInternal(req, res)) return;
      if (node.isLeading()) {
        serveLocally();
        return;
      }
      const path = req.url ?? "/";
      if (ownPaths.some((p) => path.startsWith(p))) {
        if (!followerGate.handle(req, res, () => unavailable(req, res))) unavailable(req, res);
        return;
      }
      const leader = node.leaderUrl();
      if (!leader) {
        if (consolePaths.some((p) => path.startsWith(p))) serveLocally();
        else unavailable(req, res);
        return;
      }
      const headers = { [forwardedClientHeader]: clientAddress, [clusterAuthHeader]: secret };
      proxy.forward(req, res, leader, headers, (error) => {
        logger.warn({ err: error, leader, path }, "leader unreachable for a passed-on request");
        unavailable(req, res);
      });
    },
    close() {
      proxy.close();
    },
  };
}
