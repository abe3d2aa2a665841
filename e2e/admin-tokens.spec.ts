import { type APIRequestContext, type Page, request as playwrightRequest } from "@playwright/test";
import { decodeJwt } from "jose";
import { signInApi } from "./console";
import { saveScreenshot as capture, expect, isHeartbeat, test, type Visitor } from "./fixtures";
import { adminAccount } from "./settings";

// The console's hands on single visitors during a sale: an operator evicts someone from the
// line, lets someone in out of turn, ends an admission at once, and empties the whole line.
// Each visitor is a person in their own browser; the operator works in the console pages.

/** A room of its own, one slot, quick heartbeats, guarding /tickets. */
const tickets = {
  id: "tickets",
  name: "Tickets",
  capacity: 1,
  heartbeatIntervalMs: 1_000,
  heartbeatTimeoutMs: 6_000,
  maxQueueLength: 1_000,
  mode: "fifo",
  protectedPaths: ["/tickets"],
} as const;

const operator = {
  email: "tokens-operator@e2e.test",
  password: "tokens operator password, e2e only",
  role: "operator",
  name: "Box office",
};

const insideUrl = /\/tickets$/;
const inLineUrl = /\/wait\/tickets\?next=%2Ftickets$/;
const queueCookie = `fgq_${tickets.id}`;
const admissionCookie = `fga_${tickets.id}`;
/** Silent admitted visitors expire after the heartbeat timeout; a tick and a poll on top. */
const emptyRoomTimeoutMs = tickets.heartbeatTimeoutMs + 5_000;

let admin: APIRequestContext;

async function roomStats(): Promise<{ active: number; waiting: number }> {
  const response = await admin.get(`/api/admin/rooms/${tickets.id}`);
  expect(response.status(), await response.text()).toBe(200);
  return (await response.json()).room.stats;
}

