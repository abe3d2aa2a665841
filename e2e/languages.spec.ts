import type { BrowserContextOptions } from "@playwright/test";
import { expect, isHeartbeat, saveScreenshot, test } from "./fixtures";
import { languageCookie, waitingPageUrl } from "./settings";

// Visitors whose browsers speak other languages get the waiting page in theirs, from the
// first byte (the browser's locale sets Accept-Language, as a real one does); the switch
// changes it in place and the choice (the fg_lang cookie) holds across reloads.

const phone = { viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true };
const desktop = { viewport: { width: 1280, height: 800 } };

test("a Japanese browser gets the page in Japanese, switches to German, and German holds across a reload", async ({
  visitor,
}) => {
  const occupant = await visitor("Occupant");
  await occupant.page.goto("/shop");
  await expect(occupant.page.getByTestId("shop-title")).toBeVisible({ timeout: 10_000 });

  const yuki = await visitor("Yuki", { locale: "ja-JP" });
  const { page } = yuki;
  const html = page.locator("html");
  const heading = page.getByRole("heading", { level: 1 });

  await test.step("the waiting page is in Japanese", async () => {
    const response = await page.goto("/shop");
    await expect(page).toHaveURL(waitingPageUrl);
    expect(await response?.text()).toMatch(/<html lang="ja"/);
    await expect(html).toHaveAttribute("lang", "ja");
    await expect(page.getByTestId("wait-state")).toHaveAttribute("data-state", "next");
    await expect(heading).toHaveText("次はあなたの番です");
    await expect(page.getByText("あなたの順番")).toBeVisible();
    await expect(page.getByText("番目", { exact: true })).toBeVisible();
    await expect(page).toHaveTitle(/順番待ち/);
  });

  await test.step("choosing Deutsch in the switch turns the page German in place", async () => {
    const languageSwitch = page.getByRole("combobox", { name: "言語" });
    await expect(languageSwitch).toHaveValue("ja");
    await languageSwitch.selectOption("Deutsch");
    await expect(heading).toHaveText("Sie sind als Nächstes dran");
    await expect(html).toHaveAttribute("lang", "de");
    await expect(page.getByRole("combobox", { name: "Sprache" })).toHaveValue("de");
    await expect(page.getByText("Ihr Platz in der Warteschlange")).toBeVisible();
    expect(await yuki.cookie(languageCookie)).toBe("de");
  });

  await test.step("after a reload the server renders German, and the place in line is kept", async () => {
    const response = await page.reload();
    expect(await response?.text()).toMatch(/<html lang="de"/);
    await expect(html).toHaveAttribute("lang", "de");
    await expect(heading).toHaveText("Sie sind als Nächstes dran");
    await expect(page.getByTestId("wait-position")).toHaveText("1");
    const beat = await page.waitForResponse((r) => isHeartbeat(r.url()));
    expect(beat.status(), "heartbeat after reload").toBe(200);
    await expect(page.getByTestId("wait-state")).toHaveAttribute("data-state", "next");
    await expect(page).toHaveTitle(/Warteraum/);
  });
});

test("Taiwanese and Canadian French browsers get Traditional Chinese and French", async ({ visitor }) => {
  const occupant = await visitor("Occupant");
  await occupant.page.goto("/shop");
  await expect(occupant.page.getByTestId("shop-title")).toBeVisible({ timeout: 10_000 });

  const mei = await visitor("Mei", { locale: "zh-TW" });
  await mei.page.goto("/shop");
  await expect(mei.page).toHaveURL(waitingPageUrl);
  await expect(mei.page.locator("html")).toHaveAttribute("lang", "zh-Hant");
  await expect(mei.page.getByRole("heading", { level: 1 })).toHaveText("下一位就是您");
  await expect(mei.page.getByRole("combobox", { name: "語言" })).toHaveValue("zh-Hant");

  const chloe = await visitor("Chloé", { locale: "fr-CA" });
  await chloe.page.goto("/shop");
  await expect(chloe.page).toHaveURL(waitingPageUrl);
  await expect(chloe.page.locator("html")).toHaveAttribute("lang", "fr");
  await expect(chloe.page.getByTestId("wait-state")).toHaveAttribute("data-state", "waiting");
  await expect(chloe.page.getByRole("heading", { level: 1 })).toHaveText("Vous êtes dans la file");
  await expect(chloe.page.getByTestId("wait-position")).toHaveText("2");
  // "1 personne" ahead, with French's no-break space between the number and its unit.
  await expect(chloe.page.getByTestId("wait-ahead").locator("..")).toHaveText(/^1\u00a0personne$/);
});

