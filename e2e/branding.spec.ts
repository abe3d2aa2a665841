import { type APIRequestContext, type Locator, type Page, request as playwrightRequest } from "@playwright/test";
import { accentPalette, parseHex } from "../components/waiting/accent-colors";
import { signInApi, signInPage } from "./console";
import { saveScreenshot as capture, expect, test } from "./fixtures";
import { adminAccount } from "./settings";

// A room in its own colours: the operator gives the spring drop a name and a message in a
// second language, a logo and an accent colour, makes that language the room's default, and
// watches the console's preview follow every keystroke. Then two visitors join the line: one
// whose browser asks for that language, and one whose browser asks for none Floodgate speaks
// (Italian), who gets the room's default. Both see the name, the message, the logo and
// the accent.

// The room's second language, and its default: Japanese.
const second = { code: "ja", name: "Japanese", locale: "ja-JP" } as const;
const text = { displayName: "アクメ春のドロップ", message: "お一人様一足までです。\nこのページは自動で更新されます。" };

const accent = "#0f766e";
// What the page paints with, per colour scheme: the colour itself where it reads as text, else a
// shade of it (in the dark, lighter). accent-colors.ts is unit-tested; here the page must use it.
const painted = { light: accentPalette(accent).light.accent, dark: accentPalette(accent).dark.accent };
const rgb = (hex: string) => `rgb(${parseHex(hex).join(", ")})`;

const drop = {
  id: "spring-drop",
  name: "Spring drop",
  capacity: 1,
  heartbeatIntervalMs: 2_000,
  heartbeatTimeoutMs: 120_000,
  maxQueueLength: 1_000,
  mode: "fifo",
  protectedPaths: ["/spring-drop"],
} as const;

let admin: APIRequestContext;
let inside: APIRequestContext;

test.beforeAll(async ({ baseURL }) => {
  admin = await playwrightRequest.newContext({ baseURL });
  await signInApi(admin, adminAccount.email, adminAccount.password);
  await admin.delete(`/api/admin/rooms/${drop.id}?force=true`);
  const created = await admin.post("/api/admin/rooms", { data: drop });
  expect(created.status(), await created.text()).toBe(201);
  // Someone already inside (a long admission through the API): whoever comes next waits.
  inside = await playwrightRequest.newContext({ baseURL });
  const entered = await (await inside.post(`/api/queue/${drop.id}/enter`)).json();
  expect(entered.status.state).toBe("admitted");
});

test.afterAll(async () => {
  await inside?.dispose();
  if (!admin) return;
  await admin.delete(`/api/admin/rooms/${drop.id}?force=true`);
  await admin.dispose();
});

/** A custom property or style as the browser computed it for the element. */
const computed = (locator: Locator, property: string) =>
  locator.evaluate((element, name) => getComputedStyle(element).getPropertyValue(name).trim(), property);

/** What a visitor of the branded room must see on the waiting page. */
async function expectBranded(page: Page, scheme: "light" | "dark") {
  await expect(page.locator("[data-accent]")).toHaveAttribute("lang", second.code);
  await expect(page.locator("html")).toHaveAttribute("lang", second.code);
  await expect(page.getByTestId("room-display-name")).toHaveText(text.displayName);
  // Plain text, line break kept (white-space: pre-line), nothing rendered as markup.
  await expect(page.getByTestId("room-message")).toHaveText(text.message);
  const logo = page.getByTestId("room-logo");
  await expect(logo).toHaveAttribute("alt", text.displayName);
  await expect(logo).toHaveAttribute("referrerpolicy", "no-referrer");
  // Loaded, not blocked by the page's Content-Security-Policy.
  await expect.poll(() => logo.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth)).toBe(192);
  const root = page.locator("[data-accent]");
  await expect.poll(() => computed(root, "--accent")).toBe(painted[scheme]);
  expect(await computed(page.getByTestId("room-message"), "border-left-color")).toBe(rgb(painted[scheme]));
  // The Floodgate mark in the top bar is drawn in the accent (the first in line, who joined with
  // nobody ahead, has no progress bar to paint).
  expect(await computed(page.getByRole("banner").locator("svg").first(), "color")).toBe(rgb(painted[scheme]));
  await expect(page).toHaveTitle(new RegExp(text.displayName));
}

