import path from "node:path";
import {
  type APIRequestContext,
  type Browser,
  type BrowserContextOptions,
  type Locator,
  type Page,
  request as playwrightRequest,
  type TestInfo,
} from "@playwright/test";
import { epochMsToLocalInput } from "../components/admin/common/local-time";
import { signInApi } from "./console";
import { saveScreenshot as capture, expect, test } from "./fixtures";
import { adminAccount } from "./settings";

// Scale events and the audit log as an operator lives them during a launch: an event whose
// lead time has already begun asks before it raises capacity (Cancel saves nothing, confirming
// raises it at once); the list and the header say the same phase at every moment; an event is
// scheduled from the events page itself; and the audit log reads on the operator's clock, in
// words, with the scheduler shown as the system.

const operator = { email: "warmup-operator@e2e.test", password: "warmup operator password, e2e only" };
const timezoneId = "Asia/Seoul";
const MINUTE_MS = 60_000;

/** A room of its own at capacity 1, guarding /warmup: only these tests schedule events in it. */
const warmup = {
  id: "warmup",
  name: "Warm-up sale",
  capacity: 1,
  heartbeatIntervalMs: 1_000,
  heartbeatTimeoutMs: 6_000,
  maxQueueLength: 1_000,
  mode: "fifo",
  protectedPaths: ["/warmup"],
} as const;

const desktop: BrowserContextOptions = { viewport: { width: 1280, height: 900 } };
const phone: BrowserContextOptions = { viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true };

let admin: APIRequestContext;

/** A picture of one part of the page (or of what the screen shows), beside saveScreenshot's. */
async function captureShown(target: Page | Locator, name: string, testInfo: TestInfo): Promise<void> {
  const file = path.join(testInfo.project.outputDir, "screenshots", `${name}.png`);
  // The console's top bar is sticky: out of the way for a part's picture.
  await target.screenshot({
    path: file,
    animations: "disabled",
    caret: "hide",
    style: '[class*="topbar"] { position: static !important; }',
  });
  await testInfo.attach(name, { path: file, contentType: "image/png" });
}

/** The operator in a browser of their own (Seoul clock), signed in. */
async function operatorPage(browser: Browser, options: BrowserContextOptions = desktop): Promise<Page> {
  const context = await browser.newContext({ ...options, timezoneId });
  // The context's request client shares its cookies: the page is signed in too.
  await signInApi(context.request, operator.email, operator.password);
  return context.newPage();
}

async function effectiveCapacity(): Promise<number> {
  const response = await admin.get(`/api/admin/rooms/${warmup.id}/capacity-plan`);
  expect(response.status(), await response.text()).toBe(200);
  return (await response.json()).effectiveCapacity;
}

async function eventNames(): Promise<string[]> {
  const response = await admin.get(`/api/admin/rooms/${warmup.id}/events`);
  expect(response.status(), await response.text()).toBe(200);
  return ((await response.json()).events as { name: string; status: string }[])
    .filter((event) => event.status !== "cancelled")
    .map((event) => event.name);
}

/** What the page header says and what each row's badge says, read at the same moment. */
async function headerAndRows(page: Page) {
  return page.evaluate(() => ({
    header: document.querySelector('[data-testid="events-summary"]')?.textContent ?? "",
    phases: [...document.querySelectorAll('[data-testid="event-table"] [data-testid="event-phase"]')].map((badge) =>
      badge.getAttribute("data-status"),
    ),
  }));
}

test.beforeAll(async ({ baseURL }) => {
  admin = await playwrightRequest.newContext({ baseURL });
  await signInApi(admin, adminAccount.email, adminAccount.password);
  const created = await admin.post("/api/admin/users", {
    data: { ...operator, name: "Warm-up desk", role: "operator" },
  });
  expect([201, 409], await created.text()).toContain(created.status());
  const room = await admin.post("/api/admin/rooms", { data: warmup });
  expect([201, 409], await room.text()).toContain(room.status());
});

test.afterAll(async () => {
  await admin.dispose();
});

