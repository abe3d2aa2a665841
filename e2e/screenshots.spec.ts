import { saveScreenshot as capture, expect, test } from "./fixtures";
import { waitingPageUrl } from "./settings";

// Full-page pictures of what people see, for a human to look at (see saveScreenshot).

const desktop = { viewport: { width: 1280, height: 800 } };
const phone = {
  viewport: { width: 390, height: 844 },
  deviceScaleFactor: 2,
  isMobile: true,
  hasTouch: true,
};
const korean = { locale: "ko-KR", extraHTTPHeaders: { "accept-language": "ko-KR,ko;q=0.9" } };

test("screenshots: waiting page (English desktop, Korean phone, dark) and the shop", async ({ visitor }, testInfo) => {
  const occupant = await visitor("Occupant", desktop);
  await occupant.page.goto("/shop");
  await expect(occupant.page.getByTestId("shop-title")).toBeVisible({ timeout: 10_000 });
  await expect(occupant.page.getByRole("img").first()).toBeVisible();
  await capture(occupant.page, "shop-en-desktop", testInfo);

  const first = await visitor("First in line", desktop);
  await first.page.goto("/shop");
  await expect(first.page).toHaveURL(waitingPageUrl);
  await expect(first.page.getByTestId("wait-state")).toHaveAttribute("data-state", "next");
  await capture(first.page, "waiting-en-desktop", testInfo);

  const second = await visitor("Second in line", { ...phone, ...korean });
  await second.page.goto("/shop");
  await expect(second.page.getByTestId("wait-state")).toHaveAttribute("data-state", "waiting");
  await expect(second.page.getByTestId("wait-position")).toHaveText("2");
  await capture(second.page, "waiting-ko-phone", testInfo);

  const third = await visitor("Third in line", { ...desktop, colorScheme: "dark" });
  await third.page.goto("/shop");
  await expect(third.page.getByTestId("wait-position")).toHaveText("3");
  await capture(third.page, "waiting-en-desktop-dark", testInfo);

  // The first in line gives up: the Korean visitor moves up. Progress is the share of those
  // ahead at arrival who have gone: one of two.
  await first.leave();
  await expect(second.page.getByTestId("wait-position")).toHaveText("1", { timeout: 5_000 });
  await expect(second.page.getByTestId("wait-state")).toHaveAttribute("data-state", "next");
  await expect(second.page.getByTestId("wait-progress")).toHaveAttribute("aria-valuenow", "50");
  await capture(second.page, "waiting-ko-phone-next", testInfo);

  // The occupant closes the tab: the Korean visitor gets in.
  await occupant.closeTab();
  await expect(second.page.getByTestId("shop-title")).toBeVisible({ timeout: 10_000 });
  await capture(second.page, "shop-ko-phone", testInfo);
});