test("without JavaScript the waiting page is still in the browser's language", async ({ visitor }) => {
  const occupant = await visitor("Occupant");
  await occupant.page.goto("/shop");
  await expect(occupant.page.getByTestId("shop-title")).toBeVisible({ timeout: 10_000 });

  const { page } = await visitor("Jonas", { locale: "de-DE", javaScriptEnabled: false });
  await page.goto("/shop");
  await expect(page).toHaveURL(waitingPageUrl);
  await expect(page.locator("html")).toHaveAttribute("lang", "de");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Sie sind als Nächstes dran");
  // Playwright's text engine skips <noscript>, so the note is found by structure.
  expect(await page.locator("noscript p").textContent()).toMatch(/^JavaScript ist deaktiviert/);
});

test("screenshots: the waiting page in Korean, Japanese, both Chinese scripts, Spanish, French and German", async ({
  visitor,
}, testInfo) => {
  const occupant = await visitor("Occupant");
  await occupant.page.goto("/shop");
  await expect(occupant.page.getByTestId("shop-title")).toBeVisible({ timeout: 10_000 });
  // First in line, so everyone pictured is plainly waiting, numbers and all.
  const first = await visitor("First in line", { locale: "en-US" });
  await first.page.goto("/shop");
  await expect(first.page.getByTestId("wait-position")).toHaveText("1");

  const people: Array<[string, string, string, BrowserContextOptions]> = [
    ["ko", "ko-KR", "대기 중입니다", phone],
    ["ja", "ja-JP", "順番待ちの列に並んでいます", phone],
    ["zh-Hans", "zh-CN", "您正在排队", phone],
    ["zh-Hant", "zh-TW", "您正在排隊", phone],
    ["es", "es-ES", "Estás en la cola", phone],
    ["fr", "fr-FR", "Vous êtes dans la file", phone],
    ["de", "de-DE", "Sie sind in der Warteschlange", phone],
  ];
  for (const [index, [lang, locale, waitingHeading, device]] of people.entries()) {
    const { page } = await visitor(`Visitor (${locale})`, { ...device, locale });
    await page.goto("/shop");
    await expect(page.locator("html")).toHaveAttribute("lang", lang);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText(waitingHeading);
    await expect(page.getByTestId("wait-position")).toHaveText(String(index + 2));
    // Nothing wider than the phone's screen: long German words and CJK lines wrap.
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow, `${lang} page scrolls sideways`).toBeLessThanOrEqual(0);
    await saveScreenshot(page, `waiting-${lang}-phone`, testInfo);
    if (lang === "ja" || lang === "de") {
      await page.setViewportSize(desktop.viewport);
      await saveScreenshot(page, `waiting-${lang}-desktop`, testInfo);
    }
  }
});

test("a mistyped room link answers in the visitor's language too", async ({ visitor }) => {
  const { page } = await visitor("Mei", { locale: "zh-TW" });
  const response = await page.goto("/wait/no-such-room");
  expect(response?.status()).toBe(404);
  await expect(page.locator("html")).toHaveAttribute("lang", "zh-Hant");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("找不到這個等候室");
  await expect(page.getByRole("link", { name: "回到首頁" })).toBeVisible();
});