test("an event whose lead time has begun asks before raising capacity: Cancel saves nothing, confirming raises it now", async ({
  browser,
}, testInfo) => {
  const desk = await operatorPage(browser);
  await desk.goto(`/admin/rooms/${warmup.id}`);
  await expect(desk.getByTestId("effective-capacity")).toHaveAttribute("data-value", "1");

  // Starts in 5 minutes with the default 10 minutes of lead: capacity was due 5 minutes ago.
  const startsAtMs = Math.ceil((Date.now() + 5 * MINUTE_MS) / MINUTE_MS) * MINUTE_MS;
  await desk.getByRole("button", { name: "New event" }).click();
  const form = desk.getByTestId("event-form");
  await form.getByLabel("Name").fill("Early doors");
  await form.getByLabel("Capacity during the event").fill("5");
  await form.getByLabel("Starts").fill(epochMsToLocalInput(startsAtMs, timezoneId));
  await form.getByLabel("Ends").fill(epochMsToLocalInput(startsAtMs + 30 * MINUTE_MS, timezoneId));
  await expect(form.getByLabel("Lead time (minutes)")).toHaveValue("10");
  // The field says what the lead time is for, and that with these times it has passed.
  const leadHint = form.locator("#new-event-lead-hint");
  await expect(leadHint).toContainText("Capacity rises this long before the start");
  await expect(leadHint).toContainText("already past: capacity rises as soon as you save");
  await form.getByRole("button", { name: "Schedule event" }).click();

  const dialog = desk.getByRole("dialog", { name: "Capacity rises now: schedule “Early doors”?" });
  await expect(dialog).toBeVisible();
  await expect(dialog.getByTestId("raise-now-warning")).toContainText(
    "capacity rises to at least 5 as soon as you confirm",
  );
  await captureShown(desk, "event-raise-now-dialog", testInfo);

  // Cancel: nothing is saved, capacity stays.
  await dialog.getByRole("button", { name: "Cancel" }).click();
  await expect(dialog).toBeHidden();
  expect(await eventNames()).not.toContain("Early doors");
  expect(await effectiveCapacity()).toBe(1);

  // Confirm: saved, and the room's capacity rises at once.
  await form.getByRole("button", { name: "Schedule event" }).click();
  await dialog.getByLabel("Reason").fill("Doors open early for the queue");
  await dialog.getByRole("button", { name: "Raise capacity now" }).click();
  await expect(dialog).toBeHidden();
  await expect(desk.getByTestId("effective-capacity")).toHaveAttribute("data-value", "5", { timeout: 10_000 });
  expect(await effectiveCapacity()).toBe(5);
  const row = desk.getByTestId("scale-events").getByRole("row").filter({ hasText: "Early doors" });
  await expect(row.getByTestId("event-phase")).toHaveText("Lead time");
  await expect(desk.getByTestId("event-phase-summary")).toHaveText("1 in lead time");
  // The capacity went up minutes ago: the row says so rather than showing a time as if to come.
  await expect(row.getByTestId("event-times")).toContainText(/capacity raised since .+ ago/);
  await captureShown(desk.getByTestId("scale-events"), "event-lead-time-room", testInfo);
  await desk.context().close();
});

test("the events page schedules an event of its own; its list and header say the same phase as it starts and ends", async ({
  browser,
}, testInfo) => {
  test.setTimeout(90_000);
  const desk = await operatorPage(browser);
  await desk.goto("/admin/events");
  await desk.getByRole("button", { name: "New event" }).click();
  const form = desk.getByTestId("event-form");
  await form.getByLabel("Room", { exact: true }).selectOption(warmup.id);
  await form.getByLabel("Name").fill("Flash drop");
  await form.getByLabel("Capacity during the event").fill("8");
  // No lead time, starting 15 s from now for 15 s: nothing rises before the start, no question.
  const startsAtMs = Math.ceil((Date.now() + 15_000) / 1000) * 1000;
  const endsAtMs = startsAtMs + 15_000;
  await form.getByLabel("Starts").fill(epochMsToLocalInput(startsAtMs, timezoneId, "seconds"));
  await form.getByLabel("Ends").fill(epochMsToLocalInput(endsAtMs, timezoneId, "seconds"));
  await form.getByLabel("Lead time (minutes)").fill("0");
  await expect(form.locator("#new-event-lead-hint")).toContainText("capacity rises at");
  await form.getByRole("button", { name: "Schedule event" }).click();
  await expect(desk.getByRole("dialog")).toBeHidden();
  await expect(desk.getByText("Scheduled “Flash drop”")).toBeVisible();
  expect(Date.now(), "scheduled before its start").toBeLessThan(startsAtMs - 2_000);

  await desk.getByLabel("Room", { exact: true }).selectOption(warmup.id);
  const flash = desk.getByTestId("event-table").getByRole("row").filter({ hasText: "Flash drop" });
  await expect(flash.getByTestId("event-phase")).toHaveText("Upcoming");
  const agree = async () => {
    const { header, phases } = await headerAndRows(desk);
    const count = (phase: string) => phases.filter((shown) => shown === phase).length;
    const said = (words: string) => {
      const match = new RegExp(`(\\d+) ${words}`).exec(header);
      return match ? Number(match[1]) : 0;
    };
    return (
      said("running") === count("running") &&
      said("in lead time") === count("lead") &&
      said("upcoming") === count("scheduled")
    );
  };
  expect(await agree(), "header and list before the start").toBe(true);
  await capture(desk, "events-page-upcoming", testInfo);

  // At the start both turn to running together; the start reads as past.
  await expect(flash.getByTestId("event-phase")).toHaveText("Running", { timeout: 25_000 });
  expect(await agree(), "header and list while it runs").toBe(true);
  await expect(desk.getByTestId("events-summary")).toContainText("1 running");
  await expect(flash.getByTestId("event-times")).toContainText(/started (just now|\d+ min ago)/);
  await capture(desk, "events-page-running", testInfo);

  // At the end it moves to the past events, saying it ended, and the header stops counting it.
  await expect(flash).toHaveCount(0, { timeout: 25_000 });
  expect(await agree(), "header and list after the end").toBe(true);
  await desk.getByText(/past or cancelled event/).click();
  const ended = desk.getByTestId("past-event-table").getByRole("row").filter({ hasText: "Flash drop" });
  await expect(ended.getByTestId("event-phase")).toHaveText("Ended");
  await expect(ended.getByTestId("event-times")).toContainText(/ended (just now|\d+ min ago)/);
  await capture(desk, "events-page-ended", testInfo);
  await desk.context().close();

  // The same page on a phone and in dark mode, for a person to look at.
  for (const [name, options] of [
    ["events-page-phone", phone],
    ["events-page-dark", { ...desktop, colorScheme: "dark" }],
  ] as const) {
    const page = await operatorPage(browser, options);
    await page.goto(`/admin/events?room=${warmup.id}`);
    await expect(page.getByTestId("event-list")).toBeVisible();
    await page.getByRole("button", { name: "New event" }).click();
    await expect(page.getByTestId("event-form")).toBeVisible();
    await capture(page, name, testInfo);
    await captureShown(page.getByTestId("event-form"), `${name}-form`, testInfo);
    await captureShown(page.getByTestId("event-list"), `${name}-list`, testInfo);
    await page.context().close();
  }
});

