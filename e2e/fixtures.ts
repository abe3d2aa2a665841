import path from "node:path";
import {
  type APIRequestContext,
  type BrowserContext,
  type BrowserContextOptions,
  test as base,
  expect,
  type Page,
  type TestInfo,
} from "@playwright/test";
import { admissionCookie, metricsToken, queueCookie, roomId, roomSettings, waitingPageUrl } from "./settings";

// Typed fixtures shared by every spec:
// - `room`: the default room as its operator sees it (Prometheus counters), and a way to
//   wait until it is empty. Automatic: each test starts and ends with an empty room.
// - `visitor`: a factory for people, each in their own browser context (own cookies, own
//   tab). Whoever is still around when the test ends leaves the line.

export type RoomStats = {
  capacity: number;
  active: number;
  waiting: number;
  admittedTotal: number;
  expiredTotal: number;
  leftTotal: number;
  maxActiveObserved: number;
};

export type Room = {
  id: string;
  settings: typeof roomSettings;
  /** The room's counters, from GET /metrics. */
  stats(): Promise<RoomStats>;
  /** Polls until nobody is inside or in line (silent visitors expire within the heartbeat timeout). */
  waitUntilEmpty(): Promise<void>;
  /** Tells the room that the holder of this queue token is gone (what a closing tab's beacon does). */
  leave(queueToken: string): Promise<void>;
};

export type Visitor = {
  name: string;
  context: BrowserContext;
  page: Page;
  /** Closes the tab the way a person does: pagehide fires, and the page says goodbye. */
  closeTab(): Promise<void>;
  /** The network drops for the queue API: every heartbeat and goodbye fails from now on. */
  loseConnection(): Promise<void>;
  restoreConnection(): Promise<void>;
  /** The visitor's cookie value, HttpOnly ones included. */
  cookie(name: string): Promise<string | undefined>;
  /** Gone for good: the context closes and the visitor's place (if any) is given up. */
  leave(): Promise<void>;
};

export type NewVisitor = (name: string, options?: BrowserContextOptions) => Promise<Visitor>;

/** Long enough for a silent visitor to be expired, plus a tick and a heartbeat. */
/** True for a heartbeat call of the room, whatever its query (the page id rides there). */
export function isHeartbeat(url: string, room: string = roomId): boolean {
  return new URL(url).pathname === `/api/queue/${room}/heartbeat`;
}

export const emptyRoomTimeoutMs = roomSettings.heartbeatTimeoutMs + 5_000;

const queueApiPattern = `**/api/queue/${roomId}/**`;

function readGauge(exposition: string, name: string): number {
  const match = exposition.match(new RegExp(`^${name}\\{room="${roomId}"\\} (\\S+)$`, "m"));
  if (!match) throw new Error(`metric ${name} for room "${roomId}" is missing from /metrics`);
  return Number(match[1]);
}

function createRoom(api: APIRequestContext): Room {
  async function stats(): Promise<RoomStats> {
    const response = await api.get("/metrics", { headers: { authorization: `Bearer ${metricsToken}` } });
    expect(response.status(), "GET /metrics").toBe(200);
    const text = await response.text();
    return {
      capacity: readGauge(text, "floodgate_room_capacity"),
      active: readGauge(text, "floodgate_room_active"),
      waiting: readGauge(text, "floodgate_room_waiting"),
      admittedTotal: readGauge(text, "floodgate_room_admitted_total"),
      expiredTotal: readGauge(text, "floodgate_room_expired_total"),
      leftTotal: readGauge(text, "floodgate_room_left_total"),
      maxActiveObserved: readGauge(text, "floodgate_room_max_active_observed"),
    };
  }

  return {
    id: roomId,
    settings: roomSettings,
    stats,
    async waitUntilEmpty() {
      const deadline = Date.now() + emptyRoomTimeoutMs;
      for (let attempt = 0; ; attempt++) {
        const { active, waiting } = await stats();
        // Negative counts mean the server's books are wrong; waiting will not mend them.
        if (active < 0 || waiting < 0) {
          throw new Error(`room "${roomId}" counters are corrupt (active ${active}, waiting ${waiting}): a server bug`);
        }
        if (active === 0 && waiting === 0) return;
        if (Date.now() > deadline) {
          throw new Error(
            `room "${roomId}" did not empty within ${emptyRoomTimeoutMs} ms (active ${active}, waiting ${waiting})`,
          );
        }
        await new Promise((resolve) => setTimeout(resolve, attempt < 5 ? 100 : 250));
      }
    },
    async leave(queueToken) {
      const response = await api.post(`/api/queue/${roomId}/leave`, {
        headers: { cookie: `${queueCookie}=${queueToken}` },
      });
      expect(response.status(), "POST leave").toBe(204);
    },
  };
}

