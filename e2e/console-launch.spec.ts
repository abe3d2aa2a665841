import {
  type APIRequestContext,
  type BrowserContextOptions,
  type Page,
  request as playwrightRequest,
} from "@playwright/test";
import { signInApi, signInPage } from "./console";
import { saveScreenshot as capture, expect, test } from "./fixtures";
import { adminAccount } from "./settings";

// The console under a launch, as the operator lives it: a threshold fires and the ALARM shows
// on the room's card and in the navigation, then goes when the line is gone; the server stops
// answering and the System card says so (the console backs off instead of hammering it); on a
// phone the operator evicts a visitor from the tokens page and is told what happened.

const operator = { email: "launch-desk@e2e.test", password: "launch desk password, e2e only" };
const timezoneId = "Asia/Seoul";

const desktop: BrowserContextOptions = { viewport: { width: 1280, height: 800 } };
const phone: BrowserContextOptions = {
  viewport: { width: 390, height: 844 },
  deviceScaleFactor: 2,
  isMobile: true,
  hasTouch: true,
};
const dark: BrowserContextOptions = { colorScheme: "dark" };

/** Rooms of their own, with quick heartbeats (their API visitors expire 6 s after they stop). */
const room = (id: string, name: string, capacity: number) =>
  ({
    id,
    name,
    capacity,
    heartbeatIntervalMs: 1_000,
    heartbeatTimeoutMs: 6_000,
    maxQueueLength: 1_000,
    mode: "fifo",
    protectedPaths: [`/${id}`],
  }) as const;
const surge = room("surge", "Flash sale", 2);
const counter = room("counter", "Ticket counter", 0);

let admin: APIRequestContext;

test.beforeAll(async ({ baseURL }) => {
  admin = await playwrightRequest.newContext({ baseURL });
  await signInApi(admin, adminAccount.email, adminAccount.password);
  const user = await admin.post("/api/admin/users", { data: { ...operator, name: "Launch desk", role: "operator" } });
  expect([201, 409], await user.text()).toContain(user.status());
  for (const settings of [surge, counter]) {
    const created = await admin.post("/api/admin/rooms", { data: settings });
    expect([201, 409], await created.text()).toContain(created.status());
    const reset = await admin.put(`/api/admin/rooms/${settings.id}/capacity`, {
      data: { capacity: settings.capacity },
    });
    expect(reset.status(), await reset.text()).toBe(200);
  }
});

test.afterAll(async () => {
  await admin?.dispose();
});

/** People at the API, each with a place of their own, checking in every second until `stop()`. */
async function crowd(baseURL: string | undefined, roomId: string, count: number) {
  const url = (action: string) => new URL(`/api/queue/${roomId}/${action}`, baseURL).toString();
  const tokens: string[] = [];
  for (let i = 0; i < count; i++) {
    const response = await fetch(url("enter"), { method: "POST" });
    expect(response.status).toBe(201);
    tokens.push(((await response.json()) as { token: string }).token);
  }
  const timer = setInterval(() => {
    for (const token of tokens) {
      fetch(url("heartbeat"), { method: "POST", headers: { authorization: `Bearer ${token}` } }).catch(() => undefined);
    }
  }, 1_000);
  return { stop: () => clearInterval(timer) };
}

async function roomStats(roomId: string): Promise<{ active: number; waiting: number }> {
  const response = await admin.get(`/api/admin/rooms/${roomId}`);
  expect(response.status(), await response.text()).toBe(200);
  return (await response.json()).room.stats;
}

/** Nothing on the page reaches past the right edge of the screen: no sideways scrolling. */
async function expectNoSidewaysScroll(page: Page) {
  const widths = await page.evaluate(() => ({
    page: document.documentElement.scrollWidth,
    screen: window.innerWidth,
  }));
  expect(widths.page, "the page is no wider than the screen").toBeLessThanOrEqual(widths.screen);
}

/** No two time labels under any chart overlap (a phone shows fewer times, not a smudge). */
async function expectAxisLabelsApart(page: Page) {
  await expect(page.getByTestId("time-tick").first()).toBeAttached({ timeout: 15_000 });
  const overlaps = await page.evaluate(() =>
    [...document.querySelectorAll("figure")].flatMap((chart) => {
      const ticks = [...chart.querySelectorAll('[data-testid="time-tick"]')];
      const boxes = ticks.map((text) => text.getBoundingClientRect());
      return boxes.slice(1).flatMap((box, i) => {
        const before = boxes[i];
        return before && box.left < before.right ? [`${before.right.toFixed(0)} > ${box.left.toFixed(0)}`] : [];
      });
    }),
  );
  expect(overlaps, "time labels on the charts' axes overlap").toEqual([]);
}

