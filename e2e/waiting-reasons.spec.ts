import { type APIRequestContext, request as playwrightRequest } from "@playwright/test";
import { decodeJwt } from "jose";
import { signInApi } from "./console";
import { saveScreenshot as capture, expect, test, type Visitor } from "./fixtures";
import { adminAccount } from "./settings";

// When a place is gone, the waiting page says why, as the server tells it: an operator removed
// it, or the site ended the visit. Two people each time: a visitor in their browser, and an
// operator (the admin API, as the console calls it) or the shop's server (its API key).
// A reload shows the same reason instead of quietly handing out a new place.

/** One slot, quick heartbeats, a long timeout: the one inside (an API client) stays put. */
const roomOf = (id: string, name: string) =>
  ({
    id,
    name,
    capacity: 1,
    heartbeatIntervalMs: 1_000,
    heartbeatTimeoutMs: 60_000,
    maxQueueLength: 1_000,
    mode: "fifo",
    protectedPaths: [`/${id}`],
  }) as const;

const removed = roomOf("removal-room", "Removal room");
const ended = roomOf("ended-room", "Ended room");

let admin: APIRequestContext;
let inside: APIRequestContext;

test.beforeAll(async ({ baseURL }) => {
  admin = await playwrightRequest.newContext({ baseURL });
  await signInApi(admin, adminAccount.email, adminAccount.password);
  for (const room of [removed, ended]) {
    await admin.delete(`/api/admin/rooms/${room.id}?force=true`);
    const created = await admin.post("/api/admin/rooms", { data: room });
    expect(created.status(), await created.text()).toBe(201);
  }
  // Someone inside the removal room: whoever comes next waits in line.
  inside = await playwrightRequest.newContext({ baseURL });
  const entered = await (await inside.post(`/api/queue/${removed.id}/enter`)).json();
  expect(entered.status.state).toBe("admitted");
});

test.afterAll(async () => {
  await inside?.dispose();
  if (!admin) return;
  for (const room of [removed, ended]) await admin.delete(`/api/admin/rooms/${room.id}?force=true`);
  await admin.dispose();
});

/** The visitor's id (the queue token's jti), as the console lists it. */
async function visitorIdOf(visitor: Visitor, roomId: string): Promise<string> {
  const token = await visitor.cookie(`fgq_${roomId}`);
  expect(token, "queue cookie").toBeDefined();
  return decodeJwt(token ?? "").jti as string;
}

/** What the console's Evict button sends. */
async function evict(id: string): Promise<void> {
  const evicted = await admin.post(`/api/admin/rooms/${removed.id}/tokens/${encodeURIComponent(id)}/evict`, {
    data: {},
  });
  expect(evicted.status(), await evicted.text()).toBe(200);
}

test("an operator evicts a visitor from the line: the page says the site removed their place, after a reload too", async ({
  visitor,
}, testInfo) => {
  const dana = await visitor("Dana", { viewport: { width: 1280, height: 800 }, locale: "en-US" });
  await dana.page.goto(`/wait/${removed.id}`);
  await expect(dana.page.getByTestId("wait-position")).toHaveText("1");
  const state = dana.page.getByTestId("wait-state");

  await test.step("the operator evicts Dana", async () => {
    const id = await visitorIdOf(dana, removed.id);
    await evict(id);
  });

  await test.step("Dana's page says the site removed her place, not that her page was closed", async () => {
    await expect(state).toHaveAttribute("data-state", "removed", { timeout: 5_000 });
    await expect(dana.page.getByRole("heading", { level: 1 })).toHaveText("The site removed your place");
    await expect(state).toContainText("It wasn't because of your page or your connection.");
    await expect(state).not.toContainText("closed or lost its connection");
    await expect(dana.page.getByTestId("new-place-button")).toBeVisible();
    await expect(dana.page).toHaveTitle(/^Waiting room · Removal room · Floodgate$/);
    await capture(dana.page, "reasons-evicted-desktop", testInfo);
  });

  await test.step("a reload says the same, and only the button gives a new place", async () => {
    await dana.page.reload();
    await expect(state).toHaveAttribute("data-state", "removed");
    await dana.page.getByTestId("new-place-button").click();
    await expect(dana.page.getByTestId("wait-position")).toHaveText("1", { timeout: 5_000 });
  });
});

test("an evicted visitor on a phone in Korean, in the dark, reads it in natural Korean", async ({
  visitor,
}, testInfo) => {
  const minji = await visitor("Minji", {
    viewport: { width: 390, height: 844 },
    deviceScaleFactor: 2,
    isMobile: true,
    hasTouch: true,
    locale: "ko-KR",
    colorScheme: "dark",
  });
  await minji.page.goto(`/wait/${removed.id}`);
  await expect(minji.page.getByTestId("wait-position")).toHaveText("1");
  const id = await visitorIdOf(minji, removed.id);
  await evict(id);
  const state = minji.page.getByTestId("wait-state");
  await expect(state).toHaveAttribute("data-state", "removed", { timeout: 5_000 });
  await expect(minji.page.getByRole("heading", { level: 1 })).toHaveText("사이트에서 대기 순서를 취소했습니다");
  await expect(minji.page.getByTestId("new-place-button")).toHaveText("다시 줄 서기");
  await capture(minji.page, "reasons-evicted-phone-ko-dark", testInfo);
});

test("the shop's server ends a visit through the API: the visitor, sent back to the waiting page, reads that the site ended it", async ({
  visitor,
  baseURL,
}, testInfo) => {
  const created = await admin.post("/api/admin/api-keys", { data: { name: `ends ${Date.now()}`, rooms: [ended.id] } });
  expect(created.status(), await created.text()).toBe(201);
  const { secret } = await created.json();

  const sam = await visitor("Sam", { viewport: { width: 1280, height: 800 }, locale: "en-US" });
  await sam.page.goto(`/${ended.id}`);
  await expect(sam.page).toHaveURL(new RegExp(`/${ended.id}$`));
  const admissionToken = await sam.cookie(`fga_${ended.id}`);
  expect(admissionToken, "admission cookie").toBeDefined();

  await test.step("the shop's server ends Sam's session after checkout", async () => {
    const shop = await playwrightRequest.newContext({ baseURL });
    const response = await shop.post("/api/triggers/end-session", {
      headers: { authorization: `Bearer ${secret}` },
      data: { room: ended.id, admissionToken },
    });
    expect(response.status(), await response.text()).toBe(204);
    await shop.dispose();
  });

  await test.step("Sam's next page load goes to the waiting page, which says the site ended the visit", async () => {
    await sam.page.reload();
    await expect(sam.page).toHaveURL(new RegExp(`/wait/${ended.id}\\?next=%2F${ended.id}$`));
    const state = sam.page.getByTestId("wait-state");
    await expect(state).toHaveAttribute("data-state", "siteEnded");
    await expect(sam.page.getByRole("heading", { level: 1 })).toHaveText("The site ended your visit");
    await expect(state).not.toContainText("closed or lost its connection");
    await capture(sam.page, "reasons-site-ended-desktop", testInfo);
  });

  await test.step("Sam asks for a new place and is let in again (the room has a free slot)", async () => {
    await sam.page.getByTestId("new-place-button").click();
    await expect(sam.page).toHaveURL(new RegExp(`/${ended.id}$`), { timeout: 10_000 });
  });
});