test("the audit log shows times on the reader's clock with the date, fields in words, and the scheduler as the system", async ({
  browser,
}, testInfo) => {
  const desk = await operatorPage(browser);
  await desk.goto(`/admin/audit?room=${warmup.id}`);
  const table = desk.getByTestId("audit-table");
  await expect(table.getByRole("columnheader", { name: `When (${timezoneId})` })).toBeVisible();

  // The scheduler's change: the lead time of "Early doors" began, applied by the system.
  const lead = table.locator('tr[data-action="event.lead"]').first();
  await expect(lead.getByTestId("audit-actor")).toHaveText("System (scheduler)");
  await expect(lead.getByTestId("audit-actor")).toHaveAttribute("data-actor-kind", "system");
  await expect(lead).toContainText("Event lead time began");
  await expect(lead).toContainText(/Capacity:\s*1\s*→\s*5/);

  // The operator's own entry, in words: labels, durations, on/off, local times.
  const created = table.locator('tr[data-action="event.create"]').filter({ hasText: "Early doors" });
  await expect(created.getByTestId("audit-actor")).toHaveText(operator.email);
  await expect(created).toContainText("Scale event scheduled");
  await expect(created).toContainText("Lead time: 10 min");
  await expect(created).toContainText("Pre-queue: off");
  await expect(created).toContainText("New visitors per minute: no limit of its own");
  await expect(created).toContainText("Reason: Doors open early for the queue");
  const starts = created.locator('li[data-field="startsAt"]');
  await expect(starts).toContainText(/^Starts:\s*\d{2}:\d{2}|^Starts:\s*\w{3}, \w{3} \d+, \d{2}:\d{2}/);

  // Each entry's time: the date and the time on Seoul's clock (the browser's), never ISO.
  const when = created.getByTestId("audit-when");
  const at = new Date((await when.getAttribute("datetime")) as string);
  const seoulDate = new Intl.DateTimeFormat("en-US", { timeZone: timezoneId, dateStyle: "medium" }).format(at);
  const seoulTime = new Intl.DateTimeFormat("en-US", {
    timeZone: timezoneId,
    hour: "2-digit",
    minute: "2-digit",
    second: "2-digit",
  }).format(at);
  await expect(when).toHaveText(`${seoulDate}${seoulTime}`);
  // Nowhere in the table (folded details included): no ISO time, no raw field name.
  const text = (await table.textContent()) ?? "";
  expect(text).not.toMatch(/\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/);
  expect(text).not.toMatch(/\b(startsAt|leadMinutes|preQueue|newUsersPerMinute|admissionNo)\b/);
  // A whole room's settings, folded: each under its label, durations and booleans in words.
  const room = table.locator('tr[data-action="room.create"]');
  await room.getByText(/\d+ more/).click();
  await expect(room.locator('li[data-field="heartbeatTimeoutMs"]')).toHaveText("Heartbeat timeout: 6 s");
  await expect(room.locator('li[data-field="infiniteLine"]')).toHaveText("Infinite line: off");
  await expect(room.locator('li[data-field="mode"]')).toHaveText("Admission: first come, first served");
  await expect(room.locator('li[data-field="branding"]')).toHaveText("Branding: none (Floodgate's own look)");
  // Back to the top: a full-page picture of a scrolled page draws the sticky top bar mid-page.
  await desk.evaluate(() => window.scrollTo(0, 0));
  await capture(desk, "audit-desktop", testInfo);
  await desk.context().close();

  for (const [name, options] of [
    ["audit-phone", phone],
    ["audit-dark", { ...desktop, colorScheme: "dark" }],
  ] as const) {
    const page = await operatorPage(browser, options);
    await page.goto(`/admin/audit?room=${warmup.id}`);
    await expect(page.getByTestId("audit-table").getByTestId("audit-actor").first()).toBeVisible();
    await capture(page, name, testInfo);
    await page.context().close();
  }
});
