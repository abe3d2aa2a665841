import { expect, saveScreenshot, test } from "./fixtures";
import { shopUrl, waitingPageUrl } from "./settings";

// Without JavaScript the waiting page still works: the place is rendered on the server, the
// page reloads itself (each load counts as a heartbeat at the gate), and once admitted the
// gate's redirect on GET /wait takes the visitor into the shop.

test("without JavaScript the waiting page shows the place, reloads itself and ends in the shop", async ({
  visitor,
  room,
}, testInfo) => {
  const occupant = await visitor("Occupant");
  await occupant.page.goto("/shop");
  await expect(occupant.page.getByTestId("shop-title")).toBeVisible({ timeout: 10_000 });

  const noJs = await visitor("No-JS visitor", { javaScriptEnabled: false });
  const { page } = noJs;
  let waitingPageLoads = 0;
  page.on("load", () => {
    if (waitingPageUrl.test(page.url())) waitingPageLoads++;
  });

  await test.step("the place in line is rendered on the server", async () => {
    await page.goto("/shop");
    await expect(page).toHaveURL(waitingPageUrl);
    await expect(page.getByTestId("wait-state")).toHaveAttribute("data-state", "next");
    await expect(page.getByTestId("wait-position")).toHaveText("1");
    await expect(page.getByTestId("wait-ahead")).toHaveText("0");
    // Playwright's text engine skips <noscript>, so the element is found by structure.
    const notice = page.locator("noscript p");
    await expect(notice).toBeVisible();
    expect(await notice.textContent()).toMatch(/^JavaScript is off/);
    const refreshS = String(Math.round(room.settings.heartbeatIntervalMs / 1000));
    await expect(page.locator('meta[http-equiv="refresh"]')).toHaveAttribute("content", refreshS);
    // Right after a load, so the picture is taken between two self-reloads.
    await page.waitForEvent("load");
    await saveScreenshot(page, "waiting-en-desktop-no-js", testInfo);
  });

  await test.step("the page reloads by itself, keeping the place", async () => {
    await expect
      .poll(() => waitingPageLoads, { timeout: 8 * room.settings.heartbeatIntervalMs })
      .toBeGreaterThanOrEqual(4);
    await expect(page.getByTestId("wait-position")).toHaveText("1");
    expect(await room.stats()).toMatchObject({ active: 1, waiting: 1 });
  });

  await test.step("when the occupant leaves, the next reload lands in the shop", async () => {
    await occupant.closeTab();
    await expect(page.getByTestId("shop-title")).toBeVisible({ timeout: 10_000 });
    await expect(page).toHaveURL(shopUrl);
  });
});