/** GET /shop with this admission cookie alone, not following the redirect: 200 in, 307 out. */
export async function shopAnswers(baseURL: string | undefined, admissionToken: string | undefined): Promise<number> {
  const response = await fetch(new URL("/shop", baseURL), {
    headers: { cookie: `${admissionCookie}=${admissionToken}` },
    redirect: "manual",
  });
  await response.body?.cancel();
  return response.status;
}

/**
 * Alice inside the shop (opened at `alicePath`), Bob first in line behind her: the one-slot
 * room's usual cast.
 */
export async function aliceInsideBobWaiting(visitor: NewVisitor, alicePath = "/shop") {
  const alice = await visitor("Alice");
  await alice.page.goto(alicePath);
  await expect(alice.page.getByTestId("shop-banner")).toBeVisible({ timeout: 10_000 });
  const bob = await visitor("Bob");
  await bob.page.goto("/shop");
  await expect(bob.page).toHaveURL(waitingPageUrl);
  await expect(bob.page.getByTestId("wait-position")).toHaveText("1");
  return { alice, bob };
}

/**
 * A full-page picture of what the person sees, for a human to look at: test-results/screenshots/
 * (gitignored, renewed each run) and attached to the HTML report.
 */
export async function saveScreenshot(page: Page, name: string, testInfo: TestInfo): Promise<void> {
  const file = path.join(testInfo.project.outputDir, "screenshots", `${name}.png`);
  await page.screenshot({ path: file, fullPage: true, animations: "disabled", caret: "hide" });
  await testInfo.attach(name, { path: file, contentType: "image/png" });
}

export const test = base.extend<{ room: Room; visitor: NewVisitor }>({
  room: [
    async ({ playwright, baseURL }, use) => {
      const api = await playwright.request.newContext({ baseURL });
      const room = createRoom(api);
      // A test that failed before may have left someone behind; they expire by themselves.
      await room.waitUntilEmpty();
      await use(room);
      await room.waitUntilEmpty();
      await api.dispose();
    },
    { auto: true },
  ],

  visitor: async ({ browser, room }, use) => {
    const visitors: Visitor[] = [];

    const newVisitor: NewVisitor = async (name, options = {}) => {
      const context = await browser.newContext(options);
      const page = await context.newPage();
      let gone = false;
      const visitor: Visitor = {
        name,
        context,
        page,
        async closeTab() {
          // Just after a heartbeat, so that none is in flight: one that reaches the server
          // after the goodbye cancels it (a known race, reported), leaving only the timeout.
          await page.waitForResponse((r) => isHeartbeat(r.url(), roomId));
          // runBeforeUnload makes Chromium run pagehide, as closing a real tab does.
          const closed = page.waitForEvent("close");
          await page.close({ runBeforeUnload: true });
          await closed;
        },
        async loseConnection() {
          await context.route(queueApiPattern, (route) => route.abort("internetdisconnected"));
        },
        async restoreConnection() {
          await context.unroute(queueApiPattern);
        },
        async cookie(cookieName) {
          return (await context.cookies()).find((c) => c.name === cookieName)?.value;
        },
        async leave() {
          if (gone) return;
          gone = true;
          // One goodbye per visitor: each open page says it on pagehide, as a closing tab does;
          // a page without JavaScript cannot, so it is said for it. (Goodbyes said twice are
          // a case of their own, in admission.spec.ts.)
          const token = options.javaScriptEnabled === false ? await visitor.cookie(queueCookie) : undefined;
          for (const open of context.pages()) {
            const closed = open.waitForEvent("close");
            await open.close({ runBeforeUnload: true });
            await closed;
          }
          await context.close();
          if (token) await room.leave(token);
        },
      };
      visitors.push(visitor);
      return visitor;
    };

    await use(newVisitor);
    for (const visitor of visitors) await visitor.leave();
  },
});

export { expect };
