import "server-only";
import http from "node:http";
import { AppError } from "@/server/api/errors";
import { sendError } from "@/server/gate/http";
import { type ConnectionGuard, type ConnectionLimits, guardConnections } from "@/server/http/connection-guard";
import { answerRefusal, checkRequest } from "@/server/http/request-guard";
import type { Logger } from "@/server/log";

// The process's one HTTP server, before anything is routed: the connection guard, the request
// guard, sane timeouts, and the port bound first. It listens before the rest of the process
// starts (a port in use ends the start in milliseconds, and a cluster node that cannot listen
// never takes the lease); requests that arrive meanwhile wait until `serve` is called.

export type FrontServerOptions = {
  limits: ConnectionLimits;
  /** Most time to receive a request head (Node's headersTimeout; also the first-request timeout). */
  headersTimeoutMs: number;
  /** Most time to receive a whole request, body included (Node's requestTimeout). */
  requestTimeoutMs: number;
  logger: Logger;
};

export type FrontServer = {
  server: http.Server;
  guard: ConnectionGuard;
  /** Binds the port; rejects with a one-line explanation (port in use, not allowed). */
  listen(port: number, host: string): Promise<number>;
  /** Starts handing requests on (those that waited for the start first). */
  serve(handler: http.RequestListener): void;
};

/** Above a load balancer's usual 60 s idle timeout, so the balancer, not us, closes idle sockets. */
export const keepAliveTimeoutMs = 65_000;
/** Requests held while the process starts; beyond this, "try again in a second". */
const maxWaitingRequests = 1_000;

export function createFrontServer(options: FrontServerOptions): FrontServer {
  const server = http.createServer({
    headersTimeout: options.headersTimeoutMs,
    requestTimeout: options.requestTimeoutMs,
    // How often Node checks the two timeouts above (default 30 s, far coarser than they are).
    connectionsCheckingInterval: Math.min(1_000, options.headersTimeoutMs),
    keepAliveTimeout: keepAliveTimeoutMs,
  });
  const guard = guardConnections(server, options.limits, options.logger);
  let handler: http.RequestListener | null = null;
  let waiting: [http.IncomingMessage, http.ServerResponse][] = [];

  server.on("request", (req: http.IncomingMessage, res: http.ServerResponse) => {
    guard.noteRequest(req.socket);
    const refusal = checkRequest(req);
    if (refusal) answerRefusal(res, refusal);
    else if (handler) handler(req, res);
    else if (waiting.length < maxWaitingRequests) waiting.push([req, res]);
    else sendError(res, new AppError("unavailable", "Starting up: try again in a second.", 1));
  });
  // CONNECT asks for a tunnel; Node hands it over raw. Nothing here is a proxy.
  server.on("connect", (_req, socket) => {
    socket.on("error", () => {});
    socket.end(
      "HTTP/1.1 405 Method Not Allowed\r\nAllow: GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
    );
  });

  return {
    server,
    guard,
    listen(port, host) {
      return new Promise((resolve, reject) => {
        const onError = (error: NodeJS.ErrnoException) => {
          server.off("listening", onListening);
          reject(new Error(listenFailure(error, port, host)));
        };
        const onListening = () => {
          server.off("error", onError);
          // After the start, a failed accept (EMFILE when the file limit is reached by something
          // else) is logged; unhandled it would be an uncaught exception.
          server.on("error", (error) => options.logger.warn({ err: error }, "server error"));
          const address = server.address();
          resolve(typeof address === "object" && address ? address.port : port);
        };
        server.once("error", onError);
        server.once("listening", onListening);
        server.listen(port, host);
      });
    },
    serve(next) {
      handler = next;
      const held = waiting;
      waiting = [];
      for (const [req, res] of held) if (!res.destroyed) next(req, res);
    },
  };
}

/** One line an operator can act on. */
export function listenFailure(error: NodeJS.ErrnoException, port: number, host: string): string {
  const where = `port ${port} on ${host}`;
  switch (error.code) {
    case "EADDRINUSE":
      return `Cannot listen: ${where} is already in use. Stop the process holding it (e.g. \`lsof -i :${port}\`) or set PORT to a free port.`;
    case "EACCES":
      return `Cannot listen: not allowed to bind ${where}. Use a port above 1023 or grant the capability (CAP_NET_BIND_SERVICE).`;
    case "EADDRNOTAVAIL":
      return `Cannot listen: ${host} is not an address of this machine. Set HOSTNAME to one of its addresses or 0.0.0.0.`;
    default:
      return `Cannot listen on ${where}: ${error.code ?? ""} ${error.message}`.trim();
  }
}
