import net from "node:net";

// A network that tests can take away: a TCP relay on a fixed loopback port that stops
// accepting (and drops every open connection) on cut(), and listens again on restore().

/** A TCP relay to `targetPort` that a test can cut and restore on the same port. */
export async function startRelay(targetPort: number) {
  const sockets = new Set<net.Socket>();
  let server: net.Server | null = null;
  let port = 0;
  const listen = () =>
    new Promise<void>((resolve) => {
      const relay = net.createServer((client) => {
        const upstream = net.connect(targetPort, "127.0.0.1");
        for (const socket of [client, upstream]) {
          sockets.add(socket);
          socket.on("close", () => sockets.delete(socket));
          socket.on("error", () => socket.destroy());
        }
        client.pipe(upstream).pipe(client);
      });
      server = relay;
      relay.listen(port, "127.0.0.1", () => {
        port = (relay.address() as net.AddressInfo).port;
        resolve();
      });
    });
  await listen();
  return {
    get endpoint() {
      return `http://127.0.0.1:${port}`;
    },
    async cut() {
      const closing = new Promise<void>((resolve) => server?.close(() => resolve()));
      for (const socket of sockets) socket.destroy();
      await closing;
    },
    restore: listen,
  };
}
