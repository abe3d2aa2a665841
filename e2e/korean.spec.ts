import { expect, isHeartbeat, test } from "./fixtures";
import { languageCookie, waitingPageUrl } from "./settings";

// A visitor whose browser speaks Korean gets the waiting page in Korean, can switch to
// English and back, and the choice (the fg_lang cookie) holds across reloads.

const korean = { locale: "ko-KR", extraHTTPHeaders: { "accept-language": "ko-KR,ko;q=0.9,en;q=0.5" } };

test("a Korean browser gets the waiting page in Korean and can switch languages", async ({ visitor }) => {
  const occupant = await visitor("Occupant");
  await occupant.page.goto("/shop");
  await expect(occupant.page.getByTestId("shop-title")).toBeVisible({ timeout: 10_000 });

  const jiwoo = await visitor("Jiwoo", korean);
  const { page } = jiwoo;
  const html = page.locator("html");
  const heading = page.getByRole("heading", { level: 1 });

  await test.step("the waiting page is in Korean from the first byte", async () => {
    const response = await page.goto("/shop");
    await expect(page).toHaveURL(waitingPageUrl);
    expect(await response?.text()).toMatch(/<html lang="ko"/);
    await expect(html).toHaveAttribute("lang", "ko");
    await expect(page.getByTestId("wait-state")).toHaveAttribute("data-state", "next");
    await expect(heading).toHaveText("다음 차례입니다");
    await expect(page.getByText("내 순서")).toBeVisible();
    await expect(page.getByTestId("wait-position")).toHaveText("1");
    await expect(page.getByText("번째")).toBeVisible();
    await expect(page.getByRole("combobox", { name: "언어" })).toHaveValue("ko");
    await expect(page).toHaveTitle(/대기/);
  });

  await test.step("switching to English changes the page in place and is remembered", async () => {
    await page.getByRole("combobox", { name: "언어" }).selectOption("English");
    await expect(heading).toHaveText("You're next");
    await expect(html).toHaveAttribute("lang", "en");
    await expect(page.getByRole("combobox", { name: "Language" })).toHaveValue("en");
    expect(await jiwoo.cookie(languageCookie)).toBe("en");
  });

  await test.step("after a reload the server renders English, and the place in line is kept", async () => {
    const response = await page.reload();
    expect(await response?.text()).toMatch(/<html lang="en"/);
    await expect(html).toHaveAttribute("lang", "en");
    await expect(heading).toHaveText("You're next");
    await expect(page.getByTestId("wait-position")).toHaveText("1");
    // Still in line a few heartbeats later (a reload is not leaving).
    for (let beat = 0; beat < 3; beat++) {
      const beatResponse = await page.waitForResponse((r) => isHeartbeat(r.url()));
      expect(beatResponse.status(), "heartbeat after reload").toBe(200);
    }
    await expect(page.getByTestId("wait-state")).toHaveAttribute("data-state", "next");
  });

  await test.step("switching back to Korean holds across a reload too", async () => {
    await page.getByRole("combobox", { name: "Language" }).selectOption("한국어");
    await expect(heading).toHaveText("다음 차례입니다");
    await expect(html).toHaveAttribute("lang", "ko");
    expect(await jiwoo.cookie(languageCookie)).toBe("ko");
    const response = await page.reload();
    expect(await response?.text()).toMatch(/<html lang="ko"/);
    await expect(heading).toHaveText("다음 차례입니다");
    await expect(page.getByTestId("wait-state")).toHaveAttribute("data-state", "next");
  });
});
