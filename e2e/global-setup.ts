import type { FullConfig } from "@playwright/test";
import { metricsToken, roomId, roomSettings } from "./settings";

// Runs once, after the web server is up and before any spec. The specs fill and drain a
// waiting room, so they must never point at a shared or production deployment: anything but
// this machine is refused. Then the server is checked to be the one the specs are written
// for (one slot, empty room), so a stale or misconfigured server fails here, in one line.

const localHostnames = new Set(["localhost", "127.0.0.1", "[::1]"]);

export default async function globalSetup(config: FullConfig): Promise<void> {
  const baseURLs = new Set(config.projects.map((project) => project.use.baseURL));
  for (const baseURL of baseURLs) {
    if (!baseURL) throw new Error("e2e: every project needs use.baseURL.");
    const { hostname } = new URL(baseURL);
    if (!localHostnames.has(hostname)) {
      throw new Error(
        `e2e: refusing to run against ${baseURL}. These tests take and release places in a live waiting room; ` +
          "run them only against a server on this machine (localhost or 127.0.0.1).",
      );
    }
    await checkRoom(baseURL);
  }
}

async function checkRoom(baseURL: string): Promise<void> {
  const response = await fetch(new URL("/metrics", baseURL), { headers: { authorization: `Bearer ${metricsToken}` } });
  if (!response.ok) throw new Error(`e2e: GET ${baseURL}/metrics answered ${response.status}; is the server running?`);
  const text = await response.text();
  const read = (name: string) => {
    const match = text.match(new RegExp(`^${name}\\{room="${roomId}"\\} (\\S+)$`, "m"));
    return match ? Number(match[1]) : Number.NaN;
  };
  const capacity = read("floodgate_room_capacity");
  if (capacity !== roomSettings.capacity) {
    throw new Error(
      `e2e: room "${roomId}" has capacity ${capacity}, the specs need ${roomSettings.capacity}. ` +
        "Start the server with a fresh data directory (see playwright.config.ts).",
    );
  }
  const occupied = read("floodgate_room_active") + read("floodgate_room_waiting");
  if (occupied !== 0)
    throw new Error(`e2e: room "${roomId}" is not empty (${occupied} visitors); start a fresh server.`);
}