test("a threshold fires: the ALARM shows on the room's card and in the navigation, and goes when it clears", async ({
  browser,
  baseURL,
}, testInfo) => {
  test.setTimeout(120_000);
  // The operator's rule, through the alerts API: more than 2 waiting, one sample, no cooldown.
  const threshold = await admin.post(`/api/admin/rooms/${surge.id}/thresholds`, {
    data: { name: "Line over 2", metric: "waiting", comparator: "gt", value: 2, forSamples: 1, cooldownSeconds: 0 },
  });
  expect(threshold.status(), await threshold.text()).toBe(201);
  const thresholdId: string = (await threshold.json()).threshold.id;

  const desk = await signInPage(browser, operator, timezoneId, desktop);
  const card = desk.getByTestId(`room-card-${surge.id}`);
  const navAlarm = desk.getByRole("navigation", { name: "Console" }).getByTestId("nav-alarm");
  await expect(card).toBeVisible();
  await expect(card.getByTestId("room-alarm")).toHaveCount(0);
  await expect(navAlarm).toHaveCount(0);

  // Five people arrive: two are let in, three wait (over the threshold).
  const people = await crowd(baseURL, surge.id, 5);
  try {
    await expect.poll(() => roomStats(surge.id)).toMatchObject({ active: 2, waiting: 3 });

    await test.step("within a sample and a poll the card and the nav say ALARM", async () => {
      await expect(card.getByTestId("room-alarm")).toContainText("ALARM", { timeout: 20_000 });
      await expect(card.getByTestId("room-alarm")).toContainText("Line over 2");
      await expect(navAlarm).toHaveText(/1 in ALARM/);
      await expect(navAlarm).toHaveAttribute("title", `In ALARM: ${surge.id}`);
    });

    await test.step("the operator cuts capacity to 1: the card says it is over, in one short line", async () => {
      const cut = await admin.put(`/api/admin/rooms/${surge.id}/capacity`, { data: { capacity: 1 } });
      expect(cut.status(), await cut.text()).toBe(200);
      const level = card.getByText("Over capacity · admits none");
      await expect(level).toBeVisible();
      // One line: as tall as its text, not wrapped or cut.
      const box = await level.boundingBox();
      expect(box?.height ?? 0).toBeLessThan(24);
    });

    await capture(desk, "console-alarm-desktop", testInfo);
    const night = await signInPage(browser, operator, timezoneId, { ...desktop, ...dark });
    await expect(night.getByTestId(`room-card-${surge.id}`).getByTestId("room-alarm")).toBeVisible();
    await capture(night, "console-alarm-desktop-dark", testInfo);
    await night.context().close();

    const pocket = await signInPage(browser, operator, timezoneId, phone);
    const phoneCard = pocket.getByTestId(`room-card-${surge.id}`);
    await expect(phoneCard.getByTestId("room-alarm")).toBeVisible();
    await expect(pocket.getByTestId("nav-alarm")).toBeVisible();
    const level = phoneCard.getByText("Over capacity · admits none");
    const levelBox = await level.boundingBox();
    expect(levelBox?.height ?? 0, "the status line is one line on a phone too").toBeLessThan(24);
    const cardBox = await phoneCard.boundingBox();
    expect((levelBox?.x ?? 0) + (levelBox?.width ?? 0)).toBeLessThanOrEqual((cardBox?.x ?? 0) + (cardBox?.width ?? 0));
    await expectNoSidewaysScroll(pocket);
    await expectAxisLabelsApart(pocket);
    await capture(pocket, "console-alarm-phone", testInfo);
    await pocket.context().close();
  } finally {
    people.stop();
  }

  await test.step("they stop checking in, the line empties, and the badges go", async () => {
    await expect(card.getByTestId("room-alarm")).toHaveCount(0, { timeout: 30_000 });
    await expect(navAlarm).toHaveCount(0);
  });

  await admin.delete(`/api/admin/rooms/${surge.id}/thresholds/${thresholdId}`);
  await admin.put(`/api/admin/rooms/${surge.id}/capacity`, { data: { capacity: surge.capacity } });
  await desk.context().close();
});

