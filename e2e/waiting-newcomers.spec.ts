import { type APIRequestContext, type Page, request as playwrightRequest } from "@playwright/test";
import { signInApi } from "./console";
import { saveScreenshot as capture, expect, test } from "./fixtures";
import { adminAccount } from "./settings";

// Newcomers to a room that cannot take them now (full, or closed) get the waiting page's own
// design from the gate: the room's name, the language switch, dark mode, their language, and a
// countdown to the page's next try with a "Try now" button. They get in once the room frees
// or opens: by the button, by the countdown, and without JavaScript by the page's refresh.

const room = {
  id: "launch-room",
  name: "Launch room",
  capacity: 1,
  heartbeatIntervalMs: 1_000,
  heartbeatTimeoutMs: 60_000,
  // One inside and one in line fill it.
  maxQueueLength: 1,
  mode: "fifo",
  protectedPaths: ["/launch-room"],
} as const;

/** The gate's Retry-After for a full room (server/queue/engine.ts): what the countdown counts. */
const fullRetryS = 30;

let admin: APIRequestContext;
let inside: APIRequestContext;
let inLine: APIRequestContext;

test.beforeAll(async ({ baseURL }) => {
  admin = await playwrightRequest.newContext({ baseURL });
  await signInApi(admin, adminAccount.email, adminAccount.password);
  await admin.delete(`/api/admin/rooms/${room.id}?force=true`);
  const created = await admin.post("/api/admin/rooms", { data: room });
  expect(created.status(), await created.text()).toBe(201);
  inside = await playwrightRequest.newContext({ baseURL });
  expect((await (await inside.post(`/api/queue/${room.id}/enter`)).json()).status.state).toBe("admitted");
});

test.afterAll(async () => {
  await inside?.dispose();
  await inLine?.dispose();
  if (!admin) return;
  await admin.delete(`/api/admin/rooms/${room.id}?force=true`);
  await admin.dispose();
});

/** Someone takes the one place in line (an API client), so the room is full again. */
async function fillTheLine(baseURL: string | undefined) {
  await inLine?.dispose();
  inLine = await playwrightRequest.newContext({ baseURL });
  const entered = await inLine.post(`/api/queue/${room.id}/enter`);
  expect(entered.status(), await entered.text()).toBe(201);
}

/** The one in line leaves for good: a place is free. */
async function emptyTheLine() {
  const left = await inLine.post(`/api/queue/${room.id}/end-session`);
  expect(left.status(), await left.text()).toBe(204);
}

async function setMode(mode: "closed" | "fifo") {
  const changed = await admin.patch(`/api/admin/rooms/${room.id}`, { data: { mode } });
  expect(changed.status(), await changed.text()).toBe(200);
}

/** Seconds the countdown shows now ("Trying again in 12 s" -> 12). */
async function countdownSeconds(page: Page): Promise<number> {
  const text = (await page.getByTestId("retry-countdown").textContent()) ?? "";
  const match = text.match(/(\d+)/);
  if (!match) throw new Error(`no seconds in the countdown: ${JSON.stringify(text)}`);
  return Number(match[1]);
}

test("a newcomer to a full room sees the designed page with a countdown, and gets in line with Try now once a place frees", async ({
  visitor,
  baseURL,
}, testInfo) => {
  await fillTheLine(baseURL);
  const nora = await visitor("Nora", { viewport: { width: 1280, height: 800 }, locale: "en-US" });
  const response = await nora.page.goto(`/wait/${room.id}?next=%2Flaunch-room`);
  expect(response?.status()).toBe(503);
  expect(response?.headers()["retry-after"]).toBe(String(fullRetryS));

  await test.step("the page looks like the waiting page: the room, the top bar, the language switch", async () => {
    await expect(nora.page.getByTestId("wait-state")).toHaveAttribute("data-state", "full");
    await expect(nora.page.getByRole("heading", { level: 1 })).toHaveText("The waiting room is full");
    await expect(nora.page.getByTestId("room-display-name")).toHaveText(room.name);
    await expect(nora.page.getByText("Virtual waiting room")).toBeVisible();
    await expect(nora.page.getByTestId("lang-switch")).toHaveValue("en");
    await expect(nora.page).toHaveTitle("The waiting room is full · Launch room · Floodgate");
  });

  await test.step("the countdown says when the page tries again, and counts down", async () => {
    const countdown = nora.page.getByTestId("retry-countdown");
    await expect(countdown).toHaveText(/^Trying again in \d+ s$/);
    const first = await countdownSeconds(nora.page);
    expect(first).toBeLessThanOrEqual(fullRetryS);
    expect(first).toBeGreaterThan(fullRetryS - 5);
    await expect.poll(() => countdownSeconds(nora.page), { timeout: 5_000 }).toBeLessThanOrEqual(first - 2);
    // The refresh that also works without JavaScript says the same time.
    await expect(nora.page.locator('meta[http-equiv="refresh"]')).toHaveAttribute("content", String(fullRetryS));
    await capture(nora.page, "newcomer-full-desktop", testInfo);
  });

  await test.step("a place frees; Nora presses Try now and is in line, where she was going", async () => {
    await emptyTheLine();
    await nora.page.getByTestId("retry-now").click();
    await expect(nora.page).toHaveURL(new RegExp(`/wait/${room.id}\\?next=%2Flaunch-room$`));
    await expect(nora.page.getByTestId("wait-position")).toHaveText("1");
  });
});

