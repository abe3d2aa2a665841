import { type APIRequestContext, type Page, request as playwrightRequest } from "@playwright/test";
import { signInApi } from "./console";
import { saveScreenshot as capture, expect, test } from "./fixtures";
import { adminAccount } from "./settings";

// A launch where visits are long (the operator expects ten minutes each): a visitor waits
// seventh in line while two people are inside. The operator raises capacity, then cuts it; the
// estimate on the visitor's page, and the console's estimate for a newcomer, follow each change
// at once rather than minutes later, and the pace shown beside the estimate is the one it assumes.

const launch = {
  id: "eta-launch",
  name: "ETA launch",
  capacity: 2,
  typicalVisitSeconds: 600,
  heartbeatIntervalMs: 2_000,
  // Long enough that the people ahead (arrivals through the API, no page) stay for the test.
  heartbeatTimeoutMs: 120_000,
  maxQueueLength: 1_000,
  mode: "fifo",
  protectedPaths: ["/eta-launch"],
} as const;

let admin: APIRequestContext;

test.beforeAll(async ({ baseURL }) => {
  admin = await playwrightRequest.newContext({ baseURL });
  await signInApi(admin, adminAccount.email, adminAccount.password);
  await admin.delete(`/api/admin/rooms/${launch.id}?force=true`);
  const created = await admin.post("/api/admin/rooms", { data: launch });
  expect(created.status(), await created.text()).toBe(201);
});

test.afterAll(async () => {
  if (!admin) return;
  await admin.delete(`/api/admin/rooms/${launch.id}?force=true`);
  await admin.dispose();
});

/** The minutes the page's estimate says ("About 45 minutes" -> 45; an hour and more in minutes). */
async function minutesShown(page: Page): Promise<number> {
  const text = (await page.getByTestId("wait-eta").textContent()) ?? "";
  const hours = /About (\d+) h(?:ours?)?(?: (\d+) min)?/.exec(text);
  if (hours) return Number(hours[1]) * 60 + Number(hours[2] ?? 0);
  const minutes = /About (\d+) minutes?/.exec(text);
  if (minutes) return Number(minutes[1]);
  throw new Error(`no estimate in minutes: "${text}"`);
}

async function setCapacity(capacity: number): Promise<void> {
  const response = await admin.patch(`/api/admin/rooms/${launch.id}`, { data: { capacity } });
  expect(response.status(), await response.text()).toBe(200);
}

async function newcomerEta(): Promise<number | null> {
  const response = await admin.get(`/api/admin/rooms/${launch.id}`);
  return (await response.json()).room.stats.etaSecondsForNewcomer;
}

test("the estimate follows a capacity raise and a cut at once, on the page and in the console", async ({
  visitor,
  baseURL,
}, testInfo) => {
  // Two go in, six wait: people arriving through the API, each with their own cookies.
  for (let i = 0; i < 8; i++) {
    const person = await playwrightRequest.newContext({ baseURL });
    expect((await person.post(`/api/queue/${launch.id}/enter`)).status()).toBe(201);
    await person.dispose();
  }
  const dana = await visitor("Dana");
  await dana.page.goto(`/wait/${launch.id}`);
  await expect(dana.page.getByTestId("wait-position")).toHaveText("7");

  let before = 0;
  await test.step("seventh behind two ten-minute visits: about three quarters of an hour", async () => {
    await expect(dana.page.getByTestId("wait-eta")).toHaveAttribute("data-eta-kind", /^(minutes|hours)$/);
    before = await minutesShown(dana.page);
    // Seven slots must free among two, each visit about eleven minutes (ten, plus the wait for
    // a closed tab to time out): between 25 minutes and an hour and a half.
    expect(before).toBeGreaterThanOrEqual(25);
    expect(before).toBeLessThanOrEqual(90);
    // Beside it, the pace it assumes: two slots turning over every eleven minutes or so.
    await expect(dana.page.getByText(/^Admissions per minute: 0\.\d$/)).toBeVisible();
    await capture(dana.page, "eta-seventh-behind-long-visits", testInfo);
  });

  const consoleBefore = (await newcomerEta()) as number;
  let afterRaise = 0;
  await test.step("the operator raises capacity to 8: six go in at once, Dana is next, told so", async () => {
    await setCapacity(8);
    await expect(dana.page.getByTestId("wait-position")).toHaveText("1", { timeout: 5_000 });
    await expect(async () => {
      afterRaise = await minutesShown(dana.page);
      // The first of eight visits to end, not the seventh of two.
      expect(afterRaise).toBeLessThan(before / 2);
    }).toPass({ timeout: 5_000 });
    // The console's estimate for a newcomer moved with it, not five minutes later.
    expect((await newcomerEta()) as number).toBeLessThan(consoleBefore / 2);
    await capture(dana.page, "eta-after-capacity-raise", testInfo);
  });

  await test.step("the operator cuts capacity to 1: seven must leave first, the wait grows at once", async () => {
    await setCapacity(1);
    await expect(async () => {
      expect(await minutesShown(dana.page)).toBeGreaterThan(afterRaise);
    }).toPass({ timeout: 5_000 });
    await expect(dana.page.getByTestId("wait-position")).toHaveText("1");
  });
});
