import "server-only";
import http from "node:http";

// A follower hands every request that is not the public queue API (pages, the admin console,
// protected paths) to the leader as it came, and its answer back as it comes: the console and
// the pages then see the one engine that runs the rooms, whichever node a browser reached.

/** Set by a follower on what it passes on: the client's address (trusted only with the node auth header). */
export const forwardedClientHeader = "x-floodgate-client-address";

/** Hop-by-hop headers (RFC 9110 7.6.1) are the connection's, not the message's. */
const hopByHop = new Set([
  "connection",
  "keep-alive",
  "proxy-connection",
  "transfer-encoding",
  "te",
  "trailer",
  "upgrade",
  "proxy-authorization",
  "proxy-authenticate",
]);

export type Proxy = {
  /** Passes the request to `target`; calls onUnreachable (nothing sent yet) when it cannot connect. */
  forward(
    req: http.IncomingMessage,
    res: http.ServerResponse,
    target: string,
    extraHeaders: Record<string, string>,
    onUnreachable: (error: Error) => void,
  ): void;
  close(): void;
};

export function createProxy(): Proxy {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });
  return {
    forward(req, res, target, extraHeaders, onUnreachable) {
      const headers: http.OutgoingHttpHeaders = {};
      for (const [name, value] of Object.entries(req.headers)) {
        if (!hopByHop.has(name) && value !== undefined) headers[name] = value;
      }
      Object.assign(headers, extraHeaders);
      const url = new URL(req.url ?? "/", target);
      const upstream = http.request(url, { method: req.method, headers, agent }, (answer) => {
        const out: http.OutgoingHttpHeaders = {};
        for (const [name, value] of Object.entries(answer.headers)) {
          if (!hopByHop.has(name) && value !== undefined) out[name] = value;
        }
        res.writeHead(answer.statusCode ?? 502, answer.statusMessage, out);
        answer.pipe(res);
        answer.on("error", () => res.destroy());
      });
      upstream.on("error", (error) => {
        if (!res.headersSent) onUnreachable(error);
        else res.destroy();
      });
      res.on("close", () => {
        if (!res.writableFinished) upstream.destroy();
      });
      req.pipe(upstream);
    },
    close() {
      agent.destroy();
    },
  };
}