test("a newcomer on a phone in Korean, in the dark, finds the room closed and is let in line by the countdown when it opens", async ({
  visitor,
}, testInfo) => {
  test.setTimeout(120_000);
  await setMode("closed");
  const jun = await visitor("Jun", {
    viewport: { width: 390, height: 844 },
    deviceScaleFactor: 2,
    isMobile: true,
    hasTouch: true,
    locale: "ko-KR",
    colorScheme: "dark",
  });
  const response = await jun.page.goto(`/wait/${room.id}`);
  expect(response?.status()).toBe(503);
  await expect(jun.page.getByTestId("wait-state")).toHaveAttribute("data-state", "closed");
  await expect(jun.page.locator("html")).toHaveAttribute("lang", "ko");
  await expect(jun.page.getByRole("heading", { level: 1 })).toHaveText("대기실이 닫혀 있습니다");
  await expect(jun.page.getByTestId("retry-countdown")).toHaveText(/^\d+초 후 다시 시도합니다\.$/);
  await expect(jun.page.getByTestId("retry-now")).toHaveText("지금 다시 시도");
  // Dark mode: the page's own dark colours, not a white card.
  const background = await jun.page
    .getByTestId("unavailable")
    .evaluate((card) => getComputedStyle(card).backgroundColor);
  expect(background).toBe("rgb(21, 29, 41)");
  await capture(jun.page, "newcomer-closed-phone-ko-dark", testInfo);

  await test.step("Jun switches the page to English, and the choice sticks", async () => {
    await jun.page.getByTestId("lang-switch").selectOption("en");
    await expect(jun.page.getByRole("heading", { level: 1 })).toHaveText("The room is closed");
    await expect(jun.page.locator("html")).toHaveAttribute("lang", "en");
    await capture(jun.page, "newcomer-closed-phone-en-dark", testInfo);
  });

  await test.step("the room opens; the countdown runs out and the page lets Jun in by itself", async () => {
    await setMode("fifo");
    // In line, or straight in if the slot has freed meanwhile (the one inside is an API client
    // that stops checking in): either way, off the closed page without touching anything.
    await expect(async () => {
      if (!new URL(jun.page.url()).pathname.startsWith(`/wait/${room.id}`)) return;
      await expect(jun.page.getByTestId("wait-state")).toHaveAttribute("data-state", /^(waiting|next|admitted)$/, {
        timeout: 1_000,
      });
    }).toPass({ timeout: 75_000 });
    expect(await jun.cookie("fg_lang")).toBe("en");
  });
});

test("without JavaScript, a newcomer to a full room reads when the page tries again, and it does", async ({
  visitor,
  baseURL,
}, testInfo) => {
  test.setTimeout(90_000);
  await fillTheLine(baseURL);
  const ola = await visitor("Ola", {
    viewport: { width: 1280, height: 800 },
    locale: "en-US",
    javaScriptEnabled: false,
  });
  const response = await ola.page.goto(`/wait/${room.id}`);
  expect(response?.status()).toBe(503);
  await expect(ola.page.getByTestId("retry-noscript")).toHaveText(`This page will try again in ${fullRetryS} seconds.`);
  // The running countdown would stand still without a script: it is not shown.
  await expect(ola.page.getByTestId("retry-countdown")).toBeHidden();
  await expect(ola.page.getByTestId("retry-now")).toBeVisible();
  await capture(ola.page, "newcomer-full-nojs", testInfo);
  await emptyTheLine();
  // The page's refresh, at the time it stated, takes the free place.
  await expect(ola.page.getByTestId("wait-position")).toHaveText("1", { timeout: (fullRetryS + 15) * 1000 });
});
