import { type APIRequestContext, request as playwrightRequest } from "@playwright/test";
import { signInApi } from "./console";
import { aliceInsideBobWaiting, expect, test } from "./fixtures";
import { adminAccount, shopUrl, waitingPageUrl } from "./settings";

// The shop allows 10 seconds a visit (the shortest limit there is, for a quick test). A
// shopper sees the time left; at the limit she is sent back while her page is still open and
// her slot goes to the one waiting. Without renewal she is told her time is up and decides
// herself to queue again; with renewal she is put at the back of the line by her page.

let admin: APIRequestContext;
const limitS = 10;

async function setLimit(sessionDurationSeconds: number | null, sessionRenewal = false) {
  const response = await admin.patch("/api/admin/rooms/default", { data: { sessionDurationSeconds, sessionRenewal } });
  expect(response.status(), await response.text()).toBe(200);
}

test.beforeAll(async ({ baseURL }) => {
  admin = await playwrightRequest.newContext({ baseURL });
  await signInApi(admin, adminAccount.email, adminAccount.password);
});

test.afterAll(async () => {
  if (!admin) return;
  await setLimit(null);
  await admin.dispose();
});

test("a session cap sends a shopper back: told her time is up, her slot goes to the next, she may queue again", async ({
  visitor,
}) => {
  await setLimit(limitS);
  const alice = await visitor("Alice");
  await alice.page.goto("/shop");
  await expect(alice.page.getByTestId("shop-banner-text")).toHaveText(/^You're in\. Time left: 0:(0\d|10)$/, {
    timeout: 10_000,
  });
  const bob = await visitor("Bob");
  await bob.page.goto("/shop");
  await expect(bob.page).toHaveURL(waitingPageUrl);

  await test.step("at the limit Alice's open shop page takes her out, and Bob walks in", async () => {
    await expect(alice.page).toHaveURL(waitingPageUrl, { timeout: (limitS + 5) * 1000 });
    await expect(alice.page.getByTestId("wait-state")).toHaveAttribute("data-state", "ended");
    await expect(alice.page.getByRole("heading", { name: "Your time is up" })).toBeVisible();
    await expect(bob.page).toHaveURL(shopUrl, { timeout: 5_000 });
  });

  await test.step("reloading does not queue her again by itself; the button does", async () => {
    await alice.page.reload();
    await expect(alice.page.getByTestId("wait-state")).toHaveAttribute("data-state", "ended");
    await alice.page.getByTestId("new-place-button").click();
    await expect(alice.page.getByTestId("wait-position")).toHaveText("1");
  });
});

test("with renewal, a shopper whose time is up while others wait goes to the back of the line by herself", async ({
  visitor,
}) => {
  await setLimit(limitS, true);
  const { alice, bob } = await aliceInsideBobWaiting(visitor);

  await expect(bob.page).toHaveURL(shopUrl, { timeout: (limitS + 5) * 1000 });
  await expect(alice.page).toHaveURL(waitingPageUrl, { timeout: 5_000 });
  await expect(alice.page.getByTestId("wait-position")).toHaveText("1");
  await expect(alice.page.getByTestId("wait-state")).toHaveAttribute("data-state", "next");
});
