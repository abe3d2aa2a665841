import type { Server } from "node:http";

/**
 * Serves a baseline server (bare node:http, the enter floor) the way the bench starts them:
 * PORT and HOSTNAME from the environment, keep-alive as the gate's, ended by SIGTERM or SIGINT.
 */
export function serveBaseline(server: Server): void {
  server.keepAliveTimeout = 65_000;
  server.listen(Number(process.env.PORT ?? 0), process.env.HOSTNAME ?? "127.0.0.1");
  const stop = () => {
    server.close();
    server.closeAllConnections();
    process.exit(0);
  };
  process.once("SIGTERM", stop);
  process.once("SIGINT", stop);
}
