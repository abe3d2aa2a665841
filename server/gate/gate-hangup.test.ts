import http from "node:http";
import net, { type AddressInfo } from "node:net";
import pino from "pino";
import { afterAll, beforeAll, expect, it } from "vitest";
import { createGate } from "@/server/gate/gate";
import { createMetricsRegistry } from "@/server/metrics/prometheus";
import { createEngineFixture, type EngineFixture, testRoom } from "@/server/testing/engine-fixture";
import { testDataDir } from "@/server/testing/temp-db";
import { createAdmissionTokens } from "@/server/tokens/admission-token";
import { loadSecrets } from "@/server/tokens/secrets";

// A client that hangs up halfway through a body is the client's doing: the gate logs nothing
// (the request fuzz found a stack trace per hang-up, a lever for flooding the log).

let fixture: EngineFixture;
let server: http.Server;
let port: number;
const lines: { level: number; msg: string }[] = [];

beforeAll(async () => {
  fixture = await createEngineFixture([testRoom({ id: "default", capacity: 1, protectedPaths: ["/shop"] })]);
  const secrets = await loadSecrets({ dataDir: testDataDir(fixture.databaseUrl) });
  const gate = createGate({
    engine: fixture.engine,
    admissionTokens: await createAdmissionTokens(secrets),
    logger: pino({ level: "info" }, { write: (line: string) => lines.push(JSON.parse(line)) }),
    queueCookieMaxAgeS: 3600,
    publicUrlIsHttps: false,
    trustProxy: false,
    allowedOrigins: [],
    metrics: createMetricsRegistry(fixture.engine),
    metricsToken: undefined,
    newPlacesPerMinutePerIp: 0,
  });
  server = http.createServer((req, res) => {
    if (!gate.handle(req, res, () => res.writeHead(299).end("next"))) res.writeHead(298).end("not gate");
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  port = (server.address() as AddressInfo).port;
});

afterAll(async () => {
  server.close();
  await fixture.store.close();
});

it("logs nothing when a client hangs up halfway through a body", async () => {
  for (const action of ["enter", "heartbeat", "leave"]) {
    const socket = net.connect({ host: "127.0.0.1", port });
    await new Promise((resolve) => socket.once("connect", resolve));
    socket.write(
      `POST /api/queue/default/${action} HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\ncontent-length: 100\r\n\r\n{"tok`,
    );
    await new Promise((resolve) => setTimeout(resolve, 50));
    socket.destroy();
  }
  // The server sees each hang-up as the stream's "aborted" error.
  await new Promise((resolve) => setTimeout(resolve, 200));
  expect(lines.filter((line) => line.level >= 40).map((line) => line.msg)).toEqual([]);
});