test("the charts name the day on a 24 h axis, and the card's median wait is the chart's", async ({
  browser,
  baseURL,
}, testInfo) => {
  test.setTimeout(90_000);
  // Two people wait about 3 s at a closed door, then are let in: waits to take the median of.
  const shut = await admin.put(`/api/admin/rooms/${surge.id}/capacity`, { data: { capacity: 0 } });
  expect(shut.status(), await shut.text()).toBe(200);
  const people = await crowd(baseURL, surge.id, 2);
  await new Promise((resolve) => setTimeout(resolve, 3_000));
  const open = await admin.put(`/api/admin/rooms/${surge.id}/capacity`, { data: { capacity: surge.capacity } });
  expect(open.status(), await open.text()).toBe(200);
  await expect.poll(() => roomStats(surge.id)).toMatchObject({ active: 2, waiting: 0 });
  people.stop();

  const desk = await signInPage(browser, operator, timezoneId, desktop);
  const card = desk.getByTestId(`room-card-${surge.id}`);
  await desk.getByLabel("Room shown in the charts").selectOption(surge.id);
  const charts = desk.getByRole("region", { name: "History of: charts" });

  // One figure, one name: the card's "Median wait" is the chart's latest median.
  const chartMedian = charts.getByText(/^Median wait .*, 95th percentile/);
  // The card polls every 2 s, the chart every 10 s: they agree once both have the latest sample.
  await expect(async () => {
    const onCard = (await card.getByTestId("median-wait").textContent()) ?? "";
    expect(onCard, "the median of waits of about 3 s").toMatch(/^[2-9] s$/);
    await expect(chartMedian).toContainText(`Median wait ${onCard}, 95th percentile`, { timeout: 1_000 });
  }).toPass({ timeout: 30_000 });
  await expect(card.getByText("Median wait", { exact: true })).toBeVisible();

  // 24 hours: every tick names its day, in the browser's zone.
  await charts.getByRole("button", { name: "24 hours" }).click();
  const day = new Intl.DateTimeFormat("en-US", { month: "short", day: "numeric", timeZone: timezoneId });
  const queueDepth = charts.locator("figure").filter({ hasText: "Queue depth" });
  const dayPattern = new RegExp(`^(${day.format(Date.now() - 86_400_000)}|${day.format(Date.now())})$`);
  // A tick every 4 h: six or seven in a day, each with its day under the time.
  await expect
    .poll(() => queueDepth.locator("tspan").filter({ hasText: dayPattern }).count())
    .toBeGreaterThanOrEqual(6);
  await capture(desk, "console-charts-24h-desktop", testInfo);
  await charts.getByRole("button", { name: "6 hours" }).click();
  await capture(desk, "console-charts-6h-desktop", testInfo);
  await desk.context().close();
});

test("the server stops answering: the System card says Unreachable, the console backs off, and it recovers", async ({
  browser,
}, testInfo) => {
  test.setTimeout(120_000);
  const desk = await signInPage(browser, operator, timezoneId, desktop);
  const system = desk.getByTestId("system-card");
  await expect(system.getByTestId("system-breaker")).toHaveText("Healthy");
  // Everything the dashboard polls is loaded before the outage.
  await expect(desk.getByTestId(`room-card-${surge.id}`)).toBeVisible();

  // From now on every console request fails as if the server were gone; each one is counted.
  const failed: string[] = [];
  const outageStartMs = Date.now();
  await desk.route("**/api/admin/**", async (route) => {
    failed.push(`${((Date.now() - outageStartMs) / 1000).toFixed(1)}s ${new URL(route.request().url()).pathname}`);
    await route.abort("connectionrefused");
  });

  await expect(system.getByTestId("system-breaker")).toHaveText("Unreachable", { timeout: 10_000 });
  await expect(system.getByTestId("system-unreachable")).toContainText(/Can’t reach the server since \d/);
  await expect(desk.getByTestId("unreachable-banner")).toBeVisible();
  await expect(system.getByText("Healthy")).toHaveCount(0);
  // The room cards are greyed as old numbers.
  await expect(desk.getByTestId(`room-card-${surge.id}`)).toHaveAttribute("data-stale", "true");
  await capture(desk, "console-unreachable-desktop", testInfo);

  // About 20 s of outage: a handful of requests, not one per query every 2-10 s (with retries,
  // a tab used to send ~36 in 20 s).
  await desk.waitForTimeout(Math.max(0, outageStartMs + 20_000 - Date.now()));
  const inTwentySeconds = [...failed];
  testInfo.annotations.push({ type: "failed requests in 20 s", description: inTwentySeconds.join(", ") });
  expect(inTwentySeconds.length, inTwentySeconds.join("\n")).toBeGreaterThanOrEqual(3);
  expect(inTwentySeconds.length, inTwentySeconds.join("\n")).toBeLessThanOrEqual(10);
  await expect(system.getByTestId("system-breaker")).toHaveText("Unreachable");

  // The server answers again: the next probe finds it (within the back-off) and everything resumes.
  await desk.unroute("**/api/admin/**");
  await expect(system.getByTestId("system-breaker")).toHaveText("Healthy", { timeout: 45_000 });
  await expect(desk.getByTestId("unreachable-banner")).toHaveCount(0);
  await expect(desk.getByTestId(`room-card-${surge.id}`)).not.toHaveAttribute("data-stale", "true", {
    timeout: 10_000,
  });
  await desk.context().close();
});

