import { type APIRequestContext, request as playwrightRequest } from "@playwright/test";
import { decodeJwt } from "jose";
import { signInApi } from "./console";
import { saveScreenshot as capture, expect, test } from "./fixtures";
import { adminAccount } from "./settings";

// A visitor who waits in another tab reads their place in the tab title from the first paint,
// before any script has run; and the progress bar starts at 0 when they join and moves only as
// the people ahead of them go.

const room = {
  id: "progress-room",
  name: "Progress room",
  capacity: 1,
  heartbeatIntervalMs: 1_000,
  heartbeatTimeoutMs: 60_000,
  maxQueueLength: 1_000,
  mode: "fifo",
  protectedPaths: ["/progress-room"],
} as const;

let admin: APIRequestContext;
/** API clients: one inside, two in line ahead of the visitor. */
const others: APIRequestContext[] = [];
const ahead: string[] = [];

test.beforeAll(async ({ baseURL }) => {
  admin = await playwrightRequest.newContext({ baseURL });
  await signInApi(admin, adminAccount.email, adminAccount.password);
  await admin.delete(`/api/admin/rooms/${room.id}?force=true`);
  const created = await admin.post("/api/admin/rooms", { data: room });
  expect(created.status(), await created.text()).toBe(201);
  for (let i = 0; i < 3; i++) {
    const client = await playwrightRequest.newContext({ baseURL });
    others.push(client);
    const entered = await (await client.post(`/api/queue/${room.id}/enter`)).json();
    if (i > 0) ahead.push(decodeJwt(entered.token).jti as string);
  }
});

test.afterAll(async () => {
  for (const client of others) await client.dispose();
  if (!admin) return;
  await admin.delete(`/api/admin/rooms/${room.id}?force=true`);
  await admin.dispose();
});

test("the tab title shows the place from the first paint, and progress starts at 0 and moves as people ahead go", async ({
  visitor,
}, testInfo) => {
  const expectedTitle = "#3 in line · Waiting room · Progress room · Floodgate";
  const eve = await visitor("Eve", { viewport: { width: 1280, height: 800 }, locale: "en-US" });
  // What the title is when the document has been parsed: before hydration could set it.
  await eve.page.addInitScript(() => {
    document.addEventListener("DOMContentLoaded", () => {
      (window as unknown as { titleAtParse: string }).titleAtParse = document.title;
    });
  });
  const response = await eve.page.goto(`/wait/${room.id}`);

  await test.step("the title is in the server's HTML and is the tab's title at DOMContentLoaded", async () => {
    const html = (await response?.text()) ?? "";
    expect(html.match(/<title>([^<]*)<\/title>/)?.[1]).toBe(expectedTitle);
    expect(await eve.page.evaluate(() => (window as unknown as { titleAtParse: string }).titleAtParse)).toBe(
      expectedTitle,
    );
    await expect(eve.page).toHaveTitle(expectedTitle);
  });

  const percent = eve.page.getByTestId("wait-progress-percent");
  const bar = eve.page.getByTestId("wait-progress");

  await test.step("progress is 0 on joining: nobody ahead has gone in yet", async () => {
    await expect(eve.page.getByTestId("wait-position")).toHaveText("3");
    await expect(percent).toHaveText("0%");
    await expect(bar).toHaveAttribute("aria-valuenow", "0");
    await capture(eve.page, "progress-at-join", testInfo);
  });

  await test.step("the two ahead go, one after the other: progress moves, and the title follows", async () => {
    const seen: number[] = [0];
    for (const id of ahead) {
      const evicted = await admin.post(`/api/admin/rooms/${room.id}/tokens/${encodeURIComponent(id)}/evict`, {
        data: {},
      });
      expect(evicted.status(), await evicted.text()).toBe(200);
      const before = seen.at(-1) ?? 0;
      await expect
        .poll(async () => Number(await bar.getAttribute("aria-valuenow")), { timeout: 5_000 })
        .toBeGreaterThan(before);
      seen.push(Number(await bar.getAttribute("aria-valuenow")));
    }
    await expect(eve.page.getByTestId("wait-position")).toHaveText("1");
    await expect(eve.page).toHaveTitle("#1 in line · Waiting room · Progress room · Floodgate");
    // Everyone who was ahead has gone, but Eve is not in yet: never shown as done.
    expect(seen.at(-1)).toBeLessThan(100);
    await capture(eve.page, "progress-moved", testInfo);
  });
});

test("without JavaScript the tab title already names the place", async ({ visitor }) => {
  const nojs = await visitor("NoScript", { locale: "en-US", javaScriptEnabled: false });
  await nojs.page.goto(`/wait/${room.id}`);
  await expect(nojs.page).toHaveTitle(/^#\d+ in line · Waiting room · Progress room · Floodgate$/);
});
