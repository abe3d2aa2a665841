import { type APIRequestContext, type Page, request as playwrightRequest } from "@playwright/test";
import { epochMsToLocalInput } from "../components/admin/common/local-time";
import { signInApi, signInPage } from "./console";
import { saveScreenshot as capture, expect, test } from "./fixtures";
import { adminAccount, snsTopicArn, snsUrl } from "./settings";

// The event-driven half of peak load control, as ops staff live it: an operator schedules a
// launch a few seconds ahead and watches capacity go up at the start (the fan waiting at the
// door is let in) and come back at the end; then sets "waiting > 3", five people queue, the
// alarm shows in the console and reaches SNS, and recovers once the line is gone.

const operator = { email: "events-operator@e2e.test", password: "events operator password, e2e only" };
const timezoneId = "Asia/Seoul";

/** A room of its own: capacity 0 (admits nobody until the event), quick heartbeats, guarding /launch. */
const launch = {
  id: "launch",
  name: "Product launch",
  capacity: 0,
  heartbeatIntervalMs: 1_000,
  heartbeatTimeoutMs: 6_000,
  maxQueueLength: 1_000,
  mode: "fifo",
  protectedPaths: ["/launch"],
} as const;

type SnsMessage = { topicArn: string; subject: string | null; message: string };

let admin: APIRequestContext;

async function snsMessages(): Promise<SnsMessage[]> {
  const response = await fetch(`${snsUrl()}/__messages`);
  expect(response.ok).toBe(true);
  const body = (await response.json()) as { messages: SnsMessage[] } | SnsMessage[];
  return Array.isArray(body) ? body : body.messages;
}

async function effectiveCapacity(): Promise<number> {
  const response = await admin.get(`/api/admin/rooms/${launch.id}/capacity-plan`);
  expect(response.status(), await response.text()).toBe(200);
  return (await response.json()).effectiveCapacity;
}

test.beforeAll(async ({ baseURL }) => {
  // The admin sets the stage: an operator colleague, the launch room at capacity 0, and the
  // room's notification channel on the SNS topic.
  admin = await playwrightRequest.newContext({ baseURL });
  await signInApi(admin, adminAccount.email, adminAccount.password);
  const created = await admin.post("/api/admin/users", {
    data: { ...operator, name: "Launch desk", role: "operator" },
  });
  expect([201, 409], await created.text()).toContain(created.status());
  const room = await admin.post("/api/admin/rooms", { data: launch });
  expect([201, 409], await room.text()).toContain(room.status());
  const channel = await admin.put(`/api/admin/rooms/${launch.id}/channel`, { data: { topicArn: snsTopicArn } });
  expect(channel.status(), await channel.text()).toBe(200);
});

test.afterAll(async () => {
  await admin.dispose();
});

test("an operator schedules a launch a few seconds ahead: capacity rises at the start, the waiting fan is let in, and it reverts at the end", async ({
  browser,
  visitor,
}, testInfo) => {
  test.setTimeout(120_000);
  const desk = await signInPage(browser, operator, timezoneId);

  // A fan is at the door before the launch: the room admits nobody yet.
  const fan = await visitor("Fan");
  await fan.page.goto("/launch");
  await expect(fan.page).toHaveURL(/\/wait\/launch\?next=%2Flaunch$/);
  await expect(fan.page.getByTestId("wait-state")).toHaveAttribute("data-state", "paused");

  // The operator schedules the launch: capacity 1 from 12 s from now, for 20 s, no lead time.
  await desk.goto(`/admin/rooms/${launch.id}`);
  const startsAtMs = Math.ceil((Date.now() + 12_000) / 1000) * 1000;
  const endsAtMs = startsAtMs + 20_000;
  await desk.getByRole("button", { name: "New event" }).click();
  const form = desk.getByTestId("event-form");
  await form.getByLabel("Name").fill("Launch party");
  await form.getByLabel("Capacity during the event").fill("1");
  await form.getByLabel("Starts").fill(epochMsToLocalInput(startsAtMs, timezoneId, "seconds"));
  await form.getByLabel("Ends").fill(epochMsToLocalInput(endsAtMs, timezoneId, "seconds"));
  await form.getByLabel("Lead time (minutes)").fill("0");
  await form.getByRole("button", { name: "Schedule event" }).click();
  const events = desk.getByTestId("scale-events");
  await expect(events.getByText("Launch party").first()).toBeVisible();
  await expect(desk.getByTestId("effective-capacity")).toHaveAttribute("data-value", "0");
  expect(Date.now(), "the event was scheduled before its start").toBeLessThan(startsAtMs - 1_000);

  // At the start capacity goes to 1 (within a second) and the fan is let in.
  await expect(desk.getByTestId("effective-capacity")).toHaveAttribute("data-value", "1", { timeout: 20_000 });
  expect(Date.now()).toBeGreaterThanOrEqual(startsAtMs - 100);
  await expect(fan.page).toHaveURL(/\/launch$/, { timeout: 10_000 });
  const dashboard = await desk.context().newPage();
  await dashboard.goto("/admin");
  await expect(dashboard.getByTestId(`room-card-${launch.id}`).getByTestId("capacity")).toContainText("1");
  await capture(desk, "event-running", testInfo);

  // At the end it returns to the room's own capacity, and both changes were announced.
  await expect(desk.getByTestId("effective-capacity")).toHaveAttribute("data-value", "0", { timeout: 30_000 });
  expect(Date.now()).toBeGreaterThanOrEqual(endsAtMs - 100);
  expect(await effectiveCapacity()).toBe(0);
  await expect
    .poll(async () => (await snsMessages()).map((m) => m.message).filter((m) => m.includes("Launch party")), {
      timeout: 15_000,
    })
    .toEqual(
      expect.arrayContaining([
        expect.stringContaining(`Room ${launch.id}: capacity 0 → 1`),
        expect.stringContaining(`Room ${launch.id}: capacity 1 → 0`),
      ]),
    );
  for (const message of await snsMessages()) expect(message.topicArn).toBe(snsTopicArn);
  await fan.leave();
});

