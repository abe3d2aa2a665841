import { request as playwrightRequest } from "@playwright/test";
import { signInPage as signIn, signInApi } from "./console";
import { saveScreenshot as capture, expect, test } from "./fixtures";
import { adminAccount } from "./settings";

// The console as ops staff use it during a drop: an operator watches a visitor wait in a room
// with no capacity, lets them in, and finds the change in the audit log; a viewer sees the
// same numbers but cannot change them, in the page or by calling the API directly.

const operator = { email: "operator@e2e.test", password: "operator password, e2e only", role: "operator" };
const viewer = { email: "viewer@e2e.test", password: "viewer password, e2e only", role: "viewer" };

/** A room of its own: capacity 0 at the start, quick heartbeats, guarding /drop. */
const drop = {
  id: "drop",
  name: "Sneaker drop",
  capacity: 0,
  heartbeatIntervalMs: 1_000,
  heartbeatTimeoutMs: 6_000,
  maxQueueLength: 1_000,
  mode: "fifo",
  protectedPaths: ["/drop"],
};

test.beforeAll(async ({ baseURL }) => {
  // The admin sets the stage through the API: two colleagues and the drop's room at capacity 0.
  const api = await playwrightRequest.newContext({ baseURL });
  await signInApi(api, adminAccount.email, adminAccount.password);
  for (const person of [operator, viewer]) {
    const created = await api.post("/api/admin/users", { data: { ...person, name: person.role } });
    expect([201, 409], await created.text()).toContain(created.status());
  }
  const room = await api.post("/api/admin/rooms", { data: drop });
  expect([201, 409], await room.text()).toContain(room.status());
  const reset = await api.put(`/api/admin/rooms/${drop.id}/capacity`, { data: { capacity: 0 } });
  expect(reset.status(), await reset.text()).toBe(200);
  await api.dispose();
});

test("an operator watches a visitor wait, raises capacity from 0 to 1, and the visitor is let in", async ({
  browser,
  visitor,
}, testInfo) => {
  const desk = await signIn(browser, operator);
  const card = desk.getByTestId(`room-card-${drop.id}`);
  await expect(card.getByTestId("waiting")).toHaveText("0");

  // A visitor arrives at the drop while it admits nobody: they wait, and the console sees them.
  const fan = await visitor("Fan");
  await fan.page.goto("/drop");
  await expect(fan.page).toHaveURL(/\/wait\/drop\?next=%2Fdrop$/);
  await expect(fan.page.getByTestId("wait-state")).toHaveAttribute("data-state", "paused");
  await expect(card.getByTestId("waiting")).toHaveText("1", { timeout: 10_000 });
  await expect(card.getByTestId("active")).toHaveText("0");
  await expect(card.getByTestId("capacity")).toHaveText("0");
  await capture(desk, "admin-dashboard-waiting", testInfo);

  // The operator opens the room and lets one person in.
  await desk.goto(`/admin/rooms/${drop.id}`);
  await desk.getByLabel("Capacity", { exact: true }).fill("1");
  await desk.getByRole("button", { name: "Set capacity" }).click();
  const dialog = desk.getByRole("dialog");
  await expect(dialog).toContainText("1");
  await dialog.getByRole("button", { name: "Confirm" }).click();

  // Within about a second the waiting page learns it and takes the fan to the drop.
  await expect(fan.page).toHaveURL(/\/drop$/, { timeout: 5_000 });

  await desk.goto("/admin");
  await expect(card.getByTestId("active")).toHaveText("1", { timeout: 10_000 });
  await expect(card.getByTestId("capacity")).toHaveText("1");
  await expect(card.getByTestId("waiting")).toHaveText("0");
  await capture(desk, "admin-dashboard-admitted", testInfo);

  // The audit log names who changed capacity, from what to what.
  await desk.goto("/admin/audit");
  const entry = desk.getByRole("row").filter({ hasText: "room.capacity" }).filter({ hasText: operator.email }).first();
  await expect(entry).toBeVisible();
  await expect(entry).toContainText(/0\s*→\s*1/);
  await capture(desk, "admin-audit", testInfo);
  await desk.context().close();
});

test("a viewer sees the dashboard but cannot change capacity, in the page or through the API", async ({
  browser,
}, testInfo) => {
  const page = await signIn(browser, viewer);
  await expect(page.getByTestId(`room-card-${drop.id}`)).toBeVisible();
  await expect(page.getByTestId("room-card-default")).toBeVisible();

  await page.goto(`/admin/rooms/${drop.id}`);
  await expect(page.getByLabel("Capacity", { exact: true })).toBeDisabled();
  await expect(page.getByText("Operators can change capacity")).toBeVisible();
  await expect(page.getByRole("link", { name: "Users" })).toHaveCount(0);
  await capture(page, "admin-room-viewer", testInfo);

  // Calling the route directly with the viewer's own session: refused by the server.
  const response = await page.request.put(`/api/admin/rooms/${drop.id}/capacity`, { data: { capacity: 5 } });
  expect(response.status()).toBe(403);
  expect((await response.json()).error.code).toBe("forbidden");
  await page.context().close();
});

