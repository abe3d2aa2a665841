import { type APIRequestContext, request as playwrightRequest } from "@playwright/test";
import { signInApi, signInPage } from "./console";
import { expect, test } from "./fixtures";
import { adminAccount } from "./settings";

// Backstage staff skip the line: the operator adds the staff network to the room's bypass
// ranges in the console, and a staff member arriving after a fan goes first; when the one
// inside leaves, the slot is theirs. (In this test every browser connects from 127.0.0.1, so
// the range is added only once the fan is already in line.)

const backstage = {
  id: "backstage",
  name: "Backstage",
  capacity: 1,
  heartbeatIntervalMs: 2_000,
  heartbeatTimeoutMs: 120_000,
  maxQueueLength: 1_000,
  mode: "fifo",
  protectedPaths: ["/backstage"],
} as const;

let admin: APIRequestContext;

test.beforeAll(async ({ baseURL }) => {
  admin = await playwrightRequest.newContext({ baseURL });
  await signInApi(admin, adminAccount.email, adminAccount.password);
  await admin.delete(`/api/admin/rooms/${backstage.id}?force=true`);
  const created = await admin.post("/api/admin/rooms", { data: backstage });
  expect(created.status(), await created.text()).toBe(201);
});

test.afterAll(async () => {
  if (!admin) return;
  await admin.delete(`/api/admin/rooms/${backstage.id}?force=true`);
  await admin.dispose();
});

test("an address in a bypass range walks past the line: the operator adds the range, staff go first", async ({
  browser,
  visitor,
  baseURL,
}) => {
  // Someone inside (through the API, as a long admission), and a fan first in line.
  const inside = await playwrightRequest.newContext({ baseURL });
  const entered = await (await inside.post(`/api/queue/${backstage.id}/enter`)).json();
  expect(entered.status.state).toBe("admitted");
  const fan = await visitor("Fan");
  await fan.page.goto(`/wait/${backstage.id}`);
  await expect(fan.page.getByTestId("wait-position")).toHaveText("1");

  await test.step("the operator adds the staff network as a bypass range in the room's settings", async () => {
    const desk = await signInPage(browser, adminAccount);
    await desk.goto(`/admin/rooms/${backstage.id}`);
    await desk.getByLabel("Skip the line from these addresses").fill("127.0.0.0/8");
    await desk.getByRole("button", { name: "Save settings" }).click();
    const dialog = desk.getByRole("dialog", { name: `Save 1 change to ${backstage.name}?` });
    await expect(dialog).toContainText("Addresses that skip the line: none → 127.0.0.0/8");
    await dialog.getByRole("button", { name: "Save", exact: true }).click();
    await expect(desk.getByText("Settings saved.")).toBeVisible();
    await desk.context().close();
  });

  const staff = await visitor("Staff");
  await test.step("a staff member arriving now is first in line, ahead of the fan", async () => {
    await staff.page.goto(`/wait/${backstage.id}`);
    await expect(staff.page.getByTestId("wait-position")).toHaveText("1");
    await expect(fan.page.getByTestId("wait-position")).toHaveText("2", { timeout: 5_000 });
  });

  await test.step("the one inside leaves: the slot goes to staff, and the fan is first again", async () => {
    const ended = await inside.post(`/api/queue/${backstage.id}/end-session`);
    expect(ended.status()).toBe(204);
    await expect(staff.page).toHaveURL(/\/backstage$/, { timeout: 5_000 });
    await expect(fan.page.getByTestId("wait-position")).toHaveText("1", { timeout: 5_000 });
    const room = await (await admin.get(`/api/admin/rooms/${backstage.id}`)).json();
    expect(room.room.stats).toMatchObject({ active: 1, waiting: 1, bypassedTotal: 1 });
  });
  await inside.dispose();
});