test("an operator sets 'waiting > 3': five people queue, the alarm shows and reaches SNS, and it recovers when the line is gone", async ({
  browser,
  baseURL,
}, testInfo) => {
  test.setTimeout(120_000);
  const desk = await signInPage(browser, operator, timezoneId);
  await desk.goto(`/admin/rooms/${launch.id}`);
  const queueApi = (action: string) => new URL(`/api/queue/${launch.id}/${action}`, baseURL).toString();

  // The threshold, through the console's editor: waiting > 3 for one sample.
  await desk.getByRole("button", { name: "New threshold" }).click();
  const editor = desk.getByTestId("threshold-editor");
  await editor.getByLabel("Name").fill("Long line");
  await editor.getByLabel("Metric").selectOption("waiting");
  await editor.getByLabel("Alarm when it is").selectOption("gt");
  await editor.getByLabel("Value", { exact: true }).fill("3");
  await editor.getByLabel("For samples in a row").fill("1");
  await editor.getByLabel("Cooldown (seconds)").fill("0");
  await editor.getByRole("button", { name: "Add threshold" }).click();
  const state = desk.getByTestId("threshold-state").first();
  await expect(state).toContainText(/OK/i);

  // Five people (API clients, each with a place of their own) queue at capacity 0 and keep
  // their places with heartbeats.
  const tokens: string[] = [];
  for (let i = 0; i < 5; i++) {
    const response = await fetch(queueApi("enter"), { method: "POST" });
    expect(response.status).toBe(201);
    tokens.push(((await response.json()) as { token: string }).token);
  }
  const heartbeats = setInterval(() => {
    for (const token of tokens) {
      fetch(queueApi("heartbeat"), { method: "POST", headers: { authorization: `Bearer ${token}` } }).catch(
        () => undefined,
      );
    }
  }, 1_000);

  try {
    await expect(state).toContainText(/ALARM/i, { timeout: 20_000 });
    await expect
      .poll(async () => (await snsMessages()).map((m) => m.subject), { timeout: 15_000 })
      .toContain(`[ALARM] ${launch.id}: Long line (waiting > 3)`);
    const alarm = (await snsMessages()).find((m) => m.subject?.startsWith("[ALARM]"));
    expect(alarm?.topicArn).toBe(snsTopicArn);
    expect(alarm?.message).toContain("waiting");
    expect(alarm?.message).toContain(`/admin/rooms/${launch.id}`);
    await checkHistory(desk, /alarm/i);
    await capture(desk, "alert-history", testInfo);
  } finally {
    clearInterval(heartbeats);
  }

  // They stop checking in (they left): their places expire, the line is gone, and it recovers.
  await desk.goto(`/admin/rooms/${launch.id}`);
  await expect(desk.getByTestId("threshold-state").first()).toContainText(/OK/i, { timeout: 30_000 });
  await expect
    .poll(async () => (await snsMessages()).map((m) => m.subject), { timeout: 15_000 })
    .toContain(`[OK] ${launch.id}: Long line (waiting > 3)`);
  await checkHistory(desk, /ok/i);
});

/** The alerts page lists the newest state change of the room: its target state and that it was sent. */
async function checkHistory(desk: Page, toState: RegExp) {
  await desk.goto("/admin/alerts");
  const newest = desk.locator('[data-testid^="alert-"]').first();
  await expect(newest).toContainText(toState, { timeout: 10_000 });
  await expect(newest).toContainText(launch.id);
  await expect(desk.getByTestId("delivery-status").first()).toContainText(/sent/i, { timeout: 15_000 });
}