test("an operator brands a room with a live preview; visitors see it in their language or the room's default", async ({
  browser,
  baseURL,
  visitor,
}, testInfo) => {
  const desk = await signInPage(browser, adminAccount);
  // The preview runs the admin API's checks in the console, under the console's strict policy.
  const refusals: string[] = [];
  desk.on("console", (message) => {
    if (/content security policy|refused to/i.test(message.text())) refusals.push(message.text());
  });
  await desk.goto(`/admin/rooms/${drop.id}`);
  const panel = desk.getByTestId("branding-panel");
  const preview = panel.getByTestId("branding-preview");

  await test.step("the preview shows the room as it is: its name, Floodgate's colours", async () => {
    await expect(preview.getByTestId("room-display-name")).toHaveText(drop.name);
    await expect(preview.locator("[data-accent]")).toHaveCount(0);
  });

  await test.step(`the operator types a ${second.name} name and message; the preview follows as they type`, async () => {
    const name = panel.getByLabel(`Display name, ${second.name}`);
    await name.click();
    // Focusing the language's row shows the preview in that language.
    await expect(panel.getByTestId("branding-preview-language")).toHaveValue(second.code);
    await name.pressSequentially(text.displayName.slice(0, 3));
    await expect(preview.getByTestId("room-display-name")).toHaveText(text.displayName.slice(0, 3));
    await name.fill(text.displayName);
    await expect(preview.getByTestId("room-display-name")).toHaveText(text.displayName);
    await panel.getByLabel(`Message, ${second.name}`).fill(text.message);
    await expect(preview.getByTestId("room-message")).toHaveText(text.message);
  });

  await test.step("a colour and a logo; a half-typed colour does not paint the preview, a bad logo URL is refused inline", async () => {
    const hex = panel.getByLabel("Accent colour", { exact: true });
    await hex.fill("#0f7");
    await expect(preview.locator("[data-accent]")).toHaveCount(0);
    await hex.fill(accent);
    await expect.poll(() => computed(preview.locator("[data-accent]"), "--accent")).toBe(accent);

    const logo = panel.getByLabel("Logo URL");
    await logo.fill("javascript:alert(1)");
    await panel.getByRole("button", { name: "Save branding" }).click();
    await expect(
      panel.getByText("The logo URL must be an https URL (no data:, javascript: or other schemes)"),
    ).toBeVisible();
    await logo.fill(`${baseURL}/brand-demo-logo.png`);
    await expect(panel.getByText("The logo URL must be an https URL")).toHaveCount(0);
    await expect(preview.getByTestId("room-logo")).toHaveAttribute("alt", text.displayName);
    await expect
      .poll(() => preview.getByTestId("room-logo").evaluate((img: HTMLImageElement) => img.naturalWidth))
      .toBe(192);
  });

  await test.step(`${second.name} becomes the room's default language; saved and audited`, async () => {
    await panel.getByLabel("Default language").selectOption(second.code);
    await panel.getByRole("button", { name: "Save branding" }).click();
    const dialog = desk.getByRole("dialog", { name: `Save the branding of ${drop.name}?` });
    await dialog.getByRole("button", { name: "Save", exact: true }).click();
    await expect(panel.getByText("Branding saved.")).toBeVisible();
    const room = (await (await admin.get(`/api/admin/rooms/${drop.id}`)).json()).room;
    expect(room).toMatchObject({
      defaultLanguage: second.code,
      branding: {
        displayName: { [second.code]: text.displayName },
        message: { [second.code]: text.message },
        logoUrl: `${baseURL}/brand-demo-logo.png`,
        accentColor: accent,
      },
    });
    await panel.scrollIntoViewIfNeeded();
    // The console's top bar is sticky: out of the way for the section's picture.
    await panel.screenshot({
      path: testInfo.outputPath("screenshots", "branding-console.png"),
      animations: "disabled",
      style: '[class*="topbar"] { position: static !important; }',
    });
    expect(refusals).toEqual([]);
    await desk.context().close();
  });

  await test.step(`a visitor whose browser asks for ${second.name} sees the room's own look`, async () => {
    const local = await visitor("Local fan", {
      viewport: { width: 1280, height: 800 },
      // A browser set to that language sends it as Accept-Language (Chromium: "ja-JP,ja;q=0.9").
      locale: second.locale,
    });
    const response = await local.page.goto(`/wait/${drop.id}`);
    expect(await response?.request().headerValue("accept-language")).toMatch(new RegExp(`^${second.locale}`));
    await expect(local.page.getByTestId("wait-position")).toHaveText("1");
    expect(painted.light).toBe(accent);
    await expectBranded(local.page, "light");
    await capture(local.page, "branding-waiting-light", testInfo);
  });

  await test.step("a visitor whose browser asks for no language Floodgate speaks gets the room's default", async () => {
    const traveller = await visitor("Traveller", {
      viewport: { width: 1280, height: 800 },
      colorScheme: "dark",
      locale: "it-IT",
    });
    const response = await traveller.page.goto(`/wait/${drop.id}`);
    expect(await response?.request().headerValue("accept-language")).toMatch(/^it-IT/);
    await expect(traveller.page.getByTestId("wait-position")).toHaveText("2");
    // Dark: the page takes the dark scheme's shade of the colour, which reads on the dark page.
    expect(painted.dark).not.toBe(accent);
    await expectBranded(traveller.page, "dark");
    await capture(traveller.page, "branding-waiting-dark", testInfo);
  });

  await test.step("on a phone, too", async () => {
    const phone = await visitor("Phone fan", {
      viewport: { width: 390, height: 844 },
      deviceScaleFactor: 2,
      isMobile: true,
      hasTouch: true,
      locale: second.locale,
    });
    await phone.page.goto(`/wait/${drop.id}`);
    await expect(phone.page.getByTestId("wait-position")).toHaveText("3");
    await expectBranded(phone.page, "light");
    await capture(phone.page, "branding-waiting-phone", testInfo);
  });

  await test.step("the room closes: a newcomer gets the gate's own closed page, in the room's colours", async () => {
    const closed = await admin.patch(`/api/admin/rooms/${drop.id}`, { data: { mode: "closed" } });
    expect(closed.status(), await closed.text()).toBe(200);
    const late = await visitor("Latecomer", { viewport: { width: 1280, height: 800 }, locale: "it-IT" });
    const response = await late.page.goto(`/wait/${drop.id}`);
    expect(response?.status()).toBe(503);
    await expect(late.page.getByTestId("unavailable")).toHaveAttribute("data-reason", "room_closed");
    await expect(late.page.locator("html")).toHaveAttribute("lang", second.code);
    await expect(late.page.getByTestId("room-display-name")).toHaveText(text.displayName);
    await expect(late.page.getByTestId("room-message")).toHaveText(text.message);
    // The gate's policy names the logo's origin, and the logo loads under it.
    expect(response?.headers()["content-security-policy"]).toContain(`img-src ${new URL(baseURL ?? "").origin}`);
    await expect
      .poll(() =>
        late.page.getByRole("img", { name: text.displayName }).evaluate((img: HTMLImageElement) => img.naturalWidth),
      )
      .toBe(192);
    await capture(late.page, "branding-gate-closed", testInfo);
  });
});