/** Back to first come, first served with one slot, and nobody inside or in line. */
async function resetTickets() {
  const reset = await admin.patch(`/api/admin/rooms/${tickets.id}`, {
    data: { mode: tickets.mode, capacity: tickets.capacity },
  });
  expect(reset.status(), await reset.text()).toBe(200);
  const deadline = Date.now() + emptyRoomTimeoutMs;
  for (;;) {
    const { active, waiting } = await roomStats();
    if (active === 0 && waiting === 0) return;
    if (Date.now() > deadline)
      throw new Error(`room "${tickets.id}" did not empty (active ${active}, waiting ${waiting})`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

test.beforeAll(async ({ baseURL }) => {
  // The admin sets the stage through the API: an operator colleague and the room.
  admin = await playwrightRequest.newContext({ baseURL });
  await signInApi(admin, adminAccount.email, adminAccount.password);
  const user = await admin.post("/api/admin/users", { data: operator });
  expect([201, 409], await user.text()).toContain(user.status());
  const room = await admin.post("/api/admin/rooms", { data: tickets });
  expect([201, 409], await room.text()).toContain(room.status());
});

test.beforeEach(async () => {
  await resetTickets();
});

test.afterAll(async () => {
  // Nothing to tidy when beforeAll failed before signing in; its own error says why.
  if (!admin) return;
  await resetTickets();
  await admin.dispose();
});

/** The operator at their desk: signed in through the sign-in page, on the dashboard. */
const it = test.extend<{ desk: Page }>({
  desk: async ({ browser }, use) => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const desk = await context.newPage();
    await desk.goto("/admin");
    await expect(desk).toHaveURL(/\/admin\/sign-in/);
    await desk.getByLabel("Email").fill(operator.email);
    await desk.getByLabel("Password").fill(operator.password);
    await desk.getByRole("button", { name: "Sign in" }).click();
    await expect(desk).toHaveURL(/\/admin$/);
    await use(desk);
    await context.close();
  },
});

/**
 * The /tickets page is a bare 404 in the e2e server, with nothing to keep an admission alive.
 * A real ticket site embeds floodgate.js; so does this visitor's page, so that they stay
 * inside for the whole test (and say goodbye when the tab closes) instead of expiring.
 */
async function keepCheckedIn(page: Page) {
  const checkedIn = page.waitForResponse((r) => isHeartbeat(r.url(), tickets.id) && r.ok());
  await page.evaluate((room) => {
    const script = document.createElement("script");
    script.src = "/floodgate.js";
    script.dataset.room = room;
    document.head.append(script);
  }, tickets.id);
  await checkedIn;
}

/** Opens /tickets in an empty room: let straight in, and kept in. */
async function goInside(person: Visitor) {
  await person.page.goto("/tickets");
  await expect(person.page).toHaveURL(insideUrl);
  await keepCheckedIn(person.page);
}

/** Opens /tickets while the room is full: sent to the waiting page at this place in line. */
async function joinLine(person: Visitor, position: number) {
  await person.page.goto("/tickets");
  await expect(person.page).toHaveURL(inLineUrl);
  await expect(person.page.getByTestId("wait-position")).toHaveText(String(position));
  await expect(person.page.getByTestId("wait-state")).toHaveAttribute(
    "data-state",
    position === 1 ? "next" : "waiting",
  );
}

/** The visitor id the console shows: the queue token's jti. */
async function visitorId(person: Visitor): Promise<string> {
  const token = await person.cookie(queueCookie);
  if (!token) throw new Error(`${person.name} has no ${queueCookie} cookie`);
  const { jti } = decodeJwt(token);
  if (!jti) throw new Error(`${person.name}'s queue token has no jti`);
  return jti;
}

/** The reference code the console shows for a visitor (the one their waiting page shows). */
async function referenceOf(id: string): Promise<string> {
  const response = await admin.get(`/api/admin/rooms/${tickets.id}/tokens/${encodeURIComponent(id)}`);
  expect(response.status(), await response.text()).toBe(200);
  return (await response.json()).token.reference;
}

/**
 * The rows of the visitors still in the room (the header row and the "No visitors match" row
 * have no row header; a just-evicted visitor's row stays a few seconds, marked data-gone).
 */
function visitorRows(desk: Page) {
  return desk
    .getByRole("table", { name: `Visitors of ${tickets.name}` })
    .locator("tr:not([data-gone])")
    .filter({ has: desk.getByRole("rowheader") });
}

/** The row an eviction leaves behind for a few seconds: struck through, marked Evicted. */
function evictedRow(desk: Page, reference: string) {
  return desk
    .getByRole("table", { name: `Visitors of ${tickets.name}` })
    .locator("tr[data-gone]")
    .filter({
      hasText: reference,
    });
}

/** Row n shows this visitor, at this place in line ("—" for someone inside). */
async function expectRow(desk: Page, index: number, id: string, place: string) {
  const row = visitorRows(desk).nth(index);
  await expect(row.getByRole("rowheader")).toHaveText(await referenceOf(id));
  // Cells after the row header: State, Place, ...
  await expect(row.getByRole("cell").nth(1)).toHaveText(place);
}

it("an operator evicts the first in line: their waiting page says the place is gone, the next moves up", async ({
  desk,
  visitor,
}) => {
  const first = await visitor("First");
  const second = await visitor("Second");
  const third = await visitor("Third");

  await test.step("one visitor is let in, two wait in line", async () => {
    await goInside(first);
    await joinLine(second, 1);
    await joinLine(third, 2);
  });
  const secondId = await visitorId(second);
  const thirdId = await visitorId(third);

  await test.step("the operator opens Tokens, picks the room and the waiting ones, and sees the line in order", async () => {
    await desk.getByRole("navigation", { name: "Console" }).getByRole("link", { name: "Tokens" }).click();
    await expect(desk).toHaveURL(/\/admin\/tokens/);
    await desk.getByLabel("Room").selectOption(tickets.id);
    const waitingFilter = desk.getByRole("button", { name: "Waiting", exact: true });
    await waitingFilter.click();
    await expect(waitingFilter).toHaveAttribute("aria-pressed", "true");
    await expect(desk).toHaveURL(/\/admin\/tokens\?room=tickets&state=waiting$/);
    await expect(visitorRows(desk)).toHaveCount(2);
    await expectRow(desk, 0, secondId, "1");
    await expectRow(desk, 1, thirdId, "2");
  });

  await test.step("the operator evicts the first in line, confirming in the dialog", async () => {
    const secondReference = await referenceOf(secondId);
    await desk.getByRole("button", { name: `Evict visitor ${secondReference}` }).click();
    const dialog = desk.getByRole("dialog", { name: `Evict visitor ${secondReference} from ${tickets.name}?` });
    await expect(dialog).toContainText("They lose place 1 in line");
    await dialog.getByRole("button", { name: "Evict", exact: true }).click();
    await expect(dialog).toBeHidden();
    await expect(desk.getByTestId("toast")).toHaveText(
      `Evicted ${secondReference} — their page now says the site removed them from the line.`,
    );
    await expect(evictedRow(desk, secondReference)).toContainText("Evicted");
    await expect(visitorRows(desk)).toHaveCount(1);
    await expectRow(desk, 0, thirdId, "1");
  });

  await test.step("the evicted visitor's page says the site removed their place; the other moves up to first", async () => {
    // One heartbeat (1 s) each: the evicted token answers 410 (reason: evicted), the other a new position.
    await expect(second.page.getByTestId("wait-state")).toHaveAttribute("data-state", "removed", { timeout: 5_000 });
    await expect(second.page.getByRole("heading", { level: 1 })).toHaveText("The site removed your place");
    await expect(second.page.getByRole("button", { name: "Get a new place" })).toBeVisible();
    await expect(third.page.getByTestId("wait-position")).toHaveText("1", { timeout: 5_000 });
    await expect(third.page.getByTestId("wait-state")).toHaveAttribute("data-state", "next");
    // The one inside is untouched, and the freed place in line gave nobody a slot.
    await expect(first.page).toHaveURL(insideUrl);
    expect(await roomStats()).toMatchObject({ active: 1, waiting: 1 });
  });
});

it("at a full room, the operator moves the second in line to the front: the next free slot is theirs, and the audit log keeps the reason", async ({
  desk,
  visitor,
}) => {
  const reason = `Accessibility booking ${Date.now()}`;
  const first = await visitor("First");
  const second = await visitor("Second");
  const third = await visitor("Third");
  await goInside(first);
  await joinLine(second, 1);
  await joinLine(third, 2);
  const thirdId = await visitorId(third);

  await test.step("the operator admits the second in line, giving a reason; with no free slot they go to the front", async () => {
    await desk.goto(`/admin/tokens?room=${tickets.id}&state=waiting`);
    await expect(visitorRows(desk)).toHaveCount(2);
    await expectRow(desk, 1, thirdId, "2");
    const thirdReference = await referenceOf(thirdId);
    await desk.getByRole("button", { name: `Admit visitor ${thirdReference}` }).click();
    const dialog = desk.getByRole("dialog", { name: `Admit visitor ${thirdReference} to ${tickets.name} now?` });
    await expect(dialog).toContainText(`${tickets.name} is at capacity (1 of 1).`);
    await expect(dialog).toContainText(
      "They move ahead of 1 person to the front of the line and get the next free slot.",
    );
    const admit = dialog.getByRole("button", { name: "Admit", exact: true });
    // The reason is required: no admission out of turn without one.
    await expect(admit).toBeDisabled();
    await dialog.getByLabel("Reason").fill(reason);
    await admit.click();
    await expect(dialog).toBeHidden();
    await expect(desk.getByTestId("toast")).toHaveText(
      `${thirdReference} moved to the front of the line — the next free slot is theirs.`,
    );
    await expectRow(desk, 0, thirdId, "1");
    await expect(visitorRows(desk).first()).toContainText("Moved to the front");
    await capture(desk, "console-tokens-moved-desktop", test.info());
  });

  await test.step("their waiting page says they are next; the one they passed is now second", async () => {
    await expect(third.page.getByTestId("wait-position")).toHaveText("1", { timeout: 5_000 });
    await expect(second.page.getByTestId("wait-position")).toHaveText("2", { timeout: 5_000 });
    expect(await roomStats()).toMatchObject({ active: 1, waiting: 2 });
  });

  await test.step("the visitor inside leaves: the freed slot goes to the one moved to the front", async () => {
    await first.leave();
    await expect(third.page).toHaveURL(insideUrl, { timeout: 10_000 });
    await keepCheckedIn(third.page);
    await expect(second.page).toHaveURL(inLineUrl);
    await expect(second.page.getByTestId("wait-position")).toHaveText("1", { timeout: 5_000 });
    expect(await roomStats()).toMatchObject({ active: 1, waiting: 1 });
  });

  await test.step("the audit log names who moved whom, and why", async () => {
    await desk.goto("/admin/audit");
    const entry = desk.getByRole("row").filter({ hasText: "token.admit" }).filter({ hasText: reason });
    await expect(entry).toHaveCount(1);
    await expect(entry).toContainText(operator.email);
    await expect(entry).toContainText(`Reason: ${reason}`);
    await expect(entry).toContainText(/Position:\s*2\s*→\s*1/);
    await expect(entry.getByTitle(thirdId)).toBeVisible();
  });
});

it("evicting a visitor who is inside ends their admission at once: a reload sends them to the line", async ({
  desk,
  visitor,
}) => {
  // A bookmarked view of who is inside.
  await desk.goto(`/admin/tokens?room=${tickets.id}&state=admitted`);
  await expect(desk.getByRole("table", { name: `Visitors of ${tickets.name}` })).toContainText("No visitors match.");

  // No floodgate.js for this one: their admission cookie lives one heartbeat timeout (6 s)
  // from their last check-in, and the eviction must stop it working well before then.
  const guest = await visitor("Guest");
  await guest.page.goto("/tickets");
  await expect(guest.page).toHaveURL(insideUrl);
  const next = await visitor("Next");
  await joinLine(next, 1);
  const guestId = await visitorId(guest);

  await test.step("the operator refreshes the view and evicts the visitor inside", async () => {
    await desk.reload();
    await expect(visitorRows(desk)).toHaveCount(1);
    await expectRow(desk, 0, guestId, "—");
    await expect(visitorRows(desk).first()).toContainText("Admitted");
    const guestReference = await referenceOf(guestId);
    await desk.getByRole("button", { name: `Evict visitor ${guestReference}` }).click();
    const dialog = desk.getByRole("dialog", { name: `Evict visitor ${guestReference} from ${tickets.name}?` });
    await expect(dialog).toContainText("Their admission ends now");
    // The guest's browser checks in once more (as floodgate.js would), so their admission cookie
    // has most of its 6 s left when they reload below, however slow the steps so far were.
    const checkIn = await guest.page.request.post(`/api/queue/${tickets.id}/heartbeat`);
    expect(checkIn.status()).toBe(200);
    await dialog.getByRole("button", { name: "Evict", exact: true }).click();
    await expect(dialog).toBeHidden();
    await expect(desk.getByTestId("toast")).toContainText(`Evicted ${guestReference} — their visit has ended`);
    // Their row is marked, then goes (the freed slot may already show the next visitor, admitted).
    await expect(evictedRow(desk, guestReference)).toContainText("Evicted");
    await expect(visitorRows(desk).filter({ hasText: guestReference })).toHaveCount(0);
  });

  await test.step("the visitor reloads with an admission cookie that has not expired: the waiting page says the site removed them", async () => {
    const cookie = (await guest.context.cookies()).find((c) => c.name === admissionCookie);
    expect(cookie, "the admission cookie is still in the browser").toBeDefined();
    expect((cookie?.expires ?? 0) * 1000, "the admission cookie's expiry").toBeGreaterThan(Date.now() + 500);
    await guest.page.reload();
    await expect(guest.page).toHaveURL(inLineUrl);
    await expect(guest.page.getByTestId("wait-state")).toHaveAttribute("data-state", "removed");
    // A new place is theirs to ask for, not handed out behind their back.
    await guest.page.getByRole("button", { name: "Get a new place" }).click();
    await expect(guest.page.getByTestId("wait-state")).toHaveAttribute("data-state", /^(waiting|next)$/);
  });

  await test.step("the freed slot goes to the one who was waiting; the evicted visitor is now behind them", async () => {
    await expect(next.page).toHaveURL(insideUrl, { timeout: 5_000 });
    await keepCheckedIn(next.page);
    await expect(guest.page.getByTestId("wait-position")).toHaveText("1");
    await expect(guest.page.getByTestId("wait-state")).toHaveAttribute("data-state", "next");
    expect(await roomStats()).toMatchObject({ active: 1, waiting: 1 });
  });
});

it("an operator drains the line from the room page: everyone waiting loses their place, the one inside stays", async ({
  desk,
  visitor,
}) => {
  const first = await visitor("First");
  const second = await visitor("Second");
  const third = await visitor("Third");
  await goInside(first);
  await joinLine(second, 1);
  await joinLine(third, 2);

  await test.step("the operator drains the line, typing the room id to confirm", async () => {
    await desk.goto(`/admin/rooms/${tickets.id}`);
    const danger = desk.getByRole("region", { name: "Danger zone" });
    await danger.getByRole("button", { name: "Drain line…" }).click();
    const dialog = desk.getByRole("dialog", { name: `Evict 2 waiting visitors from ${tickets.name}?` });
    const drain = dialog.getByRole("button", { name: "Drain line", exact: true });
    await expect(drain).toBeDisabled();
    const typed = dialog.getByLabel(`Type ${tickets.id} to confirm`);
    await typed.fill("ticket");
    await expect(drain).toBeDisabled();
    await typed.fill(tickets.id);
    await drain.click();
    await expect(dialog).toBeHidden();
    await expect(danger.getByRole("status")).toHaveText(`Evicted 2 visitors from ${tickets.name}.`);
  });

  await test.step("both waiting pages say the site removed their place; the visitor inside stays", async () => {
    await expect(second.page.getByTestId("wait-state")).toHaveAttribute("data-state", "removed", { timeout: 5_000 });
    await expect(third.page.getByTestId("wait-state")).toHaveAttribute("data-state", "removed", { timeout: 5_000 });
    await expect(first.page).toHaveURL(insideUrl);
  });

  await test.step("the dashboard card shows nobody waiting and one inside", async () => {
    await desk.goto("/admin");
    const card = desk.getByTestId(`room-card-${tickets.id}`);
    await expect(card.getByTestId("waiting")).toHaveText("0");
    await expect(card.getByTestId("active")).toHaveText("1");
  });
});

it("a visitor on the phone reads their reference; the operator finds them by it and lets them in out of turn", async ({
  desk,
  visitor,
}) => {
  const first = await visitor("First");
  const ahead = await visitor("Ahead");
  const caller = await visitor("Caller", { permissions: ["clipboard-read", "clipboard-write"] });
  await goInside(first);
  await joinLine(ahead, 1);
  await joinLine(caller, 2);

  const reference = await test.step("the caller reads the reference on their waiting page, and copies it", async () => {
    const shown = caller.page.getByTestId("wait-reference");
    await expect(shown).toHaveText(/^[2-9A-HJKMNP-TV-Z]{4}-[2-9A-HJKMNP-TV-Z]{2}$/);
    const text = (await shown.textContent()) ?? "";
    await expect(caller.page.getByText("Quote this if you contact support.")).toBeVisible();
    const copy = caller.page.getByRole("button", { name: `Copy: ${text}` });
    await copy.click();
    await expect(copy).toHaveText("Copied");
    expect(await caller.page.evaluate(() => navigator.clipboard.readText())).toBe(text);
    return text;
  });

  await test.step("the operator types it as heard (lower case, no dash) and finds exactly that visitor", async () => {
    await desk.goto(`/admin/tokens?room=${tickets.id}`);
    await expect(visitorRows(desk)).toHaveCount(3);
    await desk.getByLabel("Find a visitor").fill(reference.toLowerCase().replace("-", ""));
    await expect(visitorRows(desk)).toHaveCount(1);
    await expect(visitorRows(desk).first().getByRole("rowheader")).toHaveText(reference);
    await expect(desk).toHaveURL(new RegExp(`search=${reference.toLowerCase().replace("-", "")}`));
  });

  await test.step("the operator admits them out of turn; they move to the front, ahead of the one who was first", async () => {
    await desk.getByRole("button", { name: `Admit visitor ${reference}` }).click();
    const dialog = desk.getByRole("dialog", { name: `Admit visitor ${reference} to ${tickets.name} now?` });
    await dialog.getByLabel("Reason").fill(`Phoned in, reference ${reference}`);
    await dialog.getByRole("button", { name: "Admit", exact: true }).click();
    await expect(dialog).toBeHidden();
    await expect(caller.page.getByTestId("wait-position")).toHaveText("1", { timeout: 5_000 });
    await expect(ahead.page.getByTestId("wait-position")).toHaveText("2", { timeout: 5_000 });
    // The reference stays the caller's, wherever their place is.
    await expect(caller.page.getByTestId("wait-reference")).toHaveText(reference);
  });

  await test.step("the audit entry names the reference", async () => {
    await desk.goto("/admin/audit");
    const entry = desk
      .getByRole("row")
      .filter({ hasText: "token.admit" })
      .filter({ hasText: `Phoned in, reference ${reference}` });
    await expect(entry).toContainText(reference);
  });
});
