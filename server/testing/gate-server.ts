import http from "node:http";
import type { AddressInfo } from "node:net";
import pino from "pino";
import { createGate, type GateOptions } from "@/server/gate/gate";
import { createMetricsRegistry } from "@/server/metrics/prometheus";
import type { EngineFixture } from "@/server/testing/engine-fixture";
import { testDataDir } from "@/server/testing/temp-db";
import { createAdmissionTokens } from "@/server/tokens/admission-token";
import { loadSecrets } from "@/server/tokens/secrets";

/**
 * The gate over a fixture's engine on a node:http server on 127.0.0.1 (what it passes on
 * answers 299 "next", what it does not take 298), for tests that speak HTTP to it.
 */
export async function startGateServer(
  fixture: EngineFixture,
  options: Partial<GateOptions> = {},
): Promise<{ base: string; port: number; close(): void }> {
  const secrets = await loadSecrets({ dataDir: testDataDir(fixture.databaseUrl) });
  const gate = createGate({
    engine: fixture.engine,
    admissionTokens: await createAdmissionTokens(secrets),
    logger: pino({ level: "silent" }),
    queueCookieMaxAgeS: 3600,
    publicUrlIsHttps: false,
    trustProxy: false,
    allowedOrigins: [],
    metrics: createMetricsRegistry(fixture.engine),
    metricsToken: undefined,
    newPlacesPerMinutePerIp: 0,
    ...options,
  });
  const server = http.createServer((req, res) => {
    if (!gate.handle(req, res, () => res.writeHead(299).end("next"))) res.writeHead(298).end("not gate");
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return { base: `http://127.0.0.1:${port}`, port, close: () => server.close() };
}
