import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { defineConfig } from "@playwright/test";
import { adminAccount, metricsSampleMs, metricsToken, roomSettings, snsTopicArn } from "./e2e/settings";

// End-to-end tests against the real process entry (server/main.ts) on a production build.
// `npm run build` comes first; this only starts the server. The specs share one server whose
// default room has one slot, so they run one at a time and each leaves the room empty.

// Port 3311, or any free one when that is taken (another checkout's run on this machine);
// E2E_PORT picks one outright. Worker processes load this file too and inherit the choice.
const portProbe = `const net = require("node:net");
const listen = (port) => { const s = net.createServer(); s.once("error", () => listen(0));
  s.listen(port, "127.0.0.1", () => { process.stdout.write(String(s.address().port)); s.close(); }); };
listen(3311);`;
process.env.E2E_PORT ??= execFileSync(process.execPath, ["-e", portProbe], { encoding: "utf8" }).trim();
const port = Number(process.env.E2E_PORT);
// The SNS-compatible endpoint alerts are delivered to (server/testing/fake-sns.ts): any free port.
process.env.E2E_SNS_PORT ??= execFileSync(process.execPath, ["-e", portProbe.replace("3311", "0")], {
  encoding: "utf8",
}).trim();
const snsPort = Number(process.env.E2E_SNS_PORT);

// An explicit local server (e.g. `npm run dev` with the same room settings); otherwise one is started.
const externalBaseURL = process.env.E2E_BASE_URL;
const baseURL = externalBaseURL ?? `http://127.0.0.1:${port}`;

// A fresh data directory per run: the default room's settings apply only when it is first
// created. Worker processes load this file too; they inherit the variable and so share the
// runner's directory instead of making their own.
const ownsDataDir = !process.env.FLOODGATE_E2E_RUN_DATA_DIR;
if (ownsDataDir) {
  process.env.FLOODGATE_E2E_RUN_DATA_DIR = fs.mkdtempSync(path.join(os.tmpdir(), `floodgate-e2e-${process.pid}-`));
}
const dataDir = process.env.FLOODGATE_E2E_RUN_DATA_DIR as string;
if (ownsDataDir && !process.env.E2E_KEEP_DATA) {
  // By exit the web server has been stopped; E2E_KEEP_DATA=1 keeps the database to look at.
  process.on("exit", () => fs.rmSync(dataDir, { recursive: true, force: true }));
}

const chromiumArgs = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
];

export default defineConfig({
  testDir: "e2e",
  globalSetup: "./e2e/global-setup.ts",
  fullyParallel: false,
  workers: 1,
  // A test that passes only on a second try is a failure: no retries, and a flaky verdict fails
  // the run; a stray test.only fails it too, whatever the environment (.ci/run sets no CI).
  forbidOnly: true,
  retries: 0,
  failOnFlakyTests: true,
  timeout: 60_000,
  reporter: [["list"], ["html", { open: "never" }]],
  use: {
    baseURL,
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
    headless: true,
    locale: "en-US",
    launchOptions: { executablePath: process.env.FLOODGATE_CHROMIUM ?? "/usr/bin/chromium", args: chromiumArgs },
  },
  projects: [{ name: "chromium" }],
  webServer: [
    {
      command: `node_modules/.bin/tsx scripts/fake-sns.ts --port ${snsPort} --topic ${snsTopicArn}`,
      url: `http://127.0.0.1:${snsPort}/__messages`,
      reuseExistingServer: false,
      timeout: 60_000,
      stdout: "ignore",
      stderr: "pipe",
    },
    ...(externalBaseURL
      ? []
      : [
          <const>{
            command: "node_modules/.bin/tsx server/main.ts",
            url: `${baseURL}/healthz`,
            reuseExistingServer: false,
            timeout: 120_000,
            stdout: "ignore",
            stderr: "pipe",
            gracefulShutdown: { signal: "SIGTERM", timeout: 5_000 },
            env: {
              NODE_ENV: "production",
              NEXT_TELEMETRY_DISABLED: "1",
              PORT: String(port),
              HOSTNAME: "127.0.0.1",
              LOG_LEVEL: "warn",
              FLOODGATE_DATA_DIR: dataDir,
              // Named outright so a DATABASE_URL or https public URL in the shell cannot leak in.
              DATABASE_URL: `file:${path.join(dataDir, "floodgate.db")}`,
              FLOODGATE_PUBLIC_URL: baseURL,
              FLOODGATE_TRUST_PROXY: "false",
              FLOODGATE_METRICS_TOKEN: metricsToken,
              FLOODGATE_DEFAULT_ROOM_PROTECTED_PATHS: "/shop",
              FLOODGATE_DEFAULT_ROOM_CAPACITY: String(roomSettings.capacity),
              FLOODGATE_DEFAULT_ROOM_HEARTBEAT_INTERVAL_MS: String(roomSettings.heartbeatIntervalMs),
              FLOODGATE_DEFAULT_ROOM_HEARTBEAT_TIMEOUT_MS: String(roomSettings.heartbeatTimeoutMs),
              FLOODGATE_LEAVE_GRACE_MS: String(roomSettings.leaveGraceMs),
              FLOODGATE_ADMIN_EMAIL: adminAccount.email,
              FLOODGATE_ADMIN_PASSWORD: adminAccount.password,
              FLOODGATE_METRICS_SAMPLE_MS: String(metricsSampleMs),
              // Alerts and scale announcements go to the fake SNS, signed with throwaway credentials.
              FLOODGATE_SNS_ENDPOINT: `http://127.0.0.1:${snsPort}`,
              FLOODGATE_SNS_REGION: "us-east-1",
              AWS_ACCESS_KEY_ID: "e2e-not-a-key",
              AWS_SECRET_ACCESS_KEY: "e2e-not-a-secret",
              FLOODGATE_SNS_TIMEOUT_MS: "2000",
            },
          },
        ]),
  ],
});