test("on a phone, the operator reaches Evict on the tokens page, is told what happened, and sees the row change", async ({
  browser,
  baseURL,
}, testInfo) => {
  test.setTimeout(90_000);
  const people = await crowd(baseURL, counter.id, 3);
  try {
    const tokens = await admin.get(`/api/admin/rooms/${counter.id}/tokens?state=waiting`);
    expect(tokens.status(), await tokens.text()).toBe(200);
    const first = (await tokens.json()).items.find((token: { position: number }) => token.position === 1);
    const reference: string = first.reference;

    // Dark first, only looked at; then the light one acts.
    for (const [name, options] of [
      ["phone-dark", { ...phone, ...dark }],
      ["phone", phone],
    ] as const) {
      const pocket = await signInPage(browser, operator, timezoneId, options);
      await pocket.goto(`/admin/tokens?room=${counter.id}&state=waiting`);
      const evict = pocket.getByRole("button", { name: `Evict visitor ${reference}` });
      await expect(evict).toBeVisible();
      // Reachable where it is: inside the screen's width, with no sideways scroll.
      const box = await evict.boundingBox();
      expect((box?.x ?? 0) + (box?.width ?? 0), "Evict is within the screen").toBeLessThanOrEqual(390);
      await expectNoSidewaysScroll(pocket);
      await capture(pocket, `console-tokens-${name}`, testInfo);
      if (name === "phone-dark") {
        await pocket.context().close();
        continue;
      }

      await evict.click();
      const dialog = pocket.getByRole("dialog", { name: `Evict visitor ${reference} from ${counter.name}?` });
      await dialog.getByRole("button", { name: "Evict", exact: true }).click();
      await expect(dialog).toBeHidden();
      const toast = pocket.getByTestId("toast");
      await expect(toast).toHaveText(new RegExp(`Evicted ${reference} — their page now says the site removed them`));
      await expect(pocket.getByTestId("toasts")).toHaveAttribute("role", "status");
      // The row stays where it was, marked, until the mark runs out.
      const row = pocket.locator("tr[data-gone]").filter({ hasText: reference });
      await expect(row).toContainText("Evicted");
      await expect(pocket.getByRole("button", { name: `Evict visitor ${reference}` })).toHaveCount(0);
      await capture(pocket, "console-tokens-phone-evicted", testInfo);
      await expect(row).toHaveCount(0, { timeout: 15_000 });
      expect(await roomStats(counter.id)).toMatchObject({ waiting: 2 });
      await pocket.context().close();
    }
  } finally {
    people.stop();
  }
});

test("on a phone, the admin's tables (users, API keys, alerts) keep their actions within the screen", async ({
  browser,
}, testInfo) => {
  // A key to revoke, so its table has a row with an action.
  const key = await admin.post("/api/admin/api-keys", {
    data: { name: `Push server ${Date.now()}`, rooms: [counter.id] },
  });
  expect(key.status(), await key.text()).toBe(201);
  const pocket = await signInPage(browser, adminAccount, timezoneId, phone);
  for (const [path, table, name] of [
    ["/admin/users", "user-table", "users"],
    ["/admin/api-keys", "api-key-table", "api-keys"],
    ["/admin/alerts", "alert-history", "alerts"],
  ] as const) {
    await pocket.goto(path);
    await expect(pocket.getByTestId(table)).toBeVisible();
    await expectNoSidewaysScroll(pocket);
    const buttons = await pocket.getByTestId(table).getByRole("button").all();
    if (name !== "alerts") expect(buttons.length, `${name} has row actions`).toBeGreaterThan(0);
    for (const button of buttons) {
      const box = await button.boundingBox();
      expect((box?.x ?? 0) + (box?.width ?? 0), `${name}: ${await button.textContent()}`).toBeLessThanOrEqual(390);
    }
    await capture(pocket, `console-${name}-phone`, testInfo);
  }
  await pocket.context().close();
});
