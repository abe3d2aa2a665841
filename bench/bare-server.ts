import http from "node:http";
import { serveBaseline } from "@/bench/serve-baseline";

// The baseline: the least a node:http server can do for a POST. It reads the request to
// the end, then answers a small JSON body, on keep-alive connections, like the gate does.
// Started by the bench as a child process: PORT and HOSTNAME come from the environment.

let served = 0;

const server = http.createServer((req, res) => {
  req.on("data", () => {});
  req.on("end", () => {
    served++;
    const payload = JSON.stringify({ state: "waiting", position: served, etaSeconds: null });
    res.writeHead(200, {
      "content-type": "application/json; charset=utf-8",
      "cache-control": "no-store",
      "content-length": Buffer.byteLength(payload),
    });
    res.end(payload);
  });
});
serveBaseline(server);