test("signed out: the admin API answers 401 and the console sends people to sign in", async ({ baseURL, page }) => {
  const api = await playwrightRequest.newContext({ baseURL });
  const response = await api.get("/api/admin/rooms");
  expect(response.status()).toBe(401);
  expect(await response.json()).toMatchObject({ error: { code: "unauthorized" } });
  const change = await api.put(`/api/admin/rooms/${drop.id}/capacity`, { data: { capacity: 100 } });
  expect(change.status()).toBe(401);
  await api.dispose();

  await page.goto("/admin/audit");
  await expect(page).toHaveURL(/\/admin\/sign-in\?callbackUrl=%2Fadmin%2Faudit/);
  await page.getByLabel("Email").fill(viewer.email);
  await page.getByLabel("Password").fill("not the password");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("alert").filter({ hasText: "Email or password is wrong." })).toBeVisible();
  await page.getByLabel("Password").fill(viewer.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/admin\/audit$/);
});

test("a person changes their password on the account page: their sessions end, the new password signs in", async ({
  baseURL,
  browser,
}) => {
  const person = { email: `changer-${Date.now()}@e2e.test`, password: "first password, e2e only" };
  const api = await playwrightRequest.newContext({ baseURL });
  await signInApi(api, adminAccount.email, adminAccount.password);
  const created = await api.post("/api/admin/users", { data: { ...person, name: "Changer", role: "viewer" } });
  expect(created.status(), await created.text()).toBe(201);
  await api.dispose();

  const page = await signIn(browser, person);
  // A second session of the same person, elsewhere.
  const elsewhere = await playwrightRequest.newContext({ baseURL });
  await signInApi(elsewhere, person.email, person.password);
  expect((await elsewhere.get("/api/admin/me")).status()).toBe(200);

  await page.getByRole("link", { name: /your account/ }).click();
  await expect(page).toHaveURL(/\/admin\/account$/);
  await page.getByLabel("Current password").fill("not my password");
  await page.getByLabel("New password", { exact: true }).fill("second password, e2e only");
  await page.getByLabel("Repeat new password").fill("second password, e2e only");
  await page.getByRole("button", { name: "Change password" }).click();
  await expect(page.getByRole("alert").filter({ hasText: "The current password is not right." })).toBeVisible();

  await page.getByLabel("Current password").fill(person.password);
  await page.getByLabel("New password", { exact: true }).fill("second password, e2e only");
  await page.getByLabel("Repeat new password").fill("second password, e2e only");
  await page.getByRole("button", { name: "Change password" }).click();
  await expect(page.getByText("Password changed. Every session of yours has ended")).toBeVisible();
  expect((await elsewhere.get("/api/admin/me")).status()).toBe(401);
  expect((await page.request.get("/api/admin/me")).status()).toBe(401);
  await elsewhere.dispose();

  // The page offers "Sign in again"; the console may also have sent the ended session to the
  // sign-in page by itself meanwhile (its next call answered 401): either way, to sign-in.
  const signInAgain = page.getByRole("button", { name: "Sign in again" });
  if (await signInAgain.isVisible()) await signInAgain.click().catch(() => {});
  await expect(page).toHaveURL(/\/admin\/sign-in/);
  await page.getByLabel("Email").fill(person.email);
  await page.getByLabel("Password").fill("second password, e2e only");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/admin$/);
  await page.context().close();
});

test("signing out ends that session on the server: a copy of its cookie is refused, another session goes on", async ({
  baseURL,
  browser,
}) => {
  const page = await signIn(browser, viewer);
  const elsewhere = await playwrightRequest.newContext({ baseURL });
  await signInApi(elsewhere, viewer.email, viewer.password);
  // Someone copies the cookie (a shared machine, a stolen backup) before the person signs out.
  const copied = await page.context().cookies();
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/admin\/sign-in/);

  const thief = await browser.newContext();
  await thief.addCookies(copied);
  expect((await thief.request.get(`${baseURL}/api/admin/me`)).status()).toBe(401);
  const thiefPage = await thief.newPage();
  await thiefPage.goto(`${baseURL}/admin`);
  await expect(thiefPage).toHaveURL(/\/admin\/sign-in/);
  expect((await elsewhere.get("/api/admin/me")).status()).toBe(200);
  await thief.close();
  await elsewhere.dispose();
  await page.context().close();
});
