import { type APIRequestContext, request as playwrightRequest } from "@playwright/test";
import { decodeJwt } from "jose";
import { signInApi } from "./console";
import { expect, test, type Visitor } from "./fixtures";
import { adminAccount } from "./settings";

// The first in line hears of their admission the moment it happens, not at their next
// heartbeat: the waiting page holds its heartbeat open near the front (?hold=), and the server
// answers it when the slot is theirs. The room heartbeats every 10 s, so a page that only
// heartbeated would take up to 10 s to notice; this one must within about a second.

/** A room of its own with slow heartbeats, one slot, guarding /matinee (a bare 404 here). */
const matinee = {
  id: "matinee",
  name: "Matinee",
  capacity: 1,
  heartbeatIntervalMs: 10_000,
  heartbeatTimeoutMs: 30_000,
  maxQueueLength: 1_000,
  mode: "fifo",
  protectedPaths: ["/matinee"],
} as const;

const insideUrl = /\/matinee$/;
const inLineUrl = /\/wait\/matinee\?next=%2Fmatinee$/;
const isHeldHeartbeat = (url: string) => url.includes(`/api/queue/${matinee.id}/heartbeat`) && /[?&]hold=\d+/.test(url);

let admin: APIRequestContext;

test.beforeAll(async ({ baseURL }) => {
  admin = await playwrightRequest.newContext({ baseURL });
  await signInApi(admin, adminAccount.email, adminAccount.password);
  const room = await admin.post("/api/admin/rooms", { data: matinee });
  expect([201, 409], await room.text()).toContain(room.status());
});

test.afterAll(async () => {
  await admin?.dispose();
});

async function visitorId(person: Visitor): Promise<string> {
  const token = await person.cookie(`fgq_${matinee.id}`);
  const jti = token ? decodeJwt(token).jti : undefined;
  if (!jti) throw new Error(`${person.name} has no queue token`);
  return jti;
}

test("the first in line sees they are in within a second of an operator freeing the slot", async ({ visitor }) => {
  const guest = await visitor("Guest");
  await test.step("the guest opens /matinee in an empty room and is let in", async () => {
    await guest.page.goto("/matinee");
    await expect(guest.page).toHaveURL(insideUrl);
  });

  const next = await visitor("Next");
  await test.step("the next visitor waits first in line, their heartbeat held open", async () => {
    const held = next.page.waitForRequest((r) => isHeldHeartbeat(r.url()));
    await next.page.goto("/matinee");
    await expect(next.page).toHaveURL(inLineUrl);
    await expect(next.page.getByTestId("wait-position")).toHaveText("1");
    await expect(next.page.getByTestId("wait-state")).toHaveAttribute("data-state", "next");
    await held;
  });

  await test.step("an operator evicts the guest; the next visitor's page says they are in at once", async () => {
    const guestId = await visitorId(guest);
    // Well into the 10 s heartbeat interval: only a held heartbeat can tell the page in time.
    await next.page.waitForTimeout(1_500);
    const answered = next.page.waitForResponse((r) => isHeldHeartbeat(r.url()) && r.ok());
    const freedAt = Date.now();
    const evicted = await admin.post(`/api/admin/rooms/${matinee.id}/tokens/${guestId}/evict`, {
      data: { reason: "e2e: free the slot" },
    });
    expect(evicted.status(), await evicted.text()).toBe(200);
    await expect(next.page.getByTestId("wait-state")).toHaveAttribute("data-state", "admitted", { timeout: 2_000 });
    const seenAfterMs = Date.now() - freedAt;
    const response = await answered;
    expect((await response.json()).state).toBe("admitted");
    test.info().annotations.push({ type: "admission seen after", description: `${seenAfterMs} ms` });
    expect(seenAfterMs, "from the eviction to the page saying 'you're in'").toBeLessThan(1_500);
    await expect(next.page).toHaveURL(insideUrl, { timeout: 5_000 });
  });
});
